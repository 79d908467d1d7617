import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3ZipSyncError } from '../../src/errors.js';
import { readLambdaConfig, targetPrefixFor } from '../../src/lambda/config.js';

describe('readLambdaConfig', () => {
  it('defaults', () => {
    assert.deepEqual(readLambdaConfig({ TARGET_BUCKET: 'out' }), {
      targetBucket: 'out',
      targetPrefix: '{stem}/',
      strategy: 'auto',
      concurrency: 16,
      deadlineMarginMs: 30_000,
      abortMarginMs: 5_000,
      failOnIncomplete: false,
      conditionalWrites: true,
      integrity: { compare: 'size', gzip: [], s3Checksum: 'auto' },
      headers: {},
      names: { nameEncoding: 'auto', normalizeNames: 'none' },
    });
  });

  it('reads the entry-name variables as the CLI flags, and names a bad value', () => {
    assert.deepEqual(readLambdaConfig({ TARGET_BUCKET: 'out', NAME_ENCODING: 'cp437', NORMALIZE_NAMES: 'nfc' }).names, { nameEncoding: 'cp437', normalizeNames: 'nfc' });
    assert.throws(
      () => readLambdaConfig({ TARGET_BUCKET: 'out', NAME_ENCODING: 'latin1' }),
      (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && /NAME_ENCODING must be one of auto, utf8, cp437, got "latin1"/.test(error.message),
    );
    assert.throws(() => readLambdaConfig({ TARGET_BUCKET: 'out', NORMALIZE_NAMES: 'nfd' }), /NORMALIZE_NAMES must be one of nfc, none, got "nfd"/);
  });

  it('reads the object header variables; list variables take one rule per line', () => {
    const config = readLambdaConfig({
      TARGET_BUCKET: 'out',
      CACHE_CONTROL: 'max-age=300',
      CONTENT_DISPOSITION: 'inline',
      CONTENT_LANGUAGE: 'en',
      EXPIRES: '2030-01-01T00:00:00Z',
      CONTENT_TYPE: 'text/plain',
      CONTENT_TYPE_FOR: '*.wasm=application/wasm\n*.dat=text/csv\n',
      HEADER_FOR: "*.html:Cache-Control: no-cache\n assets/**:Cache-Control: max-age=31536000, immutable",
      METADATA: 'team=web\nbuild=42',
      STORAGE_CLASS: 'STANDARD_IA',
      SSE: 'aws:kms',
      SSE_KMS_KEY_ID: 'alias/site',
      ACL: 'private',
      COMPARE_HEADERS: 'true',
    });
    assert.deepEqual(config.headers, {
      cacheControl: 'max-age=300',
      contentDisposition: 'inline',
      contentLanguage: 'en',
      expires: '2030-01-01T00:00:00Z',
      contentType: 'text/plain',
      storageClass: 'STANDARD_IA',
      sseKmsKeyId: 'alias/site',
      acl: 'private',
      sse: 'aws:kms',
      contentTypeFor: [
        { pattern: '*.wasm', contentType: 'application/wasm' },
        { pattern: '*.dat', contentType: 'text/csv' },
      ],
      headerFor: [
        { pattern: '*.html', header: 'Cache-Control', value: 'no-cache' },
        { pattern: 'assets/**', header: 'Cache-Control', value: 'max-age=31536000, immutable' },
      ],
      metadata: { team: 'web', build: '42' },
      compareHeaders: true,
    });
  });


  it('reads every variable', () => {
    const config = readLambdaConfig({
      TARGET_BUCKET: 'out',
      TARGET_PREFIX: 'extracted/{name}/',
      STRATEGY: 'list',
      CONCURRENCY: '8',
      DEADLINE_MARGIN_MS: '60000',
      ABORT_MARGIN_MS: '10000',
      FAIL_ON_INCOMPLETE: 'true',
      COMPARE: 'crc32',
      GZIP: '*.sym, *.pdb ,',
      S3_CHECKSUM: 'off',
      CONDITIONAL_WRITES: 'false',
      NAME_ENCODING: 'utf8',
      NORMALIZE_NAMES: 'nfc',
    });
    assert.deepEqual(config, {
      targetBucket: 'out',
      targetPrefix: 'extracted/{name}/',
      strategy: 'list',
      concurrency: 8,
      deadlineMarginMs: 60_000,
      abortMarginMs: 10_000,
      failOnIncomplete: true,
      conditionalWrites: false,
      integrity: { compare: 'crc32', gzip: ['*.sym', '*.pdb'], s3Checksum: 'off' },
      headers: {},
      names: { nameEncoding: 'utf8', normalizeNames: 'nfc' },
    });
  });

  for (const [env, message] of [
    [{}, 'TARGET_BUCKET is not set: name the bucket the archives are synced into'],
    [{ TARGET_BUCKET: 'o', TARGET_PREFIX: 'x/{key}/' }, 'TARGET_PREFIX has an unknown placeholder {key}: use {stem} or {name}'],
    [{ TARGET_BUCKET: 'o', STRATEGY: 'guess' }, 'STRATEGY must be one of head, list, bulk, auto, got "guess"'],
    [{ TARGET_BUCKET: 'o', COMPARE: 'md5' }, 'COMPARE must be one of size, crc32, got "md5"'],
    [{ TARGET_BUCKET: 'o', S3_CHECKSUM: 'yes' }, 'S3_CHECKSUM must be one of auto, on, off, got "yes"'],
    [{ TARGET_BUCKET: 'o', CONCURRENCY: '0' }, 'CONCURRENCY must be an integer ≥ 1, got "0"'],
    [{ TARGET_BUCKET: 'o', DEADLINE_MARGIN_MS: '1s' }, 'DEADLINE_MARGIN_MS must be an integer ≥ 0, got "1s"'],
    [{ TARGET_BUCKET: 'o', DEADLINE_MARGIN_MS: '1000', ABORT_MARGIN_MS: '2000' }, 'ABORT_MARGIN_MS (2000) must not exceed DEADLINE_MARGIN_MS (1000)'],
    [{ TARGET_BUCKET: 'o', FAIL_ON_INCOMPLETE: 'yes' }, 'FAIL_ON_INCOMPLETE must be true or false, got "yes"'],
    [{ TARGET_BUCKET: 'o', SSE: 'des' }, 'SSE must be one of AES256, aws:kms, got "des"'],
    [{ TARGET_BUCKET: 'o', HEADER_FOR: '*.html=no-cache' }, `HEADER_FOR wants GLOB:Header: value (e.g. '*.html:Cache-Control: no-cache'), got "*.html=no-cache"`],
    [{ TARGET_BUCKET: 'o', METADATA: 's3zipsync-crc32=1' }, '`metadata`: metadata key "s3zipsync-crc32" is reserved (s3zipsync stores its own s3zipsync-* keys)'],
    [{ TARGET_BUCKET: 'o', CONDITIONAL_WRITES: 'off' }, 'CONDITIONAL_WRITES must be true or false, got "off"'],
  ] as const) {
    it(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => readLambdaConfig(env), (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message === message);
    });
  }
});

describe('targetPrefixFor', () => {
  it('{stem} is the whole key without .zip, {name} only the file name', () => {
    assert.equal(targetPrefixFor('extracted/{stem}/', 'incoming/build-42.zip'), 'extracted/incoming/build-42/');
    assert.equal(targetPrefixFor('extracted/{name}/', 'incoming/build-42.ZIP'), 'extracted/build-42/');
    assert.equal(targetPrefixFor('{stem}/', 'top.zip'), 'top/');
    assert.equal(targetPrefixFor('fixed/', 'a/b.zip'), 'fixed/');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { after, before, describe, it } from 'node:test';
import { rawZip, unicodePathField, type RawEntry } from '../helpers/zip-fixtures.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';

const BUCKET = 'real-archives';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
// What a name's bytes are in CP437, the format's default code page: é is 0x82, ü is 0x81.
const cp437Bytes = (...bytes: number[]) => Buffer.from(bytes);
const zstdCompress = (zlib as unknown as { zstdCompressSync?: (data: Buffer) => Buffer }).zstdCompressSync;
const nodeHasZstd = typeof (zlib as unknown as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';

/**
 * Archives with the byte layout real tools write, one fixture per behaviour. Raw Buffer names are
 * written without the UTF-8 flag (bit 11), as macOS and Info-ZIP on Linux do.
 */
const FIXTURES = {
  // macOS Archive Utility / ditto: UTF-8 bytes, flag unset, no Unicode Path field; NFD (e + U+0301).
  'macos-nfd-utf8-without-flag': () =>
    rawZip([
      { name: utf8('donne\u0301es/u\u0308ni\u0308.txt'), data: 'macos' },
      { name: utf8('caf\u00e9.txt'.normalize('NFD')), data: 'cafe' },
    ]),
  // Info-ZIP zip 3.0 on Linux: UTF-8 bytes (NFC, as typed), flag unset.
  'infozip-linux-utf8-without-flag': () =>
    rawZip([
      { name: utf8('données/ünï.txt'), data: 'infozip' },
      { name: utf8('世界.txt'), data: 'world' },
    ]),
  // A DOS/Windows-era archive: CP437 bytes that are not valid UTF-8.
  'cp437-name': () => rawZip([{ name: cp437Bytes(0x63, 0x61, 0x66, 0x82, 0x2e, 0x74, 0x78, 0x74), data: 'dos' }]),
  // 7-Zip / Info-ZIP on Windows: the raw name in the OEM code page plus a Unicode Path field (0x7075).
  'unicode-path-field': () => {
    const raw = utf8('__.txt');
    return rawZip([{ name: raw, data: 'nihon', centralExtra: unicodePathField(raw, '日本.txt'), localExtra: unicodePathField(raw, '日本.txt') }]);
  },
  // A tool renamed the entry without updating the field: its CRC no longer matches, so the raw name wins.
  'unicode-path-field-stale-crc': () => {
    const raw = utf8('renamed.txt');
    return rawZip([{ name: raw, data: 'stale', centralExtra: unicodePathField(raw, 'old-name.txt', 0x12345678) }]);
  },
  // The field in the central directory only, and a different raw name in the local header with its own field.
  'unicode-path-field-local-header-differs': () => {
    const central = utf8('??.txt');
    const local = utf8('__.txt');
    return rawZip([
      { name: central, localName: local, data: 'both', centralExtra: unicodePathField(central, '日本.txt'), localExtra: unicodePathField(local, '日本.txt') },
    ]);
  },
  // yauzl's test/success/unicode-path-extra-field.zip, rebuilt: control bytes as the raw name, flagged UTF-8,
  // and four Unicode Path fields of which only the last is usable (empty name, version 2, stale CRC, current).
  'unicode-path-field-over-utf8-flag': () => {
    const raw = Buffer.from([...Array(16).keys()]);
    const version2 = unicodePathField(raw, '七');
    version2.writeUInt8(2, 4);
    const fields = Buffer.concat([unicodePathField(raw, ''), version2, unicodePathField(raw, '七', 0xffffffff), unicodePathField(raw, '七个房间.txt')]);
    return rawZip([{ name: raw, flags: 0x800, data: 'qi ge fangjian', centralExtra: fields, localExtra: fields }]);
  },
  // libarchive's test_read_format_zip_7075_utf8_paths.zip, rebuilt: the local header carries an ASCII
  // placeholder name, and its Unicode Path field has the CRC of the central directory's (CP437) name.
  'unicode-path-field-crc-of-central-name': () => {
    const central = cp437Bytes(...Buffer.from('File 4 - '), 0x86, ...Buffer.from('.txt'));
    const field = unicodePathField(central, 'File 4 - å.txt');
    return rawZip([{ name: central, localName: utf8('File 4 - xx.txt'), data: 'Test file', centralExtra: field, localExtra: field }]);
  },
  // The zip crate's ignore_encryption_flag.zip, rebuilt: a stored entry flagged encrypted with no
  // encryption header (both sizes 28).
  'encryption-flag-without-header': () => rawZip([{ name: 'plaintext.txt', data: 'This file is not encrypted.\n', flags: 0x1 }]),
  // bsdtar -a -cf site.zip . (and tar-style tools): every name starts with ./, the first entry is ./ itself.
  'bsdtar-dot-slash-names': () =>
    rawZip([
      { name: './', data: '' },
      { name: './index.html', data: '<h1>site</h1>' },
      { name: './css/', data: '' },
      { name: './css/site.css', data: 'body{}' },
    ]),
  'dot-segment-inside-name': () => rawZip([{ name: 'a/./b.txt', data: 'x' }]),
  'dot-slash-duplicate': () => rawZip([{ name: 'a.txt', data: 'one' }, { name: './a.txt', data: 'two' }]),
  // The same name once flagged UTF-8 and once UTF-8 without the flag: one key, so a duplicate.
  'decoded-duplicate': () => rawZip([{ name: 'ü.txt', data: 'one' }, { name: utf8('ü.txt'), data: 'two' }]),
  // An NFC and an NFD spelling of one name: distinct keys as they are, one key under nfc.
  'nfc-nfd-pair': () => rawZip([{ name: 'café.txt', data: 'nfc' }, { name: 'café.txt'.normalize('NFD'), data: 'nfd' }]),
  // bsdtar --format zip writing to a pipe: padded to its block size with zeros after the end record.
  'bsdtar-zero-padding': () => rawZip([{ name: 'padded.txt', data: 'padded' }], { trailing: Buffer.alloc(5425) }),
  'padding-with-non-zero-byte': () => rawZip([{ name: 'padded.txt', data: 'padded' }], { trailing: Buffer.concat([Buffer.alloc(100), Buffer.from([1])]) }),
  'zero-padding-over-64kib': () => rawZip([{ name: 'padded.txt', data: 'padded' }], { trailing: Buffer.alloc(64 * 1024 + 1) }),
} satisfies Record<string, () => Buffer>;

const UNSUPPORTED_METHODS: Array<[number, RegExp]> = [
  [1, /uses shrink \(compression method 1\)/],
  [6, /uses implode \(compression method 6\)/],
  [9, /uses deflate64 \(compression method 9\).*Windows Explorer writes deflate64/],
  [12, /uses bzip2 \(compression method 12\)/],
  [14, /uses LZMA \(compression method 14\)/],
  [95, /uses XZ \(compression method 95\)/],
  [98, /uses PPMd \(compression method 98\)/],
  [99, /uses AES encryption \(compression method 99\).*without encryption/],
  [77, /uses unknown compression method 77/],
];

describe('real archives through the CLI (names, methods, padding)', () => {
  let s3: TestS3;
  let dir: string;
  const run = (fixture: keyof typeof FIXTURES, ...flags: string[]) => {
    const path = join(dir, `${fixture}.zip`);
    writeFileSync(path, FIXTURES[fixture]());
    return runCli([path, '--bucket', BUCKET, '--prefix', `${fixture}${flags.join('')}`, ...flags], s3.env);
  };
  const keys = async (prefix: string) => [...(await listKeys(s3.client, BUCKET, `${prefix}/`)).keys()].sort();

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-real-'));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('macOS archives (UTF-8, no flag) get their intended names, kept in NFD by default', async () => {
    const result = await run('macos-nfd-utf8-without-flag');
    assert.equal(result.code, 0, result.stderr);
    const prefix = 'macos-nfd-utf8-without-flag';
    assert.deepEqual(await keys(prefix), [`${prefix}/caf\u00e9.txt`.normalize('NFD'), `${prefix}/donne\u0301es/u\u0308ni\u0308.txt`].sort());
  });

  it('--normalize-names nfc turns macOS NFD names into the NFC keys a URL asks for', async () => {
    const result = await run('macos-nfd-utf8-without-flag', '--normalize-names', 'nfc');
    assert.equal(result.code, 0, result.stderr);
    const prefix = 'macos-nfd-utf8-without-flag--normalize-namesnfc';
    assert.deepEqual(await keys(prefix), [`${prefix}/café.txt`, `${prefix}/données/ünï.txt`]);
    assert.match(result.stdout, /^New! macos-nfd-utf8-without-flag--normalize-namesnfc\/café\.txt \(4 bytes\)$/m);
  });

  it('Info-ZIP on Linux (UTF-8, no flag): données/ünï.txt and 世界.txt, not CP437 mojibake', async () => {
    const result = await run('infozip-linux-utf8-without-flag');
    assert.equal(result.code, 0, result.stderr);
    const prefix = 'infozip-linux-utf8-without-flag';
    assert.deepEqual(await keys(prefix), [`${prefix}/données/ünï.txt`, `${prefix}/世界.txt`]);
    assert.equal(await objectSha256(s3.client, BUCKET, `${prefix}/世界.txt`), sha256('world'));
  });

  it('--name-encoding cp437 reads the same bytes by the letter of the spec', async () => {
    const result = await run('infozip-linux-utf8-without-flag', '--name-encoding', 'cp437');
    assert.equal(result.code, 0, result.stderr);
    const prefix = 'infozip-linux-utf8-without-flag--name-encodingcp437';
    assert.deepEqual(await keys(prefix), [`${prefix}/donn├⌐es/├╝n├».txt`, `${prefix}/Σ╕ûτòî.txt`]);
  });

  it('a CP437 name that is not UTF-8 stays CP437 under auto, and is refused under --name-encoding utf8', async () => {
    const auto = await run('cp437-name');
    assert.equal(auto.code, 0, auto.stderr);
    assert.deepEqual(await keys('cp437-name'), ['cp437-name/café.txt']);
    const forced = await run('cp437-name', '--name-encoding', 'utf8');
    assert.equal(forced.code, 2);
    assert.equal(forced.stderr, `s3zipsync: entry name is not valid utf-8 (nameEncoding 'utf8'): "café.txt"\n`);
  });

  it('the Unicode Path extra field gives the name when its CRC matches the raw name', async () => {
    const result = await run('unicode-path-field');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('unicode-path-field'), ['unicode-path-field/日本.txt']);
  });

  it('a Unicode Path field with a stale CRC is ignored: the raw name is used', async () => {
    const result = await run('unicode-path-field-stale-crc');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('unicode-path-field-stale-crc'), ['unicode-path-field-stale-crc/renamed.txt']);
  });

  it('local and central headers whose raw names differ but decode to the same name agree', async () => {
    const result = await run('unicode-path-field-local-header-differs');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('unicode-path-field-local-header-differs'), ['unicode-path-field-local-header-differs/日本.txt']);
    assert.equal(await objectSha256(s3.client, BUCKET, 'unicode-path-field-local-header-differs/日本.txt'), sha256('both'));
  });

  it('a Unicode Path field with a matching CRC is used over the UTF-8 flag and raw control bytes (yauzl fixture)', async () => {
    const result = await run('unicode-path-field-over-utf8-flag');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('unicode-path-field-over-utf8-flag'), ['unicode-path-field-over-utf8-flag/七个房间.txt']);
    assert.equal(await objectSha256(s3.client, BUCKET, 'unicode-path-field-over-utf8-flag/七个房间.txt'), sha256('qi ge fangjian'));
  });

  it("a local header's Unicode Path field made for the central name agrees with it (libarchive fixture)", async () => {
    const result = await run('unicode-path-field-crc-of-central-name');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await keys('unicode-path-field-crc-of-central-name'), ['unicode-path-field-crc-of-central-name/File 4 - å.txt']);
    assert.equal(await objectSha256(s3.client, BUCKET, 'unicode-path-field-crc-of-central-name/File 4 - å.txt'), sha256('Test file'));
  });

  it('an encryption flag without an encryption header is refused naming the flag, not as a size mismatch', async () => {
    const result = await run('encryption-flag-without-header');
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      's3zipsync: encrypted entry is not supported: "plaintext.txt" (it has the encryption flag, though its stored size leaves no room for an encryption header)\n',
    );
    assert.deepEqual(await keys('encryption-flag-without-header'), []);
  });

  it('bsdtar ./ names: the leading ./ is dropped, the ./ root entry is not a key', async () => {
    const result = await run('bsdtar-dot-slash-names');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('bsdtar-dot-slash-names'), ['bsdtar-dot-slash-names/css/site.css', 'bsdtar-dot-slash-names/index.html']);
  });

  it('a . segment inside a name is still refused', async () => {
    const result = await run('dot-segment-inside-name');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 's3zipsync: entry name has an empty or "." segment: "a/./b.txt"\n');
  });

  it('a.txt and ./a.txt are one key: refused as duplicates naming both', async () => {
    const result = await run('dot-slash-duplicate');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 's3zipsync: duplicate entry name: "a.txt" and "./a.txt" are both "a.txt" after dropping a leading "./"\n');
    assert.deepEqual(await keys('dot-slash-duplicate'), []);
  });

  it('a flagged and an unflagged spelling of one UTF-8 name are duplicates', async () => {
    const result = await run('decoded-duplicate');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 's3zipsync: duplicate entry name: "ü.txt"\n');
  });

  it('NFC and NFD spellings: two keys by default, a duplicate under --normalize-names nfc', async () => {
    const asIs = await run('nfc-nfd-pair');
    assert.equal(asIs.code, 0, asIs.stderr);
    assert.equal((await keys('nfc-nfd-pair')).length, 2);
    const normalized = await run('nfc-nfd-pair', '--normalize-names', 'nfc');
    assert.equal(normalized.code, 2);
    assert.equal(
      normalized.stderr,
      `s3zipsync: duplicate entry name: "café.txt" and "${'café.txt'.normalize('NFD')}" are both "café.txt" after dropping a leading "./" and NFC normalization\n`,
    );
  });

  for (const [method, message] of UNSUPPORTED_METHODS) {
    it(`names compression method ${method} and says what to do`, async () => {
      const path = join(dir, `method-${method}.zip`);
      const entry: RawEntry = { name: 'vimrc', data: 'set nocompatible\n', method };
      writeFileSync(path, rawZip([{ name: 'ok.txt', data: 'ok' }, entry]));
      const result = await runCli([path, '--bucket', BUCKET, '--prefix', `method-${method}`], s3.env);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.split('\n').length, 2, result.stderr);
      assert.match(result.stderr, /^s3zipsync: entry "vimrc" uses /);
      assert.match(result.stderr, message);
      if (method !== 99) assert.match(result.stderr, /re-create the archive with deflate, e\.g\. `zip -r site\.zip site` or `7z a -tzip -mm=Deflate site\.zip site`/);
      assert.deepEqual(await keys(`method-${method}`), []);
    });
  }

  it('Zstandard (method 93) is refused with the Node version that lacks it', { skip: nodeHasZstd && 'this Node decodes Zstandard' }, async () => {
    const path = join(dir, 'zstd-refused.zip');
    writeFileSync(path, rawZip([{ name: 'z.txt', data: 'zstd', method: 93 }]));
    const result = await runCli([path, '--bucket', BUCKET, '--prefix', 'zstd-refused'], s3.env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`^s3zipsync: entry "z\\.txt" uses Zstandard \\(compression method 93\\), which s3zipsync cannot decode; this Node ${process.version.replace(/\./g, '\\.')} has no Zstandard decoder \\(Node >= 22\\.15 has one\\)`));
  });

  it('Zstandard (method 93) entries sync byte-identically where Node decodes them, CRC checked', { skip: !(nodeHasZstd && zstdCompress) && `Node ${process.version} has no zlib Zstandard` }, async () => {
    const text = 'zstandard entry\n'.repeat(2000);
    // Small enough to decode in one chunk: s3rver keeps the bytes of a PUT aborted mid-body, so a
    // multi-chunk corrupt entry would leave a truncated object there (AWS would reject it).
    const corrupt = 'corrupt zstandard entry\n'.repeat(10);
    const path = join(dir, 'zstd.zip');
    writeFileSync(path, rawZip([
      { name: 'good.txt', data: text, method: 93, compressedBody: zstdCompress!(Buffer.from(text)) },
      { name: 'bad.txt', data: corrupt, method: 93, compressedBody: zstdCompress!(Buffer.from(corrupt)), crc32Override: 0x12345678 },
      { name: 'not-a-frame.txt', data: 'x', method: 93, compressedBody: Buffer.from('not a zstandard frame') },
    ]));
    const result = await runCli([path, '--bucket', BUCKET, '--prefix', 'zstd'], s3.env);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(await objectSha256(s3.client, BUCKET, 'zstd/good.txt'), sha256(text));
    assert.match(result.stdout, /^Failed zstd\/bad\.txt: corrupt entry "bad\.txt": crc32 [0-9a-f]{8} read, 12345678 declared$/m);
    assert.match(result.stdout, /^Failed zstd\/not-a-frame\.txt: corrupt entry "not-a-frame\.txt": /m);
    assert.deepEqual(await keys('zstd'), ['zstd/good.txt']);
  });

  it('bsdtar zero padding after the end record is accepted', async () => {
    const result = await run('bsdtar-zero-padding');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('bsdtar-zero-padding'), ['bsdtar-zero-padding/padded.txt']);
  });

  it('bsdtar zero padding is accepted from a zip in S3 too (read with ranged GETs)', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sources/padded.zip', Body: FIXTURES['bsdtar-zero-padding']() }));
    const result = await runCli([`s3://${BUCKET}/sources/padded.zip`, '--bucket', BUCKET, '--prefix', 'padded-from-s3'], s3.env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await keys('padded-from-s3'), ['padded-from-s3/padded.txt']);
    assert.equal(await objectSha256(s3.client, BUCKET, 'padded-from-s3/padded.txt'), sha256('padded'));
  });

  for (const fixture of ['padding-with-non-zero-byte', 'zero-padding-over-64kib'] as const) {
    it(`trailing data that is not bounded zero padding stays refused (${fixture})`, async () => {
      const result = await run(fixture);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^s3zipsync: not a valid zip archive .*Invalid comment length/);
      assert.deepEqual(await keys(fixture), []);
    });
  }
});

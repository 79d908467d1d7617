import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { createRecordingPlugin, type RecordingPlugin } from '../../tools/s3-proxy/recording-proxy.js';
import { startReverseProxy, type ProxiedRequest, type ReverseProxy } from '../../tools/s3-proxy/reverse-proxy.js';
import { objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { makeZip } from '../helpers/zip-fixtures.js';
import { onlyOn, TEST_SERVER } from '../helpers/test-server.js';

const onRgw = TEST_SERVER === 'rgw';
const BUCKET = 'headers-bucket';
const MiB = 1024 * 1024;
// Above the CLI's 16 MiB multipart threshold: this one goes through lib-storage's multipart upload.
const BIG = Buffer.alloc(17 * MiB, 'multipart bytes\n');

const SITE = [
  { name: 'index.html', data: '<h1>home</h1>' },
  { name: 'about/index.html', data: '<h1>about</h1>' },
  { name: 'assets/app.js', data: 'console.log(1)' },
  { name: 'assets/legal.html', data: '<p>legal</p>' },
  { name: 'data/table.dat', data: 'a,b\n1,2\n' },
  { name: 'video/big.bin', data: BIG },
];

describe('object headers through the CLI, against s3rver', () => {
  let s3: TestS3;
  let proxy: ReverseProxy;
  let recorder: RecordingPlugin;
  let dir: string;
  let zipPath: string;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    recorder = createRecordingPlugin();
    proxy = await startReverseProxy(s3.endpoint, { plugins: [recorder] });
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-headers-'));
    zipPath = join(dir, 'site.zip');
    writeFileSync(zipPath, await makeZip(SITE));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const head = (key: string): Promise<HeadObjectCommandOutput> => s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  const cli = (prefix: string, ...flags: string[]) =>
    runCli([zipPath, '--bucket', BUCKET, '--prefix', prefix, '--endpoint-url', proxy.endpoint, '--force-path-style', '--no-progress', ...flags], s3.env);

  it('every header flag lands on the object, single and multipart alike; per-pattern rules apply in order', async () => {
    recorder.take();
    const run = await cli(
      'site',
      ...['--cache-control', 'max-age=300', '--content-disposition', 'inline', '--content-language', 'en'],
      ...['--expires', '2030-01-01T00:00:00Z', '--metadata', 'team=web', '--metadata', 'Build=42'],
      ...['--content-type-for', '*.dat=text/csv'],
      ...['--header-for', '*.html:Cache-Control: no-cache'],
      ...['--header-for', 'assets/**:Cache-Control: max-age=31536000, immutable'],
      ...['--header-for', 'about/**:x-amz-meta-section: about'],
      // radosgw 16.2's default placement defines only STANDARD: it answers InvalidArgument to STANDARD_IA.
      ...(onRgw ? [] : ['--storage-class', 'STANDARD_IA']),
    );
    assert.equal(run.code, 0, run.stderr);

    const home = await head('site/index.html');
    assert.equal(home.CacheControl, 'no-cache', '*.html rule over --cache-control');
    assert.equal(home.ContentType, 'text/html');
    assert.equal(home.ContentDisposition, 'inline');
    assert.equal(home.ContentLanguage, 'en');
    assert.equal(home.ExpiresString, 'Tue, 01 Jan 2030 00:00:00 GMT');
    if (!onRgw) assert.equal(home.StorageClass, 'STANDARD_IA');
    assert.equal(home.Metadata?.team, 'web');
    assert.equal(home.Metadata?.build, '42', 'keys stored lower-case');
    assert.ok(home.Metadata?.['s3zipsync-crc32'], 'our own metadata is kept beside the user metadata');

    // assets/legal.html matches both rules: the later one (assets/**) wins.
    assert.equal((await head('site/assets/legal.html')).CacheControl, 'max-age=31536000, immutable');
    assert.equal((await head('site/assets/app.js')).CacheControl, 'max-age=31536000, immutable');
    assert.equal((await head('site/about/index.html')).Metadata?.section, 'about');
    assert.equal((await head('site/index.html')).Metadata?.section, undefined);
    const table = await head('site/data/table.dat');
    assert.equal(table.ContentType, 'text/csv');
    assert.equal(table.CacheControl, 'max-age=300', 'no rule matches: the run-wide value');

    const big = await head('site/video/big.bin');
    assert.equal(big.CacheControl, 'max-age=300');
    if (!onRgw) assert.equal(big.StorageClass, 'STANDARD_IA');
    assert.equal(big.Metadata?.team, 'web');
    assert.equal(await objectSha256(s3.client, BUCKET, 'site/video/big.bin'), sha256(BIG));

    const created = recorder.take().filter((request) => request.operation === 'CreateMultipartUpload');
    assert.equal(created.length, 1, 'the big entry went through multipart');
    assert.equal(created[0]!.headers['cache-control'], 'max-age=300');
  });

  it('storage class, SSE-KMS and the ACL are sent on the wire, on PutObject and CreateMultipartUpload', async () => {
    recorder.take();
    const run = await cli('wire', '--storage-class', 'GLACIER_IR', '--sse', 'aws:kms', '--sse-kms-key-id', 'alias/site', '--acl', 'public-read');
    // s3rver stores no encryption and refuses GLACIER_IR (it predates it): what matters here is the request.
    const writes = recorder.take().filter((request) => request.operation === 'PutObject' || request.operation === 'CreateMultipartUpload');
    assert.equal(writes.length, SITE.length, run.stderr);
    for (const request of writes) {
      assert.equal(request.headers['x-amz-storage-class'], 'GLACIER_IR', request.url);
      assert.equal(request.headers['x-amz-server-side-encryption'], 'aws:kms', request.url);
      assert.equal(request.headers['x-amz-server-side-encryption-aws-kms-key-id'], 'alias/site', request.url);
      assert.equal(request.headers['x-amz-acl'], 'public-read', request.url);
    }
    assert.deepEqual(new Set(writes.map((request) => request.operation)), new Set(['PutObject', 'CreateMultipartUpload']));
  });

  it('AES256 is sent as is; without --sse, --acl or --storage-class none of their headers is sent', { skip: onlyOn('s3rver', 'radosgw 16.2 without an encryption backend refuses SSE-S3 (AES256) with InvalidRequest') }, async () => {
    recorder.take();
    assert.equal((await cli('aes', '--sse', 'AES256')).code, 0);
    const aes = writesOf(recorder.take());
    assert.ok(aes.every((request) => request.headers['x-amz-server-side-encryption'] === 'AES256'));
    assert.ok(aes.every((request) => request.headers['x-amz-server-side-encryption-aws-kms-key-id'] === undefined));

    assert.equal((await cli('plain')).code, 0);
    for (const request of writesOf(recorder.take())) {
      for (const header of ['x-amz-storage-class', 'x-amz-server-side-encryption', 'x-amz-acl', 'cache-control', 'expires']) {
        assert.equal(request.headers[header], undefined, `${header} on ${request.url}`);
      }
    }
  });

  it('a metadata-only change: ignored by default, rewritten with CopyObject and no bytes under --compare-headers', async () => {
    const first = await cli('meta', '--header-for', '*.html:Cache-Control: no-cache');
    assert.equal(first.code, 0, first.stderr);
    const etagBefore = (await head('meta/video/big.bin')).ETag;

    recorder.take();
    const bySize = await cli('meta', '--header-for', '*.html:Cache-Control: max-age=60');
    assert.equal(bySize.code, 0, bySize.stderr);
    assert.match(bySize.stdout, /Summary: 0 new, 0 updated, 6 ignored/, 'by default the same sizes decide, as aws s3 sync');
    assert.equal((await head('meta/index.html')).CacheControl, 'no-cache');

    recorder.take();
    const rewrite = await cli('meta', '--header-for', '*.html:Cache-Control: max-age=60', '--compare-headers');
    assert.equal(rewrite.code, 0, rewrite.stderr);
    const requests = recorder.take();
    const count = (operation: string) => requests.filter((request) => request.operation === operation).length;
    assert.equal(count('CopyObject'), 3, 'the three HTML files');
    assert.equal(count('PutObject') + count('CreateMultipartUpload') + count('UploadPart'), 0, 'no bytes sent again');
    assert.match(rewrite.stdout, /Updated! meta\/index\.html \(13 bytes, same bytes, headers changed: Cache-Control\)/);
    assert.doesNotMatch(rewrite.stdout, /meta\/assets\/app\.js/, 'unchanged: no line without -v');
    assert.match(rewrite.stdout, /Compare headers: 3 objects rewritten in place/);
    assert.match(rewrite.stdout, /Uploaded 0 B/);
    for (const copy of requests.filter((request) => request.operation === 'CopyObject')) {
      assert.equal(copy.headers['x-amz-metadata-directive'], 'REPLACE');
      assert.equal(copy.headers['cache-control'], 'max-age=60');
    }
    const home = await head('meta/index.html');
    assert.equal(home.CacheControl, 'max-age=60');
    assert.equal(home.ContentType, 'text/html', 'the rewrite keeps the Content-Type');
    assert.ok(home.Metadata?.['s3zipsync-crc32'], 'and our metadata');
    assert.equal((await head('meta/video/big.bin')).ETag, etagBefore);

    recorder.take();
    const again = await cli('meta', '--header-for', '*.html:Cache-Control: max-age=60', '--compare-headers');
    assert.match(again.stdout, /Summary: 0 new, 0 updated, 6 ignored/, 'converged');
    assert.equal(recorder.take().filter((request) => request.operation === 'CopyObject').length, 0);
  });

  for (const [flags, message] of [
    [['--metadata', 's3zipsync-crc32=0'], '--metadata: metadata key "s3zipsync-crc32" is reserved'],
    [['--header-for', '*.html:Content-Encoding: br'], 'header "Content-Encoding" cannot be set per pattern'],
    [['--header-for', 'no-header-here'], '--header-for wants GLOB:Header: value'],
    [['--content-type-for', 'text/plain'], '--content-type-for wants GLOB=TYPE'],
    [['--sse-kms-key-id', 'k'], '--sse-kms-key-id needs --sse "aws:kms"'],
    [['--expires', 'next tuesday'], '--expires must be a date'],
  ] as const) {
    it(`refuses ${flags.join(' ')} before writing anything (exit 2, one line)`, async () => {
      recorder.take();
      const run = await cli('refused', ...flags);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(message), run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.equal(writesOf(recorder.take()).length, 0);
    });
  }
});

function writesOf(requests: ProxiedRequest[]): ProxiedRequest[] {
  return requests.filter((request) => request.operation === 'PutObject' || request.operation === 'CreateMultipartUpload');
}

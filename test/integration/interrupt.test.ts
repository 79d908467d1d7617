import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { multipartLedger } from '../helpers/multipart-ledger.js';
import { runCliOnceReady } from '../helpers/run-cli.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'interrupt-bucket';
const MiB = 1024 * 1024;

/**
 * SIGINT / SIGTERM while two multipart uploads are in flight (their parts held back by the proxy),
 * with the real CLI as a child process.
 */
describe('interrupting a sync with large entries in flight (real CLI)', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let dir: string;
  let zipPath: string;
  const small = Array.from({ length: 6 }, (_, i) => ({ name: `small/${i}.txt`, data: `small ${i}\n`.repeat(20) }));

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-interrupt-'));
    zipPath = join(dir, 'big.zip');
    const big = (seed: number) => Buffer.alloc(17 * MiB, seed); // over the 16 MiB multipart threshold
    writeFileSync(zipPath, await makeZip([...small, { name: 'big/1.bin', data: big(1) }, { name: 'big/2.bin', data: big(2) }]));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const variants = [
    // The server's own answer: s3rver's is 405, so the entry then names the upload id to remove;
    // radosgw aborts the upload, as AWS does.
    { signal: 'SIGINT', exitCode: 130, abortAnswer: 'server' },
    // As AWS would: the abort succeeds, and the entries are reported aborted.
    { signal: 'SIGTERM', exitCode: 143, abortAnswer: 'success' },
  ] as const;

  for (const { signal, exitCode, abortAnswer } of variants) {
    it(`${signal}: in-flight multipart uploads are aborted, what completed is summarised, exit ${exitCode}`, async () => {
      const prefix = signal.toLowerCase();
      const ledger = multipartLedger();
      proxy.setRules([
        ledger.rule,
        { match: 'UploadPart', delayMs: 30_000 }, // parts stay in flight until the signal
        ...(abortAnswer === 'success' ? [{ match: 'AbortMultipartUpload' as const, respond: { status: 204 } }] : []),
      ]);
      // Both big entries have a part on the wire once two upload ids have been seen.
      const { code, stdout, stderr } = await runCliOnceReady(
        [zipPath, '--bucket', BUCKET, '--prefix', prefix, '--endpoint-url', proxy.endpoint, '--force-path-style', '--concurrency', '8'],
        s3.env,
        () => ledger.uploadIds().size >= 2,
        'two multipart uploads started',
        (child) => void child.kill(signal),
      );
      proxy.setRules([]);

      assert.equal(code, exitCode, stderr);
      assert.match(stderr, new RegExp(`^s3zipsync: ${signal} received, stopping`));
      assert.match(stdout, /^Summary: \d+ new, 0 updated, 0 ignored, 2 failed/m);
      assert.match(stdout, /^Interrupted: in-flight uploads were aborted; run again to finish\.$/m);
      for (const key of [`${prefix}/big/1.bin`, `${prefix}/big/2.bin`]) {
        const line = stdout.split('\n').find((l) => l.startsWith(`Failed ${key}: `));
        assert.ok(line, `${key} reported failed`);
        if (abortAnswer === 'success' || s3.kind === 'rgw') assert.equal(line, `Failed ${key}: aborted`);
        else assert.match(line, /^Failed \S+: upload of \S+ aborted and its multipart upload \S+ could not be aborted \(MethodNotAllowed \(HTTP 405\).*; remove it with: aws s3api abort-multipart-upload/);
      }
      assert.equal(ledger.completed().size, 0, 'no multipart upload completed');
      assert.deepEqual(ledger.leftBehind(), [], 'an abort was sent for every multipart upload');
      assert.equal(ledger.aborted().size, 2);

      const reportedNew = stdout.split('\n').filter((l) => l.startsWith('New! ')).map((l) => l.split(' ')[1]!);
      const stored = await listKeys(s3.client, BUCKET, `${prefix}/`);
      assert.deepEqual([...stored.keys()].sort(), reportedNew.sort(), 'exactly the reported objects exist');
      for (const key of stored.keys()) {
        const file = small.find((f) => `${prefix}/${f.name}` === key)!;
        assert.equal(await objectSha256(s3.client, BUCKET, key), sha256(file.data));
      }
    });
  }
  it('SIGINT while the CompleteMultipartUploads are on the wire: they are waited for, and the entries reported New!, not Failed', async () => {
    const prefix = 'completing';
    const ledger = multipartLedger();
    // Held back by the proxy, then forwarded: S3 stores the objects after the signal came.
    proxy.setRules([ledger.rule, { match: 'CompleteMultipartUpload', delayMs: 2_500 }]);
    const { code, stdout, stderr } = await runCliOnceReady(
      [zipPath, '--bucket', BUCKET, '--prefix', prefix, '--endpoint-url', proxy.endpoint, '--force-path-style', '--concurrency', '8'],
      s3.env,
      () => ledger.completed().size >= 2,
      'both CompleteMultipartUploads sent',
      (child) => void child.kill('SIGINT'),
    );
    proxy.setRules([]);

    assert.equal(code, 130, stderr);
    for (const key of [`${prefix}/big/1.bin`, `${prefix}/big/2.bin`]) {
      assert.match(stdout, new RegExp(`^New! ${key} \\(${17 * MiB} bytes\\)$`, 'm'), `${key}: ${stdout}`);
      assert.doesNotMatch(stdout, new RegExp(`^Failed ${key}`, 'm'));
    }
    assert.deepEqual([...ledger.aborted()], [], 'no abort sent for an upload that completed');
    const reportedNew = stdout.split('\n').filter((l) => l.startsWith('New! ')).map((l) => l.split(' ')[1]!);
    const stored = await listKeys(s3.client, BUCKET, `${prefix}/`);
    assert.deepEqual([...stored.keys()].sort(), reportedNew.sort(), 'exactly the reported objects exist');
    assert.equal(await objectSha256(s3.client, BUCKET, `${prefix}/big/2.bin`), sha256(Buffer.alloc(17 * MiB, 2)));
  });
});

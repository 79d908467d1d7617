import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NOT_A_ZIP, UNIX_SYMLINK_MODE, emptyZip, makeZip, rawZip, truncate } from '../helpers/zip-fixtures.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { closedPort } from '../helpers/closed-port.js';

const BUCKET = 'cli-bucket';

describe('s3zipsync CLI against s3rver', () => {
  let s3: TestS3;
  let dir: string;
  const zipFile = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-cli-'));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs, prints one line per entry and a summary, and nothing on stderr', async () => {
    const zip = zipFile('site.zip', await makeZip([
      { name: 'index.html', data: '<h1>hi</h1>' },
      { name: 'assets/', data: '' },
      { name: 'assets/app.js', data: 'console.log(1)\n'.repeat(100) },
    ]));
    const first = await runCli([zip, '--bucket', BUCKET, '--prefix', 'site'], s3.env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '', 'no warnings, no SDK notices');
    const lines = first.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2).sort(), ['New! site/assets/app.js (1500 bytes)', 'New! site/index.html (11 bytes)']);
    assert.match(lines[2]!, /^Summary: 2 new, 0 updated, 0 ignored, 0 failed$/);
    assert.match(first.stdout, /S3 requests: 5 \(HeadObject 2, ListObjectsV2 1, PutObject 2\)/);
    assert.equal(await objectSha256(s3.client, BUCKET, 'site/assets/app.js'), sha256('console.log(1)\n'.repeat(100)));

    // No change: no line per unchanged file (as aws-cli and rclone), the summary counts them; -v lists them, --json has every event.
    const second = await runCli([zip, '--bucket', BUCKET, '--prefix', 'site/'], s3.env);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /^Summary: 0 new, 0 updated, 2 ignored, 0 failed\n/);
    assert.doesNotMatch(second.stdout, /Ignored/);
    const verbose = await runCli([zip, '--bucket', BUCKET, '--prefix', 'site/', '-v'], s3.env);
    assert.deepEqual(verbose.stdout.split('\n').filter((line) => line.startsWith('Ignored ')).sort(), ['Ignored site/assets/app.js', 'Ignored site/index.html']);
    const json = await runCli([zip, '--bucket', BUCKET, '--prefix', 'site/', '--json'], s3.env);
    const actions = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; action?: string }).filter((event) => event.type === 'entry').map((event) => event.action);
    assert.deepEqual(actions, ['ignored', 'ignored']);
  });

  it('stays quiet on stderr at the default concurrency (no listener warnings from many requests in flight)', async () => {
    const zip = zipFile('forty.zip', await makeZip(Array.from({ length: 40 }, (_, i) => ({ name: `n/${i}.txt`, data: `n${i}` }))));
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'quiet'], s3.env);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
  });

  it('--json prints a start object, one object per entry and a summary object', async () => {
    const zip = zipFile('json.zip', await makeZip([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'bb' }]));
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'json', '--json'], s3.env);
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(events[0]!.type, 'start');
    assert.deepEqual(events.slice(1, 3).map((e) => [e.type, e.action, e.key]).sort(), [['entry', 'new', 'json/a.txt'], ['entry', 'new', 'json/b.txt']]);
    const summary = events.at(-1)!;
    assert.equal(summary.type, 'summary');
    assert.deepEqual((summary.counts as Record<string, number>).new, 2);
    assert.equal(summary.complete, true);
  });

  it('--dry-run prints decisions and writes nothing', async () => {
    const zip = zipFile('dry.zip', await makeZip([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b'.repeat(2047) }]));
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'dry', '--dry-run'], s3.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^New! dry\/a\.txt \(1 bytes\) \[dry run\]$/m);
    // Not "Uploaded 0 B": what the run would send.
    assert.match(run.stdout, /^Would upload 2\.0 KiB to s3:\/\/cli-bucket\/dry\/ in [\d.]+ s with strategy auto$/m);
    assert.equal((await listKeys(s3.client, BUCKET, 'dry/')).size, 0);
  });

  const hostile: Array<[string, () => Promise<Buffer> | Buffer, RegExp]> = [
    ['zip-slip', () => rawZip([{ name: 'ok.txt', data: 'ok' }, { name: '../evil.txt', data: 'x' }]), /escapes the target with "\.\.": "\.\.\/evil\.txt"/],
    ['absolute path', () => rawZip([{ name: 'ok.txt', data: 'ok' }, { name: '/etc/passwd', data: 'x' }]), /absolute entry name: "\/etc\/passwd"/],
    ['backslash', () => rawZip([{ name: 'a\\b.txt', data: 'x' }]), /backslash/],
    ['duplicate names', () => rawZip([{ name: 'same.txt', data: 'a' }, { name: 'same.txt', data: 'b' }]), /duplicate entry name: "same\.txt"/],
    ['encrypted entry', () => rawZip([{ name: 'secret.txt', data: 'x', encrypted: true }]), /encrypted entry/],
    ['truncated file', async () => { const z = await makeZip([{ name: 'a.txt', data: 'a'.repeat(5000) }]); return truncate(z, z.length - 30); }, /not a valid zip archive/],
    ['not a zip', () => NOT_A_ZIP, /not a valid zip archive/],
    ['empty zip', () => emptyZip(), /archive contains no files/],
  ];
  for (const [label, build, message] of hostile) {
    it(`refuses a hostile or broken archive (${label}): exit 2, one line on stderr, nothing written`, async () => {
      const prefix = `hostile-${label.replace(/\W+/g, '-')}`;
      const run = await runCli([zipFile(`${prefix}.zip`, await build()), '--bucket', BUCKET, '--prefix', prefix], s3.env);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      assert.equal((await listKeys(s3.client, BUCKET)).has(`${prefix}/ok.txt`), false);
      assert.equal((await listKeys(s3.client, BUCKET, `${prefix}/`)).size, 0);
    });
  }

  it('fails only the corrupt entry (crc mismatch): exit 1, others stored, corrupt one not stored', async () => {
    const zip = zipFile('crc.zip', rawZip([
      { name: 'good.txt', data: 'good data' },
      { name: 'bad.txt', data: 'tampered!', crc32Override: 0x12345678 },
    ]));
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'crc'], s3.env);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^New! crc\/good\.txt \(9 bytes\)$/m);
    assert.match(run.stdout, /^Failed crc\/bad\.txt: corrupt entry "bad\.txt": crc32 [0-9a-f]{8} read, 12345678 declared$/m);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'crc/')).keys()], ['crc/good.txt']);
  });

  it('skips a symlink entry with a warning on stderr', async () => {
    const zip = zipFile('link.zip', await makeZip([{ name: 'real.txt', data: 'real' }, { name: 'link', data: 'real.txt', mode: UNIX_SYMLINK_MODE }]));
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'link'], s3.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, 'warning: skipped symlink entry link\n');
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'link/')).keys()], ['link/real.txt']);
  });

  it('names a missing bucket, bad credentials and an unreachable endpoint in one line, exit 2', async () => {
    const zip = zipFile('one.zip', await makeZip([{ name: 'a.txt', data: 'a' }]));
    const missing = await runCli([zip, '--bucket', 'no-such-bucket'], s3.env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `s3zipsync: bucket not found: no-such-bucket at ${s3.endpoint}; check the bucket name, --region and --endpoint-url\n`);

    const badKey = await runCli([zip, '--bucket', BUCKET], { ...s3.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' });
    assert.equal(badKey.code, 2);
    assert.match(badKey.stderr, /^s3zipsync: invalid credentials for bucket cli-bucket: InvalidAccessKeyId/);
    assert.equal(badKey.stderr.split('\n').length, 2);
    assert.doesNotMatch(badKey.stderr, /AKIAIOSFODNN7EXAMPLE|S3RVER/, 'no secrets in output');

    const port = await closedPort();
    const down = await runCli([zip, '--bucket', BUCKET, '--endpoint-url', `http://127.0.0.1:${port}`, '--max-attempts', '1'], s3.env);
    assert.equal(down.code, 2);
    assert.match(down.stderr, new RegExp(`^s3zipsync: cannot reach S3 endpoint http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    assert.equal(down.stderr.split('\n').length, 2);

    const downByEnv = await runCli([zip, '--bucket', BUCKET, '--max-attempts', '1'], { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
    assert.equal(downByEnv.code, 2);
    assert.match(downByEnv.stderr, new RegExp(`^s3zipsync: cannot reach S3 endpoint http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  it('usage errors exit 2 with one line', async () => {
    const run = await runCli(['x.zip'], s3.env);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 's3zipsync: Missing required argument: bucket (see s3zipsync --help)\n');
    const missingZip = await runCli([join(dir, 'nope.zip'), '--bucket', BUCKET], s3.env);
    assert.equal(missingZip.code, 2);
    assert.match(missingZip.stderr, /^s3zipsync: zip file not found: .*nope\.zip\n$/);
  });

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  it(`${signal} stops the run, prints the summary of what was done and exits ${exitCode}`, async () => {
    const files = Array.from({ length: 400 }, (_, i) => ({ name: `f/${i}.txt`, data: `file ${i}\n`.repeat(50) }));
    const zip = zipFile('many.zip', await makeZip(files));
    let sent = false;
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', signal, '--concurrency', '2'], s3.env, (stdout, child) => {
      if (!sent && stdout.includes('New!')) {
        sent = true;
        child.kill(signal);
      }
    });
    assert.equal(run.code, exitCode, run.stderr);
    assert.match(run.stderr, new RegExp(`${signal} received`));
    assert.match(run.stdout, /^Summary: \d+ new, 0 updated, 0 ignored, \d+ failed \(\d+ not started\)$/m);
    assert.match(run.stdout, /^Interrupted: /m);
    const reportedNew = run.stdout.split('\n').filter((line) => line.startsWith('New! ')).length;
    assert.ok(reportedNew < files.length);
    assert.equal((await listKeys(s3.client, BUCKET, `${signal}/`)).size, reportedNew, 'exactly the reported objects exist');
  });
  }
});


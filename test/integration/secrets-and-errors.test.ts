import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { makeZip, rawZip } from '../helpers/zip-fixtures.js';
import { closedPort } from '../helpers/closed-port.js';

const BUCKET = 'secrets-bucket';

/**
 * No access key, secret or session token in any output, on success and on every error path, text
 * and --json; and every expected run-level failure is one line naming the bucket or endpoint with
 * the fix.
 */
describe('secrets never appear in output; run-level failures say what to fix', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let dir: string;
  let goodZip: string;
  let corruptZip: string;
  // Distinctive values: any appearance in output is a leak, not a coincidence.
  const fakeKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const fakeSecret = randomBytes(30).toString('base64');
  const sessionToken = `IQoJ${randomBytes(60).toString('base64')}`;
  const runs: Array<{ label: string; run: CliRun; secrets: string[] }> = [];

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-secrets-'));
    goodZip = join(dir, 'good.zip');
    writeFileSync(goodZip, await makeZip([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'bb' }]));
    corruptZip = join(dir, 'corrupt.zip');
    writeFileSync(corruptZip, rawZip([{ name: 'ok.txt', data: 'ok' }, { name: 'bad.txt', data: 'x', crc32Override: 1 }]));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // s3rver accepts only its own key pair; the session token rides along on every signed request.
  const realEnv = () => ({ ...s3.env, AWS_SESSION_TOKEN: sessionToken });
  const fakeEnv = () => ({ ...s3.env, AWS_ACCESS_KEY_ID: fakeKeyId, AWS_SECRET_ACCESS_KEY: fakeSecret, AWS_SESSION_TOKEN: sessionToken });
  const realSecrets = () => [s3.credentials.accessKeyId, s3.credentials.secretAccessKey, sessionToken];
  const fakeSecrets = [fakeKeyId, fakeSecret, sessionToken];

  async function cli(label: string, args: string[], env: NodeJS.ProcessEnv, secrets: string[]): Promise<CliRun> {
    const run = await runCli(args, env);
    runs.push({ label, run, secrets });
    return run;
  }

  const oneLine = (run: CliRun, json = false) => {
    if (json) {
      // With --json, stdout carries the same failure as one JSON line (docs/json-output.md).
      const error = JSON.parse(run.stdout) as { type: string; message: string };
      assert.equal(error.type, 'error');
      assert.equal(`s3zipsync: ${error.message}\n`, run.stderr);
      assert.equal(run.stdout.split('\n').length, 2, run.stdout);
    } else {
      assert.equal(run.stdout, '');
    }
    assert.equal(run.stderr.split('\n').length, 2, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  };

  it('success, text and --json, dry run', async () => {
    for (const extra of [[], ['--json'], ['--dry-run', '--json']]) {
      const run = await cli(`success ${extra.join(' ')}`, [goodZip, '--bucket', BUCKET, '--prefix', 'ok', ...extra], realEnv(), realSecrets());
      assert.equal(run.code, 0, run.stderr);
    }
  });

  it('an entry failure, text and --json', async () => {
    for (const extra of [[], ['--json']]) {
      const run = await cli(`corrupt entry ${extra.join(' ')}`, [corruptZip, '--bucket', BUCKET, '--prefix', 'corrupt', ...extra], realEnv(), realSecrets());
      assert.equal(run.code, 1);
    }
  });

  it('bad credentials: names the bucket and what to check', async () => {
    for (const extra of [[], ['--json']]) {
      const run = await cli(`bad credentials ${extra.join(' ')}`, [goodZip, '--bucket', BUCKET, ...extra], fakeEnv(), fakeSecrets);
      assert.equal(run.code, 2);
      oneLine(run, extra.includes('--json'));
      assert.match(run.stderr, /^s3zipsync: invalid credentials for bucket secrets-bucket: InvalidAccessKeyId .*; check AWS_PROFILE, AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY and the session token\n$/);
    }
  });

  it('a server that echoes the access key id in its error message gets it redacted', async () => {
    proxy.setRules([{ match: 'ListObjectsV2', respond: { status: 403, code: 'InvalidAccessKeyId', message: `The AWS Access Key Id ${fakeKeyId} you provided does not exist in our records.` } }]);
    try {
      const run = await cli('echoed key id', [goodZip, '--bucket', BUCKET, '--endpoint-url', proxy.endpoint, '--force-path-style'], fakeEnv(), fakeSecrets);
      assert.equal(run.code, 2);
      oneLine(run);
      assert.match(run.stderr, /AKIA…\(redacted\)/);
    } finally {
      proxy.setRules([]);
    }
  });

  it('access denied: names the bucket and the permissions needed', async () => {
    proxy.setRules([{ match: 'ListObjectsV2', respond: { status: 403, code: 'AccessDenied', message: 'Access Denied' } }]);
    try {
      const run = await cli('denied', [goodZip, '--bucket', BUCKET, '--endpoint-url', proxy.endpoint, '--force-path-style'], realEnv(), realSecrets());
      assert.equal(run.code, 2);
      oneLine(run);
      assert.match(run.stderr, /^s3zipsync: access denied to bucket secrets-bucket: AccessDenied \(HTTP 403\): Access Denied; the credentials need s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:AbortMultipartUpload on its objects\n$/);
    } finally {
      proxy.setRules([]);
    }
  });

  it('missing bucket: names the bucket and endpoint, and what to check', async () => {
    const run = await cli('missing bucket', [goodZip, '--bucket', 'no-such-bucket', '--json'], realEnv(), realSecrets());
    assert.equal(run.code, 2);
    oneLine(run, true);
    assert.equal(run.stderr, `s3zipsync: bucket not found: no-such-bucket at ${s3.endpoint}; check the bucket name, --region and --endpoint-url\n`);
  });

  it('unreachable endpoint and DNS failure: name the endpoint and what to check', async () => {
    const port = await closedPort();
    const down = await cli('refused', [goodZip, '--bucket', BUCKET, '--endpoint-url', `http://127.0.0.1:${port}`, '--max-attempts', '1'], realEnv(), realSecrets());
    assert.equal(down.code, 2);
    oneLine(down);
    assert.match(down.stderr, new RegExp(`^s3zipsync: cannot reach S3 endpoint http://127\\.0\\.0\\.1:${port}: ECONNREFUSED.*; check --endpoint-url \\(or AWS_ENDPOINT_URL_S3\\) and that the server is up and reachable\\n$`));

    const dns = await cli('dns', [goodZip, '--bucket', BUCKET, '--endpoint-url', 'http://s3zipsync-no-such-host.invalid:9000', '--max-attempts', '1', '--json'], realEnv(), realSecrets());
    assert.equal(dns.code, 2);
    oneLine(dns, true);
    assert.match(dns.stderr, /^s3zipsync: cannot resolve the host of S3 endpoint http:\/\/s3zipsync-no-such-host\.invalid:9000: (ENOTFOUND|EAI_AGAIN).*; check the host name in --endpoint-url \(or AWS_ENDPOINT_URL_S3\) and --region\n$/);
  });

  it('S3 errors on uploads, text and --json', async () => {
    proxy.setRules([{ match: 'PutObject', respond: { status: 500 } }]);
    try {
      for (const extra of [[], ['--json']]) {
        const run = await cli(`upload 500 ${extra.join(' ')}`, [goodZip, '--bucket', BUCKET, '--prefix', `fail${extra.length}`, '--endpoint-url', proxy.endpoint, '--force-path-style', '--max-attempts', '1', ...extra], realEnv(), realSecrets());
        assert.equal(run.code, 1);
      }
    } finally {
      proxy.setRules([]);
    }
  });

  it('a bad --stall-timeout or --retry-mode is a one-line usage error', async () => {
    const stall = await cli('bad stall', [goodZip, '--bucket', BUCKET, '--stall-timeout', '0'], realEnv(), realSecrets());
    assert.equal(stall.code, 2);
    oneLine(stall);
    assert.equal(stall.stderr, 's3zipsync: invalid --stall-timeout: "0" (expected a positive number of seconds, e.g. 30 or 2.5)\n');
    const mode = await cli('bad retry mode', [goodZip, '--bucket', BUCKET, '--retry-mode', 'fast'], realEnv(), realSecrets());
    assert.equal(mode.code, 2);
    oneLine(mode);
    assert.match(mode.stderr, /retry-mode, Given: "fast", Choices: "standard", "adaptive"/);
  });

  it('no output of any run above contains a key id, secret or session token', () => {
    assert.ok(runs.length >= 14, `${runs.length} runs checked`);
    for (const { label, run, secrets } of runs) {
      const output = run.stdout + run.stderr;
      for (const secret of secrets) assert.ok(!output.includes(secret), `${label}: output contains a secret`);
    }
  });
});


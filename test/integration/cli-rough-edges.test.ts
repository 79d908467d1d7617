import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { syncZip } from '../../src/index.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { writeCliZips, type CliZips } from '../helpers/cli-zips.js';

const BUCKET = 'rough-edges';

/** The CLI as a user runs it in pipelines and by hand (issue 14), each case through the real binary. */
describe('the CLI in pipelines and by hand', () => {
  let s3: TestS3;
  let zips: CliZips;
  let dir: string;
  let smallZip: string;
  let manyZip: string;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    zips = await writeCliZips('rough');
    ({ dir, smallZip, manyZip } = zips);
  });
  after(async () => {
    await s3?.close();
    zips?.remove();
  });

  it('a stdout closed early (| head) stops the output, not the sync: no stack trace, every file stored, exit 0', async () => {
    let closedAfter = '';
    const result = await runCli([manyZip, '--bucket', BUCKET, '--prefix', 'epipe'], s3.env, (stdout, child) => {
      if (closedAfter) return;
      closedAfter = stdout;
      child.stdout!.destroy(); // what `head -3` does once it has its lines
    });
    assert.ok(closedAfter.length > 0);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at |Error: write EPIPE/, 'no stack trace');
    assert.equal(result.stderr, 's3zipsync: stdout closed by its reader; output stops here, the sync goes on to the end (exit code as usual)\n');
    assert.equal((await listKeys(s3.client, BUCKET, 'epipe/')).size, 400);
  });

  it('--bucket s3://… and --prefix s3://… are usage errors that say what was meant', async () => {
    const bucketUrl = await runCli([smallZip, '--bucket', `s3://${BUCKET}/site`], s3.env);
    assert.equal(bucketUrl.code, 2);
    assert.equal(bucketUrl.stderr, `s3zipsync: --bucket takes a bucket name, not an s3:// URL: use --bucket ${BUCKET} --prefix site\n`);
    const prefixUrl = await runCli([smallZip, '--bucket', BUCKET, '--prefix', `s3://${BUCKET}/p`], s3.env);
    assert.equal(prefixUrl.code, 2);
    assert.equal(prefixUrl.stderr, `s3zipsync: --prefix takes a folder inside the bucket, not an s3:// URL: use --bucket ${BUCKET} --prefix p\n`);
    assert.equal((await listKeys(s3.client, BUCKET, 's3:')).size, 0);
  });

  it('no credentials at all: says none were found and where they are looked for', async () => {
    const home = mkdtempSync(join(tmpdir(), 's3zipsync-nohome-'));
    const env: NodeJS.ProcessEnv = {
      ...s3.env,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) {
      delete env[name];
    }
    try {
      const result = await runCli([smallZip, '--bucket', BUCKET, '--max-attempts', '1'], env);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^s3zipsync: no AWS credentials found \(.*\); looked in AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, the profile \(AWS_PROFILE or default\) in ~\/\.aws\/credentials and ~\/\.aws\/config/);
      assert.doesNotMatch(result.stderr, /invalid credentials/);
      assert.equal(result.stderr.split('\n').length, 2);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('from the library, BUCKET_NOT_FOUND names the endpoint the requests went to (one the SDK found in AWS_ENDPOINT_URL_S3)', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    const client = new S3Client({ region: 'eu-west-1', forcePathStyle: true, credentials: s3.credentials });
    try {
      await assert.rejects(syncZip({ zip: smallZip, bucket: 'no-such-bucket', client }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'BUCKET_NOT_FOUND');
        assert.equal(error.message, `bucket not found: no-such-bucket at ${s3.endpoint}; check the bucket name, \`region\` and \`endpoint\``);
        return true;
      });
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = saved;
    }
  });

  it('--concurrency abc echoes what was typed', async () => {
    const result = await runCli([smallZip, '--bucket', BUCKET, '--concurrency', 'abc'], s3.env);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 's3zipsync: invalid --concurrency: "abc" (expected a whole number ≥ 1)\n');
  });

  it('a stray S3ZIPSYNC_FOO is ignored with one warning; known S3ZIPSYNC_* variables still work', async () => {
    const result = await runCli([smallZip, '--prefix', 'stray-env'], { ...s3.env, S3ZIPSYNC_FOO: '1', S3ZIPSYNC_BUCKET: BUCKET });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, 's3zipsync: warning: ignoring S3ZIPSYNC_FOO: no such flag\n');
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'stray-env/')).keys()], ['stray-env/a.txt']);
  });

  it('unknown flags get a "did you mean"; -n and --dryrun are --dry-run; -h is --help', async () => {
    const typo = await runCli([smallZip, '--bucket', BUCKET, '--dry-runn'], s3.env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^s3zipsync: Unknown arguments?: .*dry-runn.* \(--dry-runn: did you mean --dry-run\?\) \(see s3zipsync --help\)\n$/);
    const missingBucket = await runCli([smallZip, '--bukcet', BUCKET], s3.env);
    assert.equal(missingBucket.code, 2);
    assert.match(missingBucket.stderr, /--bukcet: did you mean --bucket\?/);

    for (const flag of ['-n', '--dryrun']) {
      const dry = await runCli([smallZip, '--bucket', BUCKET, '--prefix', `alias${flag}`, flag], s3.env);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /\[dry run\]/);
      assert.equal((await listKeys(s3.client, BUCKET, `alias${flag}/`)).size, 0);
    }

    const help = await runCli(['-h'], s3.env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--dry-run/);
  });

  it('help shows sizes as the README does (5GiB, 100GiB, 8MiB), and the name flags', async () => {
    const help = await runCli(['--help'], s3.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--max-entry-size[^\n]*\[default: "5GiB"\]/);
    assert.match(help.stdout, /--max-total-size[^\n]*\[default: "100GiB"\]/);
    assert.match(help.stdout, /--part-size[^\n]*\[default: "8MiB"\]/);
    assert.doesNotMatch(help.stdout, /5368709120/);
    assert.match(help.stdout, /--name-encoding[\s\S]*"auto", "utf8", "cp437"/);
    assert.match(help.stdout, /--normalize-names[\s\S]*"nfc", "none"/);
  });

  it('SIGTERM to local-server prints a message of its own, not the sync\'s', async () => {
    const child = spawn(process.execPath, [CLI, 'local-server', '--port', '0', '--dir', join(dir, 'local')], {
      env: s3.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('credentials:')) resolve();
      });
    });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.equal(stderr, 's3zipsync: SIGTERM received, stopping the embedded S3 server…\n');
  });
});

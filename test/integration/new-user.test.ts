import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { closedPort } from '../helpers/closed-port.js';
import { writeCliZips, type CliZips } from '../helpers/cli-zips.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { NOT_A_ZIP, } from '../helpers/zip-fixtures.js';

const BUCKET = 'new-user';

/** `s3zipsync ARGS 2>&1 | head -1` as a shell runs it: both streams into one pipe its reader closes after a line. */
async function intoHeadOne(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; firstLine: string }> {
  const child = spawn('bash', ['-c', `"$@" 2>&1 | head -1; exit "\${PIPESTATUS[0]}"`, 'pipeline', process.execPath, CLI, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  return { code, firstLine: out };
}

/** What a new user trips on (issue 28), each case through the real binary. */
describe('what a new user trips on', () => {
  let s3: TestS3;
  let zips: CliZips;
  let dir: string;
  let smallZip: string;
  let manyZip: string;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    zips = await writeCliZips('new-user');
    ({ dir, smallZip, manyZip } = zips);
  });
  after(async () => {
    await s3?.close();
    zips?.remove();
  });

  it('`2>&1 | head -1`: the closed-stdout notice hitting the closed pipe does not stop the sync (every file stored, exit 0)', async () => {
    const run = await intoHeadOne([manyZip, '--bucket', BUCKET, '--prefix', 'epipe-both'], s3.env);
    assert.match(run.firstLine, /^New! epipe-both\/f\/\d+\.txt \(\d+ bytes\)\n$/);
    assert.equal(run.code, 0);
    assert.equal((await listKeys(s3.client, BUCKET, 'epipe-both/')).size, 400);
  });

  it('`notzip.zip --json 2>&1 | head -1` still exits 2, with the one line first', async () => {
    const notZip = join(dir, 'notzip.zip');
    writeFileSync(notZip, NOT_A_ZIP);
    const run = await intoHeadOne([notZip, '--bucket', BUCKET, '--json'], s3.env);
    assert.match(run.firstLine, /^s3zipsync: not a valid zip archive/);
    assert.equal(run.code, 2);
  });
  it('every numeric flag refuses a bad value with one exit-2 line quoting what was typed, before any request', async () => {
    const cases: Array<[string, string, string]> = [
      ['--max-attempts', 'abc', 'expected a whole number ≥ 1'],
      ['--max-attempts', '0', 'expected a whole number ≥ 1'],
      ['--max-attempts', '-2', 'expected a whole number ≥ 1'],
      ['--max-attempts', '1.5', 'expected a whole number ≥ 1'],
      ['--max-delete', 'abc', 'expected a whole number ≥ 0'],
      ['--max-delete', '1.5', 'expected a whole number ≥ 0'],
      ['--stall-timeout', 'abc', 'expected a positive number of seconds, e.g. 30 or 2.5'],
      ['--stall-timeout', '0', 'expected a positive number of seconds, e.g. 30 or 2.5'],
      ['--concurrency', '-2', 'expected a whole number ≥ 1'],
      ['--list-ranges', '0', 'expected a whole number ≥ 1'],
      ['--max-entries', '1.5', 'expected a whole number ≥ 0'],
    ];
    for (const [flag, typed, expected] of cases) {
      const run = await runCli([smallZip, '--bucket', BUCKET, '--prefix', 'numbers', flag, typed], s3.env);
      assert.equal(run.code, 2, `${flag} ${typed}: ${run.stderr}`);
      assert.equal(run.stderr, `s3zipsync: invalid ${flag}: ${JSON.stringify(typed)} (${expected})\n`);
      assert.equal(run.stdout, '');
    }
    const size = await runCli([smallZip, '--bucket', BUCKET, '--part-size', '1.5'], s3.env);
    assert.equal(size.code, 2);
    assert.equal(size.stderr, 's3zipsync: invalid size for --part-size: "1.5" (examples: 1048576, 512KB, 8MiB, 5GB)\n');
    assert.equal((await listKeys(s3.client, BUCKET, 'numbers/')).size, 0);
  });

  it('--endpoint-url without a scheme (or AWS_ENDPOINT_URL_S3 without one): exit 2, says what to write', async () => {
    const flag = await runCli([smallZip, '--bucket', BUCKET, '--endpoint-url', 'localhost:4568'], s3.env);
    assert.equal(flag.code, 2);
    assert.equal(flag.stderr, 's3zipsync: invalid --endpoint-url "localhost:4568": it needs a scheme: write http://localhost:4568\n');
    const variable = await runCli([smallZip, '--bucket', BUCKET], { ...s3.env, AWS_ENDPOINT_URL_S3: 'localhost:4568' });
    assert.equal(variable.code, 2);
    assert.equal(variable.stderr, 's3zipsync: invalid AWS_ENDPOINT_URL_S3 "localhost:4568": it needs a scheme: write http://localhost:4568\n');
  });

  it('bench: no bucket, a bad number, a missing bucket and a closed port are one-line usage errors (exit 2), as a sync gives them', async () => {
    const noBucket = await runCli(['bench'], s3.env);
    assert.deepEqual([noBucket.code, noBucket.stderr], [2, 's3zipsync: give --bucket, or --local for the embedded server\n']);
    const samples = await runCli(['bench', '--bucket', BUCKET, '--samples', 'abc'], s3.env);
    assert.deepEqual([samples.code, samples.stderr], [2, 's3zipsync: invalid --samples: "abc" (expected a whole number ≥ 1)\n']);
    const parallel = await runCli(['bench', 'download', '--bucket', BUCKET, '--parallel', '0'], s3.env);
    assert.deepEqual([parallel.code, parallel.stderr], [2, 's3zipsync: invalid --parallel: "0" (expected a whole number ≥ 1)\n']);
    const missing = await runCli(['bench', '--bucket', 'no-such-bucket', '--samples', '1', '--warmup', '0'], s3.env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^s3zipsync: bucket not found: no-such-bucket at http:\/\/[^;]+; check the bucket name, --region and --endpoint-url\n$/);
    const port = await closedPort();
    const down = await runCli(['bench', '--bucket', BUCKET, '--samples', '1', '--max-attempts', '1'], { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
    assert.equal(down.code, 2);
    assert.match(down.stderr, new RegExp(`^s3zipsync: cannot reach S3 endpoint http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\n$`));
  });

  it('local-server on a busy port, or --port abc: says which port and why, exit 2', async () => {
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as { port: number };
    try {
      const run = await runCli(['local-server', '--port', String(port), '--dir', join(dir, 'busy')], s3.env);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `s3zipsync: cannot listen on 127.0.0.1:${port}: the port is already in use (another local-server?); pick another with --port, or --port 0 for a free one\n`);
    } finally {
      busy.close();
    }
    const word = await runCli(['local-server', '--port', 'abc', '--dir', join(dir, 'word')], s3.env);
    assert.deepEqual([word.code, word.stderr], [2, 's3zipsync: invalid --port: "abc" (expected a whole number from 0 to 65535)\n']);
  });

  it('--help leads with the usage line (--bucket required) and two examples, then the options in groups', async () => {
    const help = await runCli(['--help'], s3.env);
    assert.equal(help.code, 0, help.stderr);
    const lines = help.stdout.split('\n');
    assert.equal(lines[0], 's3zipsync <zip> --bucket <bucket> [--prefix <prefix>] [options]');
    const examples = lines.filter((line) => line.startsWith('$ s3zipsync '));
    assert.deepEqual(examples, ['$ s3zipsync site.zip --bucket my-bucket --prefix www', '$ s3zipsync site.zip --bucket my-bucket --prefix www --delete --dry-run']);
    assert.ok(lines.indexOf(examples[1]!) < 12, 'the examples come before the options');
    const groups = lines.filter((line) => /^[A-Z][a-z ]+:$/.test(line));
    assert.deepEqual(groups, ['Commands:', 'Positionals:', 'Target:', 'What to sync:', 'Comparison:', 'Headers:', 'Deletion:', 'Performance:', 'Output:']);
    assert.match(help.stdout, /Target:\n\s+--bucket /);
  });

  it('bare `s3zipsync` prints the short usage on stderr and exits 2; an unknown flag is named once', async () => {
    const bare = await runCli([], s3.env);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^s3zipsync <zip> --bucket <bucket> \[--prefix <prefix>\] \[options\]\n/);
    assert.match(bare.stderr, /\$ s3zipsync site\.zip --bucket my-bucket --prefix www\n/);
    assert.match(bare.stderr, /\nEvery option: s3zipsync --help\n$/);
    assert.doesNotMatch(bare.stderr, /non-option/);
    const typo = await runCli([smallZip, '--bucket', BUCKET, '--dry-rn'], s3.env);
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, 's3zipsync: Unknown argument: dry-rn (--dry-rn: did you mean --dry-run?) (see s3zipsync --help)\n');
  });

  it('aws-cli/rclone habits: --size-only is accepted (the default), --checksum/--transfers/--endpoint get a one-line hint, exit 2', async () => {
    const sizeOnly = await runCli([smallZip, '--bucket', BUCKET, '--prefix', 'size-only', '--size-only'], s3.env);
    assert.equal(sizeOnly.code, 0, sizeOnly.stderr);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'size-only/')).keys()], ['size-only/a.txt']);
    const help = await runCli(['--help'], s3.env);
    assert.match(help.stdout, /--size-only +aws s3 sync's --size-only: what s3zipsync does by default/);
    const hints: Array<[string[], string]> = [
      [['--checksum'], "no --checksum here: --compare crc32 is rclone's --checksum (also compares the zip's CRC32 stored with each object)"],
      [['--transfers', '8'], "no --transfers here: --concurrency N is rclone's --transfers (uploads in flight at once)"],
      [['--endpoint', 'http://127.0.0.1:1'], 'no --endpoint here: use --endpoint-url URL (as aws-cli spells it)'],
    ];
    for (const [flags, hint] of hints) {
      const run = await runCli([smallZip, '--bucket', BUCKET, '--prefix', 'habits', ...flags], s3.env);
      assert.deepEqual([run.code, run.stderr], [2, `s3zipsync: ${hint} (see s3zipsync --help)\n`]);
    }
    assert.equal((await listKeys(s3.client, BUCKET, 'habits/')).size, 0);
  });
});

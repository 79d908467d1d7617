import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Ajv } from 'ajv';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { UNIX_SYMLINK_MODE, makeZip, rawZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'output-bucket';
const MiB = 1024 * 1024;
const SCHEMA = JSON.parse(readFileSync(new URL('../../schema/json-output.v1.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };

describe('CLI output: --json schema, -q, -v, progress on a terminal', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let dir: string;
  const zipFile = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const seed = (key: string, body: string, extra: { CacheControl?: string } = {}) =>
    s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/plain', ...extra }));
  const target = (prefix: string) => ['--bucket', BUCKET, '--prefix', prefix, '--endpoint-url', proxy.endpoint, '--force-path-style'];

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-output-'));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--json: every line of runs producing every event kind validates against the shipped schema, each with "v": 1', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const collect = (stdout: string) => {
      for (const text of stdout.split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Record<string, unknown>);
    };

    // new, ignored, updated by size, updated by headers, excluded, a symlink warning, a deletion.
    await seed('json/keep.txt', 'keep');
    await seed('json/grow.txt', 'short');
    await seed('json/hdr.txt', 'header', { CacheControl: 'no-cache' });
    await seed('json/gone.txt', 'gone');
    const site = zipFile('json.zip', await makeZip([
      { name: 'new.txt', data: 'new' },
      { name: 'keep.txt', data: 'keep' },
      { name: 'grow.txt', data: 'longer now' },
      { name: 'hdr.txt', data: 'header' },
      { name: 'app.js.map', data: '{}' },
      { name: 'link', data: 'new.txt', mode: UNIX_SYMLINK_MODE },
    ]));
    const full = await runCli([site, ...target('json'), '--json', '--delete', '--exclude', '*.map', '--compare-headers'], s3.env);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(full.stderr, '', 'warnings are JSON lines on stdout, not stderr text');
    collect(full.stdout);

    // A deletion that fails (DeleteObjects denied) and a corrupt entry.
    await seed('json-fail/gone.txt', 'gone');
    proxy.setRules([{ match: 'DeleteObjects', respond: { status: 403, code: 'AccessDenied' } }]);
    const denied = await runCli([zipFile('ok.zip', await makeZip([{ name: 'ok.txt', data: 'ok' }])), ...target('json-fail'), '--json', '--delete', '--max-attempts', '1'], s3.env);
    proxy.setRules([]);
    assert.equal(denied.code, 1, denied.stderr);
    collect(denied.stdout);
    const corrupt = zipFile('corrupt.zip', rawZip([{ name: 'bad.txt', data: 'hello', crc32Override: 0x12345678 }]));
    const failed = await runCli([corrupt, ...target('json-corrupt'), '--json'], s3.env);
    assert.equal(failed.code, 1, failed.stderr);
    collect(failed.stdout);

    // A conditional write that answers 412: a conflict line.
    proxy.setRules([{ match: 'PutObject', respond: { status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' } }]);
    const conflict = await runCli([zipFile('taken.zip', await makeZip([{ name: 'taken.txt', data: 'mine' }])), ...target('json-conflict'), '--json'], s3.env);
    proxy.setRules([]);
    assert.equal(conflict.code, 1, conflict.stderr);
    collect(conflict.stdout);

    // Run-level failures: a missing bucket (exit 2), a usage error (exit 2).
    const missing = await runCli([site, '--bucket', 'no-such-bucket', '--endpoint-url', proxy.endpoint, '--force-path-style', '--json'], s3.env);
    assert.equal(missing.code, 2);
    collect(missing.stdout);
    const usage = await runCli([site, ...target('x'), '--json', '--strategy', 'guess'], s3.env);
    assert.equal(usage.code, 2);
    collect(usage.stdout);

    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(SCHEMA);
    for (const line of lines) {
      assert.ok(validate(line), `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`);
      assert.equal(line.v, 1);
    }
    // Every kind the schema defines came up at least once, so none of its branches is untested.
    const kindOf = (line: Record<string, unknown>) => {
      if (line.type === 'entry') return `entry${capitalize(String(line.action))}`;
      if (line.type === 'delete') return `delete${capitalize(String(line.action))}`;
      return String(line.type);
    };
    const kinds = new Set(lines.map(kindOf));
    const defined = Object.keys(SCHEMA.definitions).filter((name) => name !== 'entryDetail');
    assert.deepEqual([...kinds].sort(), defined.sort());

    const byKey = (key: string) => lines.find((line) => line.type === 'entry' && line.key === key);
    assert.equal(byKey('json/hdr.txt')?.because, 'headers');
    assert.deepEqual(byKey('json/hdr.txt')?.changedHeaders, ['Cache-Control']);
    assert.equal(byKey('json/keep.txt')?.action, 'ignored');
    const deleteFailed = lines.find((line) => line.type === 'delete' && line.action === 'failed');
    assert.match(String(deleteFailed?.reason), /^DeleteObjects failed: AccessDenied \(HTTP 403\)/);
    assert.equal(deleteFailed?.code, 'DELETE_FAILED');
    assert.deepEqual(lines.find((line) => line.type === 'error' && line.code === 'BUCKET_NOT_FOUND')?.exitCode, 2);
    const usageLine = lines.find((line) => line.type === 'error' && line.code === 'USAGE');
    assert.match(String(usageLine?.message), /strategy/);
    assert.equal(missing.stderr.trim().split('\n').length, 1, 'stderr keeps its one line');
  });

  it('-q and --only-show-errors: failures and the summary only', async () => {
    const zip = zipFile('quiet.zip', rawZip([
      { name: 'keep.txt', data: 'keep' },
      { name: 'new.txt', data: 'new' },
      { name: 'bad.txt', data: 'hello', crc32Override: 0x12345678 },
    ]));
    for (const flag of ['-q', '--only-show-errors']) {
      await seed(`quiet${flag}/keep.txt`, 'keep');
      const run = await runCli([zip, ...target(`quiet${flag}`), flag], s3.env);
      assert.equal(run.code, 1, run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.match(lines[0]!, /^Failed quiet.*\/bad\.txt: /);
      assert.match(lines[1]!, /^Summary: 1 new, 0 updated, 1 ignored, 1 failed$/);
      assert.ok(!run.stdout.includes('New!') && !run.stdout.includes('Ignored'), run.stdout);
    }
    const conflicting = await runCli([zip, ...target('quiet'), '-q', '-v'], s3.env);
    assert.equal(conflicting.code, 2);
  });

  it('-v: the decision reason under each entry — sizes and CRC32 compared, what answered, attempts', async () => {
    await seed('verbose/same.txt', 'same');
    await seed('verbose/grow.txt', 'short');
    const zip = zipFile('verbose.zip', await makeZip([
      { name: 'same.txt', data: 'same' },
      { name: 'grow.txt', data: 'longer now' },
      { name: 'new.txt', data: 'new' },
    ]));
    // The PutObject of new.txt answers 500 once, so that entry takes 2 attempts.
    proxy.setRules([{ match: (request) => request.operation === 'PutObject' && request.url.includes('new.txt'), respond: { status: 500, times: 1 } }]);
    const run = await runCli([zip, ...target('verbose'), '-v', '--compare', 'crc32', '--max-attempts', '3'], s3.env);
    proxy.setRules([]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const after = (line: string) => lines[lines.indexOf(line) + 1] ?? '';
    assert.match(lines[0]!, /^Strategy: per-key \(3 keys < 16\)/);
    // same.txt was written by another tool: same size, but no stored crc32 to compare.
    assert.match(after('Updated! verbose/same.txt (4 bytes, same size, no stored crc32)'), /^ {2}size 4 = 4 stored, no stored crc32; checked by auto \(HeadObject\); 1 attempt$/);
    assert.match(after('Updated! verbose/grow.txt (5 → 10 bytes)'), /^ {2}size 10 ≠ 5 stored; checked by auto \(HeadObject\); 1 attempt$/);
    assert.match(after('New! verbose/new.txt (3 bytes)'), /^ {2}absent; checked by auto; 2 attempts \(1 retry\)$/);

    const again = await runCli([zip, ...target('verbose'), '-v', '--compare', 'crc32'], s3.env);
    const againLines = again.stdout.split('\n');
    const ignored = againLines.indexOf('Ignored verbose/same.txt');
    assert.match(againLines[ignored + 1]!, /^ {2}size 4 = 4 stored, crc32 [0-9a-f]{8} = [0-9a-f]{8} stored; checked by auto \(HeadObject\); nothing sent$/);
  });

  it('progress on a terminal (pseudo-terminal via script): files, bytes, rate, ETA, and a big entry in flight with its bytes moving', async (t) => {
    if (!(await hasScript())) {
      t.skip('util-linux script is not installed');
      return;
    }
    const zip = zipFile('big.zip', await makeZip([
      { name: 'big.bin', data: Buffer.alloc(17 * MiB, 'big entry bytes\n') },
      ...Array.from({ length: 5 }, (_, i) => ({ name: `page-${i}.html`, data: `<p>${i}</p>` })),
    ]));
    // Parts that finish 1.2 s apart, so that redraws (every 100 ms) fall between them and the run
    // lasts past the 3 s before which no ETA is shown.
    const part = (n: number) => (request: { operation: string; url: string }) => request.operation === 'UploadPart' && new URLSearchParams(request.url.split('?')[1]).get('partNumber') === String(n);
    proxy.setRules([1, 2, 3, 4].map((n) => ({ match: part(n), delayMs: 1200 * n })));
    const screen = await inPseudoTerminal([CLI, zip, ...target('tty'), '--part-size', '5MiB'], s3.env);
    proxy.setRules([]);
    assert.equal(screen.code, 0, screen.output);
    const text = stripAnsi(screen.output);
    assert.match(text, /\d+\/6 files \| [\d.]+ (B|KiB|MiB)\/17\.0 MiB \| [\d.]+ (B|KiB|MiB)\/s \| \d+ in flight \| elapsed \d+s(?: \| ETA (\d+s|\d+m\d\ds))?/);
    const entryBytes = new Set([...text.matchAll(/big\.bin ([\d.]+ MiB)\/17\.0 MiB/g)].map((match) => match[1]));
    assert.ok(entryBytes.size >= 2, `the entry bar shows its bytes moving part by part: ${[...entryBytes].join(', ')}`);
    assert.match(text, /ETA \d+s/, 'an ETA is shown once the run has gone on long enough for it to mean something');
    assert.match(text, /elapsed [0-2]s\s/, 'and none before');
    assert.match(text, /Summary: 6 new/);

    const small = zipFile('small.zip', await makeZip([{ name: 'a.txt', data: 'a' }]));
    const plain = await runCli([small, ...target('tty-plain')], s3.env);
    assert.ok(!plain.stderr.includes('ETA'), 'no progress when stderr is not a terminal');
    const off = await inPseudoTerminal([CLI, small, ...target('tty-off'), '--no-progress'], s3.env);
    assert.match(stripAnsi(off.output), /Summary: 1 new/);
    assert.ok(!stripAnsi(off.output).includes('ETA'), 'nor with --no-progress');
    const quiet = await inPseudoTerminal([CLI, small, ...target('tty-quiet'), '-q'], s3.env);
    assert.ok(!stripAnsi(quiet.output).includes('ETA'), 'nor with -q');
  });
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function hasScript(): Promise<boolean> {
  const child = spawn('script', ['--version'], { stdio: 'ignore' });
  const [code] = (await once(child, 'exit').catch(() => [1])) as [number];
  return code === 0;
}

/** Runs node with `args` on a pseudo-terminal (stdout and stderr both a TTY), as a person's shell would. */
async function inPseudoTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const command = ['stty cols 200;', process.execPath, ...args].map((arg) => (arg.endsWith(';') ? arg : shellQuote(arg))).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

function stripAnsi(text: string): string {
  return stripVTControlCharacters(text).replace(/\r/g, '\n');
}

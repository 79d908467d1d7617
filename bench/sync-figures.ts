// `npm run bench:sync`: wall time, peak RSS and S3 requests of the real CLI, for each existence-check
// strategy, on a first sync (everything new) and a no-change re-run (everything ignored), against the
// embedded S3-compatible server (s3rver) on this machine. Numbers are only printed as trusted once the
// outcome counts and the stored bytes have been checked.
//
//   node dist/bench/sync-figures.js [--small N] [--big-mb M] [--concurrency N] [--keep]
//
// --small N       small text-like files in the zip (default 5000, 200 B–20 KiB each, deflated)
// --big-mb M      size of the one large pseudo-random file, in MiB (default 200, stored); 0 leaves it out
// --concurrency N passed to the CLI (default: the CLI's own default)
// --strategies L  comma-separated subset of auto,bulk,head,list (default: all four)
// --keep          keep the temporary folder (zip and server data) and print where it is
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';
import { startLocalS3, type LocalS3 } from '../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../src/s3/create-client.js';
import { createRng } from './engine/rng.js';
import { pseudoRandomStream, textLikeBytes } from './fixtures/content.js';
import { hashObject } from './fixtures/verify-stored.js';
import { CLI_PATH, localCliEnv, parseCliOutput } from './run/s3zipsync-cli.js';
import { measuresWithGnuTime, runTimedProcess } from './run/timed-process.js';

const MiB = 1024 * 1024;
const ALL_STRATEGIES = ['auto', 'bulk', 'head', 'list'] as const;
type Strategy = (typeof ALL_STRATEGIES)[number];

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    small: { type: 'string', default: '5000' },
    'big-mb': { type: 'string', default: '200' },
    concurrency: { type: 'string' },
    strategies: { type: 'string', default: ALL_STRATEGIES.join(',') },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const STRATEGIES = flags.strategies.split(',').map((name) => {
  if (!(ALL_STRATEGIES as readonly string[]).includes(name)) {
    process.stderr.write(`sync-figures: unknown strategy ${JSON.stringify(name)} in --strategies: expected ${ALL_STRATEGIES.join(', ')}\n`);
    process.exit(2);
  }
  return name as Strategy;
});
const smallCount = nonNegativeInteger(flags.small, '--small');
const bigMiB = nonNegativeInteger(flags['big-mb'], '--big-mb');
const bigBytes = bigMiB * MiB;
const concurrency = flags.concurrency === undefined ? undefined : nonNegativeInteger(flags.concurrency, '--concurrency');
const expectedFiles = smallCount + (bigBytes > 0 ? 1 : 0);

const useGnuTime = measuresWithGnuTime();

// ---------------------------------------------------------------------------------------------
// Deterministic content

const EXTENSIONS = ['txt', 'html', 'css', 'js', 'json', 'md', 'svg', 'xml'];
const FILES_PER_DIR = 100;

interface SmallFile {
  name: string;
  size: number;
  index: number;
}

function smallFile(index: number): SmallFile {
  const random = createRng(0x5eed0000 + index);
  const size = 200 + Math.floor(random() * (20 * 1024 - 200 + 1));
  const dir = String(Math.floor(index / FILES_PER_DIR)).padStart(3, '0');
  const ext = EXTENSIONS[index % EXTENSIONS.length]!;
  return { name: `site/d${dir}/file-${String(index).padStart(5, '0')}.${ext}`, size, index };
}

/** Text-like (ASCII words and newlines) bytes of exactly `file.size`, regenerated on demand. */
function smallContent(file: SmallFile): Buffer {
  return textLikeBytes(file.size, 0xc0de0000 + file.index);
}

const BIG_NAME = `blobs/big-${bigMiB}MiB.bin`;

interface ZipInfo {
  path: string;
  bytes: number;
  smallFiles: number;
  smallBytes: number;
  bigBytes: number;
  bigSha256: string | null;
  seconds: number;
}

/** Streams the archive to disk: small entries are generated lazily, the large one in 1 MiB chunks. */
async function writeBenchZip(path: string): Promise<ZipInfo> {
  const started = performance.now();
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  const bigHash = createHash('sha256');
  let smallBytes = 0;
  const addBig = () =>
    zip.addReadStreamLazy(BIG_NAME, { mtime, compress: false, size: bigBytes }, (cb) =>
      cb(null, pseudoRandomStream(bigBytes, 0, (chunk) => bigHash.update(chunk))),
    );
  // The large file sits in the middle of the archive, as it would in a real build output.
  const bigAt = Math.floor(smallCount / 2);
  for (let i = 0; i < smallCount; i++) {
    if (i === bigAt && bigBytes > 0) addBig();
    const file = smallFile(i);
    smallBytes += file.size;
    zip.addReadStreamLazy(file.name, { mtime, compress: true, size: file.size }, (cb) =>
      cb(null, Readable.from([smallContent(file)])),
    );
  }
  if (smallCount === 0 && bigBytes > 0) addBig();
  zip.end();
  const out = createWriteStream(path);
  let bytes = 0;
  zip.outputStream.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(zip.outputStream, out);
  return {
    path,
    bytes,
    smallFiles: smallCount,
    smallBytes,
    bigBytes,
    bigSha256: bigBytes > 0 ? bigHash.digest('hex') : null,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

interface RunResult {
  strategy: Strategy;
  run: 'first' | 'rerun';
  exitCode: number | null;
  wallSeconds: number;
  peakRssMB: number | null;
  rssSource: string;
  cpuUserSeconds: number | null;
  cpuSystemSeconds: number | null;
  elapsedMs: number | null;
  counts: Record<string, number> | null;
  entryLineCounts: Record<string, number>;
  requests: Record<string, number> | null;
  totalRequests: number | null;
  bytesUploaded: number | null;
  /** The first lines the CLI wrote on stderr (warnings), if any. */
  stderrHead: string[];
  verified: boolean;
  problems: string[];
}

const runs = new AbortController();

async function runCli(strategy: Strategy, run: RunResult['run'], args: string[], env: NodeJS.ProcessEnv, workDir: string): Promise<RunResult> {
  const measured = await runTimedProcess(process.execPath, [CLI_PATH, ...args], { env, cwd: workDir, signal: runs.signal });
  const parsed = parseCliOutput(measured.stdout);
  const problems: string[] = [];
  if (useGnuTime && measured.peakRssMiB === null) problems.push('no "Maximum resident set size" in /usr/bin/time -v output');
  const stderr = measured.stderr;
  if (measured.exitCode !== 0) problems.push(`exit code ${measured.exitCode}${stderr.trim() ? `; stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}` : ''}`);
  problems.push(...parsed.problems);
  const summary = parsed.summary;
  return {
    strategy,
    run,
    exitCode: measured.exitCode,
    wallSeconds: measured.wallSeconds,
    peakRssMB: measured.peakRssMiB,
    rssSource: measured.rssSource,
    cpuUserSeconds: measured.cpuUserSeconds,
    cpuSystemSeconds: measured.cpuSystemSeconds,
    elapsedMs: summary?.elapsedMs ?? null,
    counts: summary?.counts ?? null,
    entryLineCounts: parsed.entryLineCounts,
    requests: summary?.requests ?? null,
    totalRequests: summary?.totalRequests ?? null,
    bytesUploaded: summary?.bytesUploaded ?? null,
    stderrHead: stderr.trim() ? stderr.trim().split('\n').slice(0, 3) : [],
    verified: false,
    problems,
  };
}

/** The outcome counts a run must report; entry lines on stdout must agree with the summary. */
function checkCounts(result: RunResult, expect: 'new' | 'ignored'): void {
  const c = result.counts;
  if (!c) return;
  const other = Object.entries(c).filter(([name, n]) => name !== expect && n !== 0);
  if (c[expect] !== expectedFiles) result.problems.push(`expected ${expectedFiles} ${expect}, summary says ${c[expect]}`);
  if (other.length) result.problems.push(`unexpected non-zero counts: ${other.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  for (const [action, n] of Object.entries(c)) {
    if (action === 'skipped' || action === 'notStarted') continue;
    if ((result.entryLineCounts[action] ?? 0) !== n) {
      result.problems.push(`summary says ${action}=${n} but stdout has ${result.entryLineCounts[action] ?? 0} such entry lines`);
    }
  }
  if (expect === 'ignored') {
    const writes = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'].filter((op) => result.requests?.[op]);
    if (writes.length) result.problems.push(`no-change re-run sent write requests: ${writes.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Checking what the server stores

async function verifyStored(client: S3Client, bucket: string, prefix: string, zip: ZipInfo): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  // Every key and its size: one full listing under the prefix.
  const sizes = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) sizes.set(object.Key!, object.Size ?? -1);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (sizes.size !== expectedFiles) problems.push(`bucket holds ${sizes.size} keys under ${prefix}, expected ${expectedFiles}`);
  let sizeMismatches = 0;
  for (let i = 0; i < smallCount; i++) {
    const file = smallFile(i);
    if (sizes.get(prefix + file.name) !== file.size) sizeMismatches++;
  }
  if (sizeMismatches) problems.push(`${sizeMismatches} small objects missing or of the wrong size`);
  notes.push(`listing: ${sizes.size} keys, ${smallCount - sizeMismatches}/${smallCount} small sizes match`);

  if (zip.bigSha256) {
    const got = await hashObject(client, bucket, prefix + BIG_NAME);
    if (got.sha256 !== zip.bigSha256 || got.bytes !== zip.bigBytes) {
      problems.push(`${BIG_NAME}: sha256 ${got.sha256} (${got.bytes} bytes), source ${zip.bigSha256} (${zip.bigBytes} bytes)`);
    } else notes.push(`${BIG_NAME}: sha256 ${got.sha256} matches the source (${got.bytes} bytes)`);
  }
  // Content of a spread-out sample of small files, regenerated from their seeds.
  const sample = smallCount === 0 ? [] : [...new Set(Array.from({ length: Math.min(50, smallCount) }, (_, k) => Math.floor((k * smallCount) / Math.min(50, smallCount))))];
  let sampleMismatches = 0;
  for (const i of sample) {
    const file = smallFile(i);
    const want = createHash('sha256').update(smallContent(file)).digest('hex');
    const got = await hashObject(client, bucket, prefix + file.name);
    if (got.sha256 !== want) sampleMismatches++;
  }
  if (sampleMismatches) problems.push(`${sampleMismatches}/${sample.length} sampled small objects differ from the source`);
  else if (sample.length) notes.push(`${sample.length} sampled small objects match the source byte for byte`);
  return { problems, notes };
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtRequests(requests: Record<string, number> | null, total: number | null): string {
  if (!requests) return '—';
  const parts = Object.entries(requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`);
  return `${total ?? ''} (${parts.join(', ')})`;
}

function fmtCounts(counts: Record<string, number> | null): string {
  if (!counts) return '—';
  const nonZero = Object.entries(counts).filter(([, n]) => n !== 0);
  return nonZero.length ? nonZero.map(([k, n]) => `${k} ${n}`).join(', ') : 'all 0';
}

function table(results: RunResult[]): string {
  const header = ['strategy', 'run', 'wall s', 'peak RSS MB', 'requests (by type)', 'counts', 'summary elapsedMs', 'CPU user+sys s', 'verified'];
  const rows = results.map((r) => [
    r.strategy,
    r.run === 'first' ? 'first (all new)' : 're-run (no change)',
    r.wallSeconds.toFixed(2),
    r.peakRssMB === null ? '—' : r.peakRssMB.toFixed(1),
    fmtRequests(r.requests, r.totalRequests),
    fmtCounts(r.counts),
    r.elapsedMs === null ? '—' : String(r.elapsedMs),
    r.cpuUserSeconds === null || r.cpuSystemSeconds === null ? '—' : (r.cpuUserSeconds + r.cpuSystemSeconds).toFixed(2),
    r.verified ? 'yes' : 'NO',
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function nonNegativeInteger(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`sync-figures: ${name} must be a non-negative integer, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
  return n;
}

function log(message: string): void {
  process.stderr.write(`[sync-figures] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Main

const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-bench-'));
let server: LocalS3 | undefined;
let client: S3Client | undefined;
let cleaned: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    runs.abort();
    client?.destroy();
    await server?.stop().catch(() => {});
    if (flags.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaned;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the server and removing ${workDir}`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

// On a 2-core machine anything else running skews every figure: say how busy the machine was.
const loadBefore = os.loadavg()[0]!;
const results: RunResult[] = [];
const verifyNotes: Record<string, string[]> = {};
let zipInfo: ZipInfo | undefined;
let endpoint = '';
let failed = false;

try {
  const zipPath = join(workDir, 'bench.zip');
  log(`writing ${smallCount} small files + ${bigMiB} MiB file to ${zipPath}`);
  zipInfo = await writeBenchZip(zipPath);
  log(`zip: ${(zipInfo.bytes / MiB).toFixed(1)} MiB in ${zipInfo.seconds.toFixed(1)} s`);

  const dataDir = join(workDir, 's3');
  mkdirSync(dataDir);
  server = await startLocalS3({ directory: dataDir, buckets: STRATEGIES.map((s) => `bench-${s}`) });
  endpoint = server.endpoint;
  // The SDK's "future versions need Node 22" notice, which the CLI silences the same way.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  client = createS3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

  // Only what the CLI needs; S3ZIPSYNC_* (yargs env) and AWS profile/endpoint settings of the caller are left out.
  const env = localCliEnv();

  for (const strategy of STRATEGIES) {
    const bucket = `bench-${strategy}`;
    const prefix = `sync-figures/${strategy}/`;
    const args = [
      zipPath, '--bucket', bucket, '--prefix', prefix, '--strategy', strategy,
      ...(concurrency === undefined ? [] : ['--concurrency', String(concurrency)]),
      '--json', '--no-progress', '--endpoint-url', endpoint, '--force-path-style',
    ];
    log(`${strategy}: first run`);
    const first = await runCli(strategy, 'first', args, env, workDir);
    checkCounts(first, 'new');
    if (first.counts) {
      const stored = await verifyStored(client, bucket, prefix, zipInfo);
      first.problems.push(...stored.problems);
      verifyNotes[strategy] = stored.notes;
    }
    first.verified = first.problems.length === 0;
    results.push(first);
    log(`${strategy}: first run ${first.wallSeconds.toFixed(1)} s${first.verified ? '' : `, PROBLEMS: ${first.problems.join('; ')}`}`);

    log(`${strategy}: no-change re-run`);
    const rerun = await runCli(strategy, 'rerun', args, env, workDir);
    checkCounts(rerun, 'ignored');
    rerun.verified = rerun.problems.length === 0;
    results.push(rerun);
    log(`${strategy}: re-run ${rerun.wallSeconds.toFixed(1)} s${rerun.verified ? '' : `, PROBLEMS: ${rerun.problems.join('; ')}`}`);
  }
} catch (error) {
  failed = true;
  process.stderr.write(`sync-figures: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanup();
}

const cpus = os.cpus();
const requireHere = createRequire(import.meta.url);
const versionOf = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(requireHere.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};
const machine = {
  cpu: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  s3rver: versionOf('s3rver'),
  clientS3: versionOf('@aws-sdk/client-s3'),
};
const loadAfter = os.loadavg()[0]!;
const gitCommit = (() => {
  try {
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src', 'bin'], { cwd, encoding: 'utf8' }).trim();
    return `${head}${dirty ? ' + uncommitted changes in src/ or bin/' : ''}`;
  } catch {
    return 'unknown';
  }
})();
const benchCommand = `node dist/bench/sync-figures.js ${process.argv.slice(2).join(' ')}`.trim();
const cliCommand =
  `AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 ${useGnuTime ? '/usr/bin/time -v ' : ''}` +
  `node dist/bin/s3zipsync.js bench.zip --bucket bench-<strategy> --prefix sync-figures/<strategy>/ --strategy <strategy>` +
  `${concurrency === undefined ? '' : ` --concurrency ${concurrency}`} --json --no-progress --endpoint-url ${endpoint || '<local>'} --force-path-style`;

const out: string[] = [];
out.push('## s3zipsync sync figures (embedded s3rver, same host)', '');
out.push(`- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}`);
out.push(`- node ${machine.node}, s3rver ${machine.s3rver}, @aws-sdk/client-s3 ${machine.clientS3}`);
out.push(`- code: ${gitCommit} (dist/ as built); 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
out.push(`- bench: \`${benchCommand}\``);
out.push(`- each run: \`${cliCommand}\` (run twice per strategy: first sync into an empty bucket, then the same zip again)`);
if (zipInfo) {
  out.push(
    `- zip: ${zipInfo.smallFiles} small text-like files (200 B–20 KiB, deflated, ${(zipInfo.smallBytes / MiB).toFixed(1)} MiB in total)` +
      `${zipInfo.bigBytes ? ` + 1 pseudo-random file of ${zipInfo.bigBytes / MiB} MiB (stored)` : ''}; ${(zipInfo.bytes / MiB).toFixed(1)} MiB on disk, written in ${zipInfo.seconds.toFixed(1)} s`,
  );
}
out.push(`- wall s: spawn to exit of the CLI process, Node start-up included; elapsedMs: the CLI's own summary; peak RSS: ${useGnuTime ? 'GNU time -v "Maximum resident set size"' : 'VmHWM sampled every 50 ms'}`);
out.push('', table(results), '');
for (const [strategy, notes] of Object.entries(verifyNotes)) out.push(`- verified (${strategy}): ${notes.join('; ')}`);
const stderrNotes = [...new Set(results.flatMap((r) => r.stderrHead.slice(0, 1).map((line) => line.replace(/^\(node:\d+\) /, ''))))];
for (const line of stderrNotes) {
  const runs = results.filter((r) => r.stderrHead[0]?.replace(/^\(node:\d+\) /, '') === line).map((r) => `${r.strategy}/${r.run}`);
  out.push(`- CLI stderr (${runs.join(', ')}): ${line}`);
}
// The issue's target: a no-change re-sync with `auto` costs at most ⌈files/1000⌉ + 2 requests.
const autoRerun = results.find((r) => r.strategy === 'auto' && r.run === 'rerun');
if (autoRerun?.totalRequests != null) {
  const bound = Math.ceil(expectedFiles / 1000) + 2;
  out.push(
    `- auto, no-change re-run: ${autoRerun.totalRequests} requests for ${expectedFiles} files; bound ⌈${expectedFiles}/1000⌉ + 2 = ${bound}: ${autoRerun.totalRequests <= bound ? 'met' : 'NOT MET'}`,
  );
}
const problems = results.flatMap((r) => r.problems.map((p) => `${r.strategy}/${r.run}: ${p}`));
if (problems.length) {
  out.push('', '**Problems: the numbers above are NOT trustworthy:**');
  for (const p of problems) out.push(`- ${p}`);
}
if (failed) out.push('', '**The benchmark stopped early; see the error above.**');
out.push('', '```json', JSON.stringify({ machine, gitCommit, loadAverage: { before: loadBefore, after: loadAfter }, benchCommand, cliCommand, zip: zipInfo ?? null, results }, null, 2), '```');
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = failed || problems.length ? 1 : 0;

// `npm run bench:sync`: wall time, peak RSS and S3 requests of the real CLI, for each existence-check
// strategy, on a first sync (everything new) and a no-change re-run (everything ignored), against the
// embedded S3-compatible server (s3rver) on this machine. The outcome counts and the stored bytes are
// checked before the numbers are trusted.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { STRATEGY_NAMES } from '../../src/internal.js';
import { createRng } from '../engine/rng.js';
import { pseudoRandomStream, textLikeBytes } from '../fixtures/content.js';
import { hashObject } from '../fixtures/verify-stored.js';
import { defineFigure } from '../harness/figure.js';
import { listSizes } from '../harness/listing.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { formatRequests } from '../harness/requests.js';
import { renderTable } from '../harness/table.js';
import { FIXTURE_MTIME, writeZipFile } from '../harness/zip.js';
import { runLocalCli, type LocalCliRun } from '../run/s3zipsync-cli.js';

const MiB = 1024 * 1024;
const EXTENSIONS = ['txt', 'html', 'css', 'js', 'json', 'md', 'svg', 'xml'];
const FILES_PER_DIR = 100;
const SAMPLED_FILES = 50;
const WRITES = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'];

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

const bigName = (bigMiB: number) => `blobs/big-${bigMiB}MiB.bin`;

/** A spread-out sample of small files whose content is read back, regenerated from their seeds. */
function sampledIndexes(smallCount: number): number[] {
  const n = Math.min(SAMPLED_FILES, smallCount);
  return [...new Set(Array.from({ length: n }, (_, k) => Math.floor((k * smallCount) / n)))];
}

interface ZipInfo {
  bytes: number;
  smallBytes: number;
  bigSha256: string | null;
  seconds: number;
}

/** Streams the archive to disk: small entries are generated lazily, the large one in 1 MiB chunks. */
async function writeBenchZip(path: string, smallCount: number, bigMiB: number): Promise<ZipInfo> {
  const started = performance.now();
  const bigBytes = bigMiB * MiB;
  const zip = new yazl.ZipFile();
  const bigHash = createHash('sha256');
  let smallBytes = 0;
  const addBig = () =>
    zip.addReadStreamLazy(bigName(bigMiB), { mtime: FIXTURE_MTIME, compress: false, size: bigBytes }, (cb) =>
      cb(null, pseudoRandomStream(bigBytes, 0, (chunk) => bigHash.update(chunk))),
    );
  // The large file sits in the middle of the archive, as it would in a real build output.
  const bigAt = Math.floor(smallCount / 2);
  for (let i = 0; i < smallCount; i++) {
    if (i === bigAt && bigBytes > 0) addBig();
    const file = smallFile(i);
    smallBytes += file.size;
    zip.addReadStreamLazy(file.name, { mtime: FIXTURE_MTIME, compress: true, size: file.size }, (cb) => cb(null, Readable.from([smallContent(file)])));
  }
  if (smallCount === 0 && bigBytes > 0) addBig();
  const bytes = await writeZipFile(zip, path);
  return { bytes, smallBytes, bigSha256: bigBytes > 0 ? bigHash.digest('hex') : null, seconds: (performance.now() - started) / 1000 };
}

interface StrategyRuns {
  strategy: string;
  first: LocalCliRun;
  rerun: LocalCliRun;
  /** What the server holds after the first run: every key's size, and sha256 of the big file and the sampled small ones. */
  stored: { sizes: Array<[string, number]>; sha256: Record<string, string>; bigBytes: number | null } | null;
}

interface Measured {
  zip: ZipInfo | null;
  strategies: StrategyRuns[];
}

const flags = {
  small: { type: 'integer', default: 5000, describe: 'small text-like files in the zip (200 B–20 KiB each, deflated)' },
  'big-mb': { type: 'integer', default: 200, describe: 'size of the one large pseudo-random file, in MiB (stored); 0 leaves it out' },
  concurrency: { type: 'integer', min: 1, describe: "passed to the CLI (default: the CLI's own default)" },
  strategies: { type: 'choices', choices: STRATEGY_NAMES, default: STRATEGY_NAMES, describe: 'strategies to measure' },
} as const;

export const figure = defineFigure({
  name: 'sync',
  title: 's3zipsync sync figures (embedded s3rver, same host)',
  flags,
  async run(f, context): Promise<Measured> {
    const measured: Measured = { zip: null, strategies: [] };
    await withLocalS3({ buckets: f.strategies.map((s) => `bench-${s}`), keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      const zipPath = join(s3.workDir, 'bench.zip');
      context.log(`writing ${f.small} small files + ${f['big-mb']} MiB file to ${zipPath}`);
      const zip = await writeBenchZip(zipPath, f.small, f['big-mb']);
      measured.zip = zip;
      context.log(`zip: ${(zip.bytes / MiB).toFixed(1)} MiB in ${zip.seconds.toFixed(1)} s`);
      for (const strategy of f.strategies) {
        if (context.signal.aborted) break;
        const bucket = `bench-${strategy}`;
        const prefix = `sync-figures/${strategy}/`;
        const args = [zipPath, '--bucket', bucket, '--prefix', prefix, '--strategy', strategy, ...(f.concurrency === undefined ? [] : ['--concurrency', String(f.concurrency)])];
        const first = await runLocalCli(s3, args, context.signal);
        context.log(`${strategy}: first run ${first.timed.wallSeconds.toFixed(1)} s`);
        let stored: StrategyRuns['stored'] = null;
        if (first.parsed.summary) {
          const sha256: Record<string, string> = {};
          let bigBytes: number | null = null;
          if (zip.bigSha256) {
            const big = await hashObject(s3.client, bucket, prefix + bigName(f['big-mb']));
            sha256[bigName(f['big-mb'])] = big.sha256;
            bigBytes = big.bytes;
          }
          for (const i of sampledIndexes(f.small)) {
            const file = smallFile(i);
            sha256[file.name] = (await hashObject(s3.client, bucket, prefix + file.name)).sha256;
          }
          stored = { sizes: [...(await listSizes(s3.client, bucket, prefix))], sha256, bigBytes };
        }
        const rerun = await runLocalCli(s3, args, context.signal);
        context.log(`${strategy}: re-run ${rerun.timed.wallSeconds.toFixed(1)} s`);
        measured.strategies.push({ strategy, first, rerun, stored });
      }
    });
    return measured;
  },
  verify(measured, f) {
    const problems: string[] = [];
    for (const runs of measured.strategies) {
      const say = (run: string, list: string[]) => problems.push(...list.map((p) => `${runs.strategy}/${run}: ${p}`));
      say('first', [...runProblems(runs.first, 'new', expectedFiles(f)), ...storedProblems(runs, f, measured.zip)]);
      say('rerun', runProblems(runs.rerun, 'ignored', expectedFiles(f)));
    }
    if (!measured.zip) problems.push('the benchmark stopped before the zip was written');
    return problems;
  },
  report(measured, f) {
    const out: string[] = [];
    const zip = measured.zip;
    if (zip) {
      out.push(
        `- zip: ${f.small} small text-like files (200 B–20 KiB, deflated, ${(zip.smallBytes / MiB).toFixed(1)} MiB in total)` +
          `${f['big-mb'] ? ` + 1 pseudo-random file of ${f['big-mb']} MiB (stored)` : ''}; ${(zip.bytes / MiB).toFixed(1)} MiB on disk, written in ${zip.seconds.toFixed(1)} s`,
      );
    }
    const rssSource = measured.strategies[0]?.first.timed.rssSource ?? 'n/a';
    out.push(
      `- each strategy: \`s3zipsync bench.zip --bucket bench-<strategy> --prefix sync-figures/<strategy>/ --strategy <strategy>${f.concurrency === undefined ? '' : ` --concurrency ${f.concurrency}`} --json\`, twice: into an empty bucket, then the same zip again`,
      `- wall s: spawn to exit of the CLI process, Node start-up included; elapsedMs: the CLI's own summary; peak RSS: ${rssSource}`,
      '',
    );
    const header = ['strategy', 'run', 'wall s', 'peak RSS MB', 'requests (by type)', 'counts', 'summary elapsedMs', 'CPU user+sys s', 'verified'];
    const rows = measured.strategies.flatMap((runs) =>
      (['first', 'rerun'] as const).map((which) => {
        const run = runs[which];
        const summary = run.parsed.summary;
        const trusted = which === 'first' ? [...runProblems(run, 'new', expectedFiles(f)), ...storedProblems(runs, f, zip)] : runProblems(run, 'ignored', expectedFiles(f));
        return [
          runs.strategy,
          which === 'first' ? 'first (all new)' : 're-run (no change)',
          run.timed.wallSeconds.toFixed(2),
          run.timed.peakRssMiB === null ? '—' : run.timed.peakRssMiB.toFixed(1),
          summary ? formatRequests(summary.requests, { total: summary.totalRequests }) : '—',
          summary ? formatCounts(summary.counts) : '—',
          summary ? String(summary.elapsedMs) : '—',
          run.cpuSeconds === null ? '—' : run.cpuSeconds.toFixed(2),
          trusted.length ? 'NO' : 'yes',
        ];
      }),
    );
    out.push(...renderTable(header, rows), '');
    const stderrLines = new Map<string, string[]>();
    for (const runs of measured.strategies) {
      for (const which of ['first', 'rerun'] as const) {
        const line = runs[which].timed.stderr.trim().split('\n')[0]?.replace(/^\(node:\d+\) /, '');
        if (line) stderrLines.set(line, [...(stderrLines.get(line) ?? []), `${runs.strategy}/${which}`]);
      }
    }
    for (const [line, runs] of stderrLines) out.push(`- CLI stderr (${runs.join(', ')}): ${line}`);
    // The issue's target: a no-change re-sync with `auto` costs at most ⌈files/1000⌉ + 2 requests.
    const autoRerun = measured.strategies.find((r) => r.strategy === 'auto')?.rerun.parsed.summary;
    if (autoRerun) {
      const files = expectedFiles(f);
      const bound = Math.ceil(files / 1000) + 2;
      out.push(`- auto, no-change re-run: ${autoRerun.totalRequests} requests for ${files} files; bound ⌈${files}/1000⌉ + 2 = ${bound}: ${autoRerun.totalRequests <= bound ? 'met' : 'NOT MET'}`);
    }
    return out.join('\n');
  },
});

const expectedFiles = (f: { small: number; 'big-mb': number }) => f.small + (f['big-mb'] > 0 ? 1 : 0);

/** The outcome counts a run must report; entry lines on stdout must agree with the summary; a no-change run writes nothing. */
function runProblems(run: LocalCliRun, expect: 'new' | 'ignored', expected: number): string[] {
  const problems = [...run.problems];
  if (run.timed.rssSource.startsWith('/usr/bin/time') && run.timed.peakRssMiB === null) problems.push('no "Maximum resident set size" in /usr/bin/time -v output');
  const summary = run.parsed.summary;
  if (!summary) return problems;
  const counts = summary.counts;
  const other = Object.entries(counts).filter(([name, n]) => name !== expect && n !== 0);
  if (counts[expect] !== expected) problems.push(`expected ${expected} ${expect}, summary says ${counts[expect]}`);
  if (other.length) problems.push(`unexpected non-zero counts: ${other.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  for (const [action, n] of Object.entries(counts)) {
    if (action === 'skipped' || action === 'notStarted') continue;
    const lines = run.parsed.entryLineCounts[action] ?? 0;
    if (lines !== n) problems.push(`summary says ${action}=${n} but stdout has ${lines} such entry lines`);
  }
  if (expect === 'ignored') {
    const writes = WRITES.filter((op) => summary.requests[op]);
    if (writes.length) problems.push(`no-change re-run sent write requests: ${writes.join(', ')}`);
  }
  return problems;
}

/** What the server holds against what the zip holds: every key and size, the big file's and the sampled files' bytes. */
function storedProblems(runs: StrategyRuns, f: { small: number; 'big-mb': number }, zip: ZipInfo | null): string[] {
  const stored = runs.stored;
  if (!stored || !zip) return [];
  const problems: string[] = [];
  const prefix = `sync-figures/${runs.strategy}/`;
  const sizes = new Map(stored.sizes);
  if (sizes.size !== expectedFiles(f)) problems.push(`bucket holds ${sizes.size} keys under ${prefix}, expected ${expectedFiles(f)}`);
  let sizeMismatches = 0;
  for (let i = 0; i < f.small; i++) {
    const file = smallFile(i);
    if (sizes.get(prefix + file.name) !== file.size) sizeMismatches++;
  }
  if (sizeMismatches) problems.push(`${sizeMismatches} small objects missing or of the wrong size`);
  const big = bigName(f['big-mb']);
  if (zip.bigSha256 && (stored.sha256[big] !== zip.bigSha256 || stored.bigBytes !== f['big-mb'] * MiB)) {
    problems.push(`${big}: sha256 ${stored.sha256[big]} (${stored.bigBytes} bytes), source ${zip.bigSha256}`);
  }
  const sample = sampledIndexes(f.small);
  const differ = sample.filter((i) => {
    const file = smallFile(i);
    return stored.sha256[file.name] !== createHash('sha256').update(smallContent(file)).digest('hex');
  });
  if (differ.length) problems.push(`${differ.length}/${sample.length} sampled small objects differ from the source`);
  return problems;
}

function formatCounts(counts: Record<string, number>): string {
  const nonZero = Object.entries(counts).filter(([, n]) => n !== 0);
  return nonZero.length ? nonZero.map(([k, n]) => `${k} ${n}`).join(', ') : 'all 0';
}

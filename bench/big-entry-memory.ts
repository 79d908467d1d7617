// `npm run bench:memory`: peak RSS of the real CLI, at default settings, syncing a zip that holds ONE
// big entry, for several entry sizes and two kinds of content, to show that memory is bounded by the
// settings (part size × parts in flight), not by the size of the archive or entry.
//
//   node dist/bench/big-entry-memory.js [--sizes 64MiB,256MiB,1GiB] [--variants stored-random,deflated-text] [--markdown]
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalS3, type LocalS3 } from '../tools/local-s3/start-local-s3.js';
import { parseSize } from '../tools/parse-size.js';
import { createS3Client } from '../src/s3/create-client.js';
import { ENTRY_VARIANTS, writeSingleEntryZip, type EntryVariant } from './fixtures/single-entry-zip.js';
import { hashObject } from './fixtures/verify-stored.js';
import { describeMachine } from './run/machine.js';
import { CLI_PATH, localCliEnv, parseCliOutput } from './run/s3zipsync-cli.js';
import { runTimedProcess } from './run/timed-process.js';
import { formatRequests } from './peers/print.js';

const BUDGET_MiB = 256;
const MiB = 1024 * 1024;
/** Binary units spelled out: the `bytes` package prints 1024-based sizes as "MB". */
const bytes = (n: number): string => (n >= 1024 * MiB ? `${(n / 1024 / MiB).toFixed(n % (1024 * MiB) ? 2 : 0)} GiB` : `${(n / MiB).toFixed(n % MiB ? 2 : 0)} MiB`);

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: 'string', default: '64MiB,256MiB,1GiB' },
    variants: { type: 'string', default: ENTRY_VARIANTS.join(',') },
    markdown: { type: 'boolean', default: false },
  },
  strict: true,
});
const log = (message: string) => process.stderr.write(`[memory] ${message}\n`);
function fail(message: string): never {
  process.stderr.write(`bench memory: ${message}\n`);
  process.exit(2);
}
let sizes: number[];
try {
  sizes = flags.sizes.split(',').map((s) => parseSize(s.trim(), 'sizes'));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const variants = flags.variants.split(',').map((v) => v.trim()) as EntryVariant[];
for (const v of variants) if (!ENTRY_VARIANTS.includes(v)) fail(`unknown variant "${v}" (known: ${ENTRY_VARIANTS.join(', ')})`);

interface Row {
  variant: EntryVariant;
  entryBytes: number;
  zipBytes: number;
  wallSeconds: number;
  peakRssMiB: number | null;
  requests: string;
  verified: string;
  problems: string[];
}

const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-memory-'));
let server: LocalS3 | undefined;
const rows: Row[] = [];
let rssSource = '';
try {
  const dataDir = join(workDir, 's3');
  mkdirSync(dataDir);
  server = await startLocalS3({ directory: dataDir });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  // Interleave variants per size so a slow phase of the shared machine does not hit one variant only.
  for (const size of sizes) {
    for (const variant of variants) {
      const bucket = `memory-${variant}-${size}`;
      const zipPath = join(workDir, `${bucket}.zip`);
      try {
        log(`${variant} ${bytes(size)}: writing the zip`);
        const zip = await writeSingleEntryZip(zipPath, variant, size);
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        log(`${variant} ${bytes(size)}: zip ${bytes(zip.zipBytes)} in ${zip.seconds.toFixed(1)} s; syncing`);
        const run = await runTimedProcess(
          process.execPath,
          [CLI_PATH, zipPath, '--bucket', bucket, '--json', '--no-progress', '--endpoint-url', server.endpoint, '--force-path-style'],
          { env: localCliEnv(), cwd: workDir },
        );
        rssSource = run.rssSource;
        const parsed = parseCliOutput(run.stdout);
        const problems = [...parsed.problems];
        if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}: ${run.stderr.trim().split('\n').slice(-2).join(' | ')}`);
        if (parsed.summary && parsed.summary.counts.new !== 1) problems.push(`expected 1 new entry, got ${JSON.stringify(parsed.summary.counts)}`);
        const stored = await hashObject(client, bucket, zip.entryName).catch((error: Error) => ({ sha256: `unreadable: ${error.message}`, bytes: -1 }));
        const same = stored.sha256 === zip.entrySha256 && stored.bytes === zip.entryBytes;
        if (!same) problems.push(`stored object: ${stored.bytes} B, sha256 ${stored.sha256}; source ${zip.entryBytes} B, ${zip.entrySha256}`);
        rows.push({
          variant,
          entryBytes: size,
          zipBytes: zip.zipBytes,
          wallSeconds: run.wallSeconds,
          peakRssMiB: run.peakRssMiB,
          requests: parsed.summary ? formatRequests(parsed.summary.requests, parsed.summary.totalRequests) : '—',
          verified: same ? `sha256 ${zip.entrySha256.slice(0, 12)}… matches` : 'NO',
          problems,
        });
        log(`${variant} ${bytes(size)}: ${run.wallSeconds.toFixed(1)} s, peak RSS ${run.peakRssMiB?.toFixed(0)} MiB${problems.length ? `, PROBLEMS: ${problems.join('; ')}` : ''}`);
      } finally {
        rmSync(zipPath, { force: true });
        rmSync(join(dataDir, bucket), { recursive: true, force: true });
      }
    }
  }
  client.destroy();
} catch (error) {
  process.stderr.write(`bench memory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const header = ['entry', 'entry size', 'zip size', 'wall s', 'peak RSS MiB', 'S3 requests', 'stored object'];
const table = rows.map((r) => [
  r.variant,
  bytes(r.entryBytes),
  bytes(r.zipBytes),
  r.wallSeconds.toFixed(1),
  r.peakRssMiB === null ? '—' : r.peakRssMiB.toFixed(0),
  r.requests,
  r.verified,
]);
const out: string[] = [];
out.push(`one-entry zips synced by the real CLI at default settings into s3rver; peak RSS from ${rssSource || 'n/a'}`);
out.push(`machine: ${describeMachine()}`);
out.push(`command: node dist/bench/big-entry-memory.js ${process.argv.slice(2).join(' ')}`.trimEnd());
out.push('');
if (flags.markdown) {
  out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...table.map((r) => `| ${r.join(' | ')} |`));
} else {
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...table.map((r) => r[i]!.length)));
  for (const r of [header, ...table]) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}
out.push('');
for (const variant of variants) {
  const measured = rows.filter((r) => r.variant === variant && r.peakRssMiB !== null && r.problems.length === 0);
  if (measured.length < 2) continue;
  const smallest = measured.reduce((a, b) => (a.entryBytes < b.entryBytes ? a : b));
  const largest = measured.reduce((a, b) => (a.entryBytes > b.entryBytes ? a : b));
  const peak = Math.max(...measured.map((r) => r.peakRssMiB!));
  const growth = largest.peakRssMiB! - smallest.peakRssMiB!;
  out.push(
    `- ${variant}: entry ${(largest.entryBytes / smallest.entryBytes).toFixed(0)}× larger (${bytes(smallest.entryBytes)} → ${bytes(largest.entryBytes)}), ` +
      `peak RSS ${smallest.peakRssMiB!.toFixed(0)} → ${largest.peakRssMiB!.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB); ` +
      `highest ${peak.toFixed(0)} MiB, ${peak < BUDGET_MiB ? 'under' : 'OVER'} the ${BUDGET_MiB} MiB budget`,
  );
}
for (const r of rows) for (const p of r.problems) out.push(`- PROBLEM ${r.variant} ${bytes(r.entryBytes)}: ${p}`);
process.stdout.write(`${out.join('\n')}\n`);
if (rows.some((r) => r.problems.length) || rows.length < sizes.length * variants.length) process.exitCode ||= 1;

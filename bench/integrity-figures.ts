// `npm run bench:integrity`: what `--compare crc32` and `--gzip` cost and catch, against the embedded
// S3-compatible server (s3rver) on this machine, through the library (`syncZip`), one run at a time.
//
//   node dist/bench/integrity-figures.js [--files N] [--edits N]
//
// A generated archive of N text-like files (default 2,000, 200 B–20 KiB) is synced into one prefix per
// strategy. Then N_edits files (default 20) get one byte changed in place (same size, new CRC32) and
// the archive is synced again, first with `--compare size` then with `--compare crc32`: requests and
// time of each. Numbers are printed only after the outcomes and the stored bytes of the edited files
// have been checked. Last, the same archive is stored plain and with `--gzip '*'`: bytes stored; then the
// gzip prefix is re-synced unchanged with each strategy (a listing needs a HEAD per present gzip entry).
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import yazl from 'yazl';
import { startLocalS3 } from '../bin/local-s3/start-local-s3.js';
import { createS3Client, STRATEGY_NAMES, syncZip, type SyncOptions, type SyncReport } from '../src/internal.js';
import { createRng } from './engine/rng.js';

const BUCKET = 'integrity-bench';
const WORDS = 'the of and to in is for on that with sync zip bucket prefix object key upload stream entry archive checksum symbol module function'.split(' ');

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: { files: { type: 'string', default: '2000' }, edits: { type: 'string', default: '20' } },
  strict: true,
});
const fileCount = Number(flags.files);
const editCount = Number(flags.edits);
if (!Number.isInteger(fileCount) || fileCount < 1 || !Number.isInteger(editCount) || editCount < 0 || editCount > fileCount) {
  process.stderr.write(`integrity-figures: --files must be a positive integer and --edits an integer in 0..files, got ${flags.files} and ${flags.edits}\n`);
  process.exit(2);
}

/** Deterministic text of 200 B–20 KiB per file. */
function files(): Array<{ name: string; data: Buffer }> {
  return Array.from({ length: fileCount }, (_, index) => {
    const random = createRng(0x1a7e0000 + index);
    const size = 200 + Math.floor(random() * (20 * 1024 - 200));
    let text = '';
    while (text.length < size) text += WORDS[Math.floor(random() * WORDS.length)]! + (random() < 0.1 ? '\n' : ' ');
    return { name: `sym/d${String(index % 20).padStart(2, '0')}/f${String(index).padStart(5, '0')}.sym`, data: Buffer.from(text.slice(0, size)) };
  });
}

/** The same files with one byte changed in `editCount` of them, spread over the archive. */
function edited(original: Array<{ name: string; data: Buffer }>): { files: Array<{ name: string; data: Buffer }>; names: Set<string> } {
  const names = new Set<string>();
  const step = Math.max(1, Math.floor(original.length / Math.max(1, editCount)));
  const out = original.map((file) => ({ ...file, data: Buffer.from(file.data) }));
  for (let i = 0; i < editCount; i++) {
    const file = out[i * step]!;
    const middle = file.data.length >> 1;
    file.data[middle] = file.data[middle] === 0x5a ? 0x59 : 0x5a; // 'Z' (or 'Y'): same size, new CRC32
    names.add(file.name);
  }
  return { files: out, names };
}

function zipOf(entries: Array<{ name: string; data: Buffer }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

async function storedBytes(client: S3Client, prefix: string): Promise<{ objects: number; bytes: number }> {
  let token: string | undefined;
  let objects = 0;
  let bytes = 0;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, bytes };
}

async function sha256Of(client: S3Client, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return createHash('sha256').update(await object.Body!.transformToByteArray()).digest('hex');
}

function fail(message: string): never {
  process.stderr.write(`integrity-figures: ${message}\n`);
  process.exit(1);
}

function requests(report: SyncReport): string {
  const parts = Object.entries(report.requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${n}`);
  return `${report.totalRequests} (${parts.join(', ')})`;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 's3zipsync-integrity-bench-'));
  const server = await startLocalS3({ directory, buckets: [BUCKET] });
  // A fresh client per run, so no run profits from another's warm connections.
  const run = async (options: Omit<SyncOptions, 'bucket' | 'client'>) => {
    const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
    try {
      return await syncZip({ ...options, bucket: BUCKET, client });
    } finally {
      client.destroy();
    }
  };
  const reader = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  try {
    const original = files();
    const change = edited(original);
    const before = await zipOf(original);
    const after = await zipOf(change.files);
    const totalBytes = original.reduce((sum, file) => sum + file.data.length, 0);
    process.stdout.write(`archive: ${fileCount} files, ${totalBytes} bytes of text (zip ${before.length} bytes); ${editCount} same-size edits\n`);
    process.stdout.write(`node ${process.version}, s3rver on 127.0.0.1, library runs one at a time, default concurrency\n\n`);
    process.stdout.write('| strategy | re-sync with | updated | same-size changes caught | HEADs for metadata | S3 requests | time s |\n|---|---|---|---|---|---|---|\n');
    for (const strategy of STRATEGY_NAMES) {
      const prefix = `${strategy}/`;
      const first = await run({ zip: before, prefix, strategy });
      if (first.counts.new !== fileCount) fail(`${strategy}: first sync stored ${first.counts.new} of ${fileCount} files`);
      const bySize = await run({ zip: after, prefix, strategy, compare: 'size' });
      if (bySize.counts.updated !== 0 || bySize.counts.ignored !== fileCount) fail(`${strategy}: size re-sync was not all ignored: ${JSON.stringify(bySize.counts)}`);
      const byCrc = await run({ zip: after, prefix, strategy, compare: 'crc32' });
      if (byCrc.counts.updated !== editCount || byCrc.sameSizeChanges !== editCount) fail(`${strategy}: crc32 re-sync: ${JSON.stringify(byCrc.counts)}, caught ${byCrc.sameSizeChanges}`);
      for (const file of change.files.filter((f) => change.names.has(f.name))) {
        const expected = createHash('sha256').update(file.data).digest('hex');
        if ((await sha256Of(reader, `${prefix}${file.name}`)) !== expected) fail(`${strategy}: ${file.name} not stored with its edit`);
      }
      for (const [label, report] of [['size', bySize], ['crc32', byCrc]] as const) {
        process.stdout.write(`| ${strategy} | ${label} | ${report.counts.updated} | ${report.sameSizeChanges} | ${report.metadataChecks} | ${requests(report)} | ${(report.elapsedMs / 1000).toFixed(2)} |\n`);
      }
    }
    process.stdout.write('\n| stored | objects | bytes stored | time s (first sync) |\n|---|---|---|---|\n');
    for (const [label, gzip] of [['plain', []], ["--gzip '*'", ['*']]] as const) {
      const prefix = `store-${gzip.length ? 'gzip' : 'plain'}/`;
      const report = await run({ zip: before, prefix, gzip: [...gzip] });
      if (report.counts.new !== fileCount) fail(`${label}: stored ${report.counts.new} of ${fileCount}`);
      const stored = await storedBytes(reader, prefix);
      process.stdout.write(`| ${label} | ${stored.objects} | ${stored.bytes} | ${(report.elapsedMs / 1000).toFixed(2)} |\n`);
    }
    // A listing shows the compressed size, so every present gzip entry costs a HEAD for its original size.
    process.stdout.write("\n| no-change re-sync of the --gzip '*' prefix | ignored | HEADs for metadata | S3 requests | time s |\n|---|---|---|---|---|\n");
    for (const strategy of STRATEGY_NAMES) {
      const report = await run({ zip: before, prefix: 'store-gzip/', gzip: ['*'], strategy });
      if (report.counts.ignored !== fileCount) fail(`gzip re-sync with ${strategy}: ${JSON.stringify(report.counts)}`);
      process.stdout.write(`| ${strategy} | ${report.counts.ignored} | ${report.metadataChecks} | ${requests(report)} | ${(report.elapsedMs / 1000).toFixed(2)} |\n`);
    }
  } finally {
    reader.destroy();
    await server.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();

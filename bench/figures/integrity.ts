// `npm run bench:integrity`: what `compare: 'crc32'` and `gzip` cost and catch, against the embedded
// S3-compatible server (s3rver) on this machine, through the library (`syncZip`), one run at a time.
//
// A generated archive of N text-like files (200 B–20 KiB) is synced into one prefix per strategy. Then
// --edits files get one byte changed in place (same size, new CRC32) and the archive is synced again,
// first comparing sizes then CRC32s: requests and time of each. Last, the same archive is stored plain
// and with `gzip: ['*']`: bytes stored; then the gzip prefix is re-synced unchanged with each strategy
// (a listing needs a HEAD per present gzip entry, since it shows the compressed size).
import { createHash } from 'node:crypto';
import { STRATEGY_NAMES, syncZip, type SyncOptions, type SyncReport } from '../../src/internal.js';
import { createRng } from '../engine/rng.js';
import { textLikeBytes } from '../fixtures/content.js';
import { hashObject } from '../fixtures/verify-stored.js';
import { defineFigure } from '../harness/figure.js';
import { BenchUsageError } from '../harness/flags.js';
import { listSizes } from '../harness/listing.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { formatRequests } from '../harness/requests.js';
import { renderTable } from '../harness/table.js';
import { zipBuffer } from '../harness/zip.js';

const BUCKET = 'integrity-bench';

interface File {
  name: string;
  data: Buffer;
}

/** Deterministic text of 200 B–20 KiB per file. */
function files(count: number): File[] {
  return Array.from({ length: count }, (_, index) => {
    const size = 200 + Math.floor(createRng(0x1a7e0000 + index)() * (20 * 1024 - 200));
    return { name: `sym/d${String(index % 20).padStart(2, '0')}/f${String(index).padStart(5, '0')}.sym`, data: textLikeBytes(size, 0x1a7f0000 + index) };
  });
}

/** The same files with one byte changed in `edits` of them, spread over the archive. */
function edited(original: File[], edits: number): { files: File[]; names: Set<string> } {
  const names = new Set<string>();
  const step = Math.max(1, Math.floor(original.length / Math.max(1, edits)));
  const out = original.map((file) => ({ ...file, data: Buffer.from(file.data) }));
  for (let i = 0; i < edits; i++) {
    const file = out[i * step]!;
    const middle = file.data.length >> 1;
    file.data[middle] = file.data[middle] === 0x5a ? 0x59 : 0x5a; // 'Z' (or 'Y'): same size, new CRC32
    names.add(file.name);
  }
  return { files: out, names };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface StrategyRuns {
  strategy: string;
  first: SyncReport;
  bySize: SyncReport;
  byCrc: SyncReport;
  /** Edited files whose stored bytes are not the edited ones after the crc32 re-sync. */
  editsNotStored: string[];
}

interface Measured {
  totalBytes: number;
  zipBytes: number;
  compare: StrategyRuns[];
  stores: Array<{ label: string; report: SyncReport; objects: number; bytes: number }>;
  gzipResyncs: Array<{ strategy: string; report: SyncReport }>;
}

const flags = {
  files: { type: 'integer', min: 1, default: 2000, describe: 'text-like files in the archive (200 B–20 KiB each)' },
  edits: { type: 'integer', default: 20, describe: 'files changed in place (same size, new CRC32) before the re-sync' },
} as const;

export const figure = defineFigure({
  name: 'integrity',
  title: "s3zipsync integrity figures: compare 'crc32' and gzip (library, embedded s3rver)",
  flags,
  async run(f, context): Promise<Measured> {
    if (f.edits > f.files) throw new BenchUsageError('--edits cannot exceed --files');
    return withLocalS3({ buckets: [BUCKET], keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      // A fresh client per run, so no run profits from another's warm connections.
      const sync = async (options: Omit<SyncOptions, 'bucket' | 'client'>) => {
        const client = s3.newClient();
        try {
          return await syncZip({ ...options, bucket: BUCKET, client });
        } finally {
          client.destroy();
        }
      };
      const original = files(f.files);
      const change = edited(original, f.edits);
      const before = await zipBuffer(original);
      const after = await zipBuffer(change.files);
      const measured: Measured = { totalBytes: original.reduce((sum, file) => sum + file.data.length, 0), zipBytes: before.length, compare: [], stores: [], gzipResyncs: [] };
      for (const strategy of STRATEGY_NAMES) {
        const prefix = `${strategy}/`;
        const first = await sync({ zip: before, prefix, strategy });
        const bySize = await sync({ zip: after, prefix, strategy, compare: 'size' });
        const byCrc = await sync({ zip: after, prefix, strategy, compare: 'crc32' });
        const editsNotStored: string[] = [];
        for (const file of change.files.filter((candidate) => change.names.has(candidate.name))) {
          if ((await hashObject(s3.client, BUCKET, `${prefix}${file.name}`)).sha256 !== sha256(file.data)) editsNotStored.push(file.name);
        }
        measured.compare.push({ strategy, first, bySize, byCrc, editsNotStored });
        context.log(`${strategy}: compared`);
      }
      for (const [label, gzip] of [['plain', []], ["gzip ['*']", ['*']]] as const) {
        const prefix = `store-${gzip.length ? 'gzip' : 'plain'}/`;
        const report = await sync({ zip: before, prefix, gzip: [...gzip] });
        const sizes = [...(await listSizes(s3.client, BUCKET, prefix)).values()];
        measured.stores.push({ label, report, objects: sizes.length, bytes: sizes.reduce((sum, size) => sum + size, 0) });
      }
      for (const strategy of STRATEGY_NAMES) measured.gzipResyncs.push({ strategy, report: await sync({ zip: before, prefix: 'store-gzip/', gzip: ['*'], strategy }) });
      return measured;
    });
  },
  verify(measured, f) {
    const problems: string[] = [];
    for (const { strategy, first, bySize, byCrc, editsNotStored } of measured.compare) {
      if (first.counts.new !== f.files) problems.push(`${strategy}: first sync stored ${first.counts.new} of ${f.files} files`);
      if (bySize.counts.updated !== 0 || bySize.counts.ignored !== f.files) problems.push(`${strategy}: size re-sync was not all ignored: ${JSON.stringify(bySize.counts)}`);
      if (byCrc.counts.updated !== f.edits || byCrc.sameSizeChanges !== f.edits) problems.push(`${strategy}: crc32 re-sync: ${JSON.stringify(byCrc.counts)}, caught ${byCrc.sameSizeChanges}`);
      if (editsNotStored.length) problems.push(`${strategy}: ${editsNotStored.length} edited files not stored with their edit (${editsNotStored.slice(0, 3).join(', ')})`);
    }
    for (const store of measured.stores) if (store.report.counts.new !== f.files || store.objects !== f.files) problems.push(`${store.label}: stored ${store.report.counts.new} of ${f.files} (${store.objects} objects listed)`);
    for (const { strategy, report } of measured.gzipResyncs) if (report.counts.ignored !== f.files) problems.push(`gzip re-sync with ${strategy}: ${JSON.stringify(report.counts)}`);
    if (measured.compare.length !== STRATEGY_NAMES.length) problems.push('not every strategy was measured');
    return problems;
  },
  report(measured, f) {
    const requests = (report: SyncReport) => formatRequests(report.requests, { total: report.totalRequests });
    const seconds = (report: SyncReport) => (report.elapsedMs / 1000).toFixed(2);
    return [
      `- archive: ${f.files} files, ${measured.totalBytes} bytes of text (zip ${measured.zipBytes} bytes); ${f.edits} same-size edits; library runs one at a time, default concurrency`,
      '',
      ...renderTable(
        ['strategy', 're-sync with', 'updated', 'same-size changes caught', 'HEADs for metadata', 'S3 requests', 'time s'],
        measured.compare.flatMap(({ strategy, bySize, byCrc }) =>
          ([['size', bySize], ['crc32', byCrc]] as const).map(([label, report]) => [strategy, label, String(report.counts.updated), String(report.sameSizeChanges), String(report.metadataChecks), requests(report), seconds(report)]),
        ),
      ),
      '',
      ...renderTable(['stored', 'objects', 'bytes stored', 'time s (first sync)'], measured.stores.map((s) => [s.label, String(s.objects), String(s.bytes), seconds(s.report)])),
      '',
      ...renderTable(
        ["no-change re-sync of the gzip ['*'] prefix", 'ignored', 'HEADs for metadata', 'S3 requests', 'time s'],
        measured.gzipResyncs.map(({ strategy, report }) => [strategy, String(report.counts.ignored), String(report.metadataChecks), requests(report), seconds(report)]),
      ),
    ].join('\n');
  },
});

// `npm run bench:memory`: peak RSS of the real CLI, at default settings, syncing a zip that holds ONE
// big entry, for several entry sizes and two kinds of content, to show that memory is bounded by the
// settings (part size × parts in flight), not by the size of the archive or entry.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_VARIANTS, writeSingleEntryZip, type EntryVariant, type SingleEntryZip } from '../fixtures/single-entry-zip.js';
import { hashObject } from '../fixtures/verify-stored.js';
import { defineFigure } from '../harness/figure.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { formatRequests } from '../harness/requests.js';
import { renderTable } from '../harness/table.js';
import { runLocalCli, type LocalCliRun } from '../run/s3zipsync-cli.js';

const BUDGET_MiB = 256;
const MiB = 1024 * 1024;
/** Binary units spelled out: the `bytes` package prints 1024-based sizes as "MB". */
const size = (n: number): string => (n >= 1024 * MiB ? `${(n / 1024 / MiB).toFixed(n % (1024 * MiB) ? 2 : 0)} GiB` : `${(n / MiB).toFixed(n % MiB ? 2 : 0)} MiB`);

interface Row {
  variant: EntryVariant;
  zip: SingleEntryZip;
  run: LocalCliRun;
  stored: { sha256: string; bytes: number };
}

const flags = {
  sizes: { type: 'sizes', default: '64MiB,256MiB,1GiB', describe: 'entry sizes' },
  variants: { type: 'choices', choices: ENTRY_VARIANTS, default: ENTRY_VARIANTS, describe: 'kinds of content' },
} as const;

function rowProblems(row: Row): string[] {
  const problems = [...row.run.problems];
  const counts = row.run.parsed.summary?.counts;
  if (counts && counts.new !== 1) problems.push(`expected 1 new entry, got ${JSON.stringify(counts)}`);
  if (row.stored.sha256 !== row.zip.entrySha256 || row.stored.bytes !== row.zip.entryBytes) {
    problems.push(`stored object: ${row.stored.bytes} B, sha256 ${row.stored.sha256}; source ${row.zip.entryBytes} B, ${row.zip.entrySha256}`);
  }
  return problems;
}

export const figure = defineFigure({
  name: 'memory',
  title: 's3zipsync peak RSS syncing one big entry (real CLI, default settings, embedded s3rver)',
  flags,
  async run(f, context): Promise<Row[]> {
    const rows: Row[] = [];
    await withLocalS3({ keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      // Interleave variants per size so a slow phase of the shared machine does not hit one variant only.
      for (const entryBytes of f.sizes) {
        for (const variant of f.variants) {
          if (context.signal.aborted) return;
          const bucket = `memory-${variant}-${entryBytes}`;
          const zipPath = join(s3.workDir, `${bucket}.zip`);
          try {
            const zip = await writeSingleEntryZip(zipPath, variant, entryBytes);
            await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
            context.log(`${variant} ${size(entryBytes)}: zip ${size(zip.zipBytes)} in ${zip.seconds.toFixed(1)} s; syncing`);
            const run = await runLocalCli(s3, [zipPath, '--bucket', bucket], context.signal);
            const stored = await hashObject(s3.client, bucket, zip.entryName).catch((error: Error) => ({ sha256: `unreadable: ${error.message}`, bytes: -1 }));
            rows.push({ variant, zip, run, stored });
            context.log(`${variant} ${size(entryBytes)}: ${run.timed.wallSeconds.toFixed(1)} s, peak RSS ${run.timed.peakRssMiB?.toFixed(0)} MiB`);
          } finally {
            rmSync(zipPath, { force: true });
            rmSync(join(s3.dataDir, bucket), { recursive: true, force: true });
          }
        }
      }
    });
    return rows;
  },
  verify(rows, f) {
    const problems = rows.flatMap((row) => rowProblems(row).map((p) => `${row.variant} ${size(row.zip.entryBytes)}: ${p}`));
    if (rows.length < f.sizes.length * f.variants.length) problems.push(`${rows.length} of ${f.sizes.length * f.variants.length} runs finished`);
    return problems;
  },
  report(rows, f) {
    const out = [`- peak RSS from ${rows[0]?.run.timed.rssSource ?? 'n/a'}; each run: \`s3zipsync <zip> --bucket <bucket> --json\``, ''];
    out.push(
      ...renderTable(
        ['entry', 'entry size', 'zip size', 'wall s', 'peak RSS MiB', 'S3 requests', 'stored object'],
        rows.map((r) => {
          const summary = r.run.parsed.summary;
          return [
            r.variant,
            size(r.zip.entryBytes),
            size(r.zip.zipBytes),
            r.run.timed.wallSeconds.toFixed(1),
            r.run.timed.peakRssMiB === null ? '—' : r.run.timed.peakRssMiB.toFixed(0),
            summary ? formatRequests(summary.requests, { total: summary.totalRequests }) : '—',
            r.stored.sha256 === r.zip.entrySha256 ? `sha256 ${r.zip.entrySha256.slice(0, 12)}… matches` : 'NO',
          ];
        }),
      ),
      '',
    );
    for (const variant of f.variants) {
      const measured = rows.filter((r) => r.variant === variant && r.run.timed.peakRssMiB !== null && rowProblems(r).length === 0);
      if (measured.length < 2) continue;
      const smallest = measured.reduce((a, b) => (a.zip.entryBytes < b.zip.entryBytes ? a : b));
      const largest = measured.reduce((a, b) => (a.zip.entryBytes > b.zip.entryBytes ? a : b));
      const peak = Math.max(...measured.map((r) => r.run.timed.peakRssMiB!));
      const growth = largest.run.timed.peakRssMiB! - smallest.run.timed.peakRssMiB!;
      out.push(
        `- ${variant}: entry ${(largest.zip.entryBytes / smallest.zip.entryBytes).toFixed(0)}× larger (${size(smallest.zip.entryBytes)} → ${size(largest.zip.entryBytes)}), ` +
          `peak RSS ${smallest.run.timed.peakRssMiB!.toFixed(0)} → ${largest.run.timed.peakRssMiB!.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB); ` +
          `highest ${peak.toFixed(0)} MiB, ${peak < BUDGET_MiB ? 'under' : 'OVER'} the ${BUDGET_MiB} MiB budget`,
      );
    }
    return out.join('\n');
  },
});

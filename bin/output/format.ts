import type { SyncEvent, SyncReport } from '../../src/internal.js';
import { formatBytes } from './format-bytes.js';
import { formatDeletionSummary } from './format-deletion.js';

type EntryEvent = Extract<SyncEvent, { type: 'entry' }>;

/** `New! key (12 bytes)`, `Updated! key (10 → 12 bytes)`, `Ignored key`, `Failed key: reason`, `Conflict key: reason`. */
export function formatEntry(event: EntryEvent): string {
  const dry = event.dryRun && (event.action === 'new' || event.action === 'updated') ? ' [dry run]' : '';
  switch (event.action) {
    case 'new':
      return `New! ${event.key} (${event.size} bytes)${dry}`;
    case 'updated':
      if (event.because === 'headers') return `Updated! ${event.key} (${event.size} bytes, same bytes, headers changed: ${(event.changedHeaders ?? []).join(', ')})${dry}`;
      if (event.because) return `Updated! ${event.key} (${event.size} bytes, ${SAME_SIZE_REASONS[event.because]})${dry}`;
      return `Updated! ${event.key} (${event.remoteSize} → ${event.size} bytes)${dry}`;
    case 'ignored':
      return `Ignored ${event.key}`;
    case 'failed':
      return `Failed ${event.key}: ${event.reason}`;
    case 'conflict':
      return `Conflict ${event.key}: ${event.reason}`;
  }
}

const SAME_SIZE_REASONS = {
  crc32: 'same size, crc32 changed',
  'no-crc32': 'same size, no stored crc32',
  encoding: 'same size, gzip encoding changed',
} as const;

/**
 * `dryRunBytes`: with --dry-run nothing is uploaded, so the line says what would be: the bytes of
 * the entries that would be New! or Updated! (a headers-only update sends none).
 */
export function formatSummary(report: SyncReport, dryRunBytes = 0): string[] {
  const c = report.counts;
  const extras = [
    c.skipped ? `${c.skipped} symlinks skipped` : '',
    c.notStarted ? `${c.notStarted} not started` : '',
  ].filter(Boolean);
  const requests = Object.entries(report.requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${n}`)
    .join(', ');
  const lines = [
    `Summary: ${c.new} new, ${c.updated} updated, ${c.ignored} ignored, ${c.failed} failed${c.conflict ? `, ${c.conflict} conflict${c.conflict === 1 ? '' : 's'}` : ''}${extras.length ? ` (${extras.join(', ')})` : ''}${report.dryRun ? ' [dry run: nothing written]' : ''}`,
    `${report.dryRun ? `Would upload ${formatBytes(dryRunBytes)}` : `Uploaded ${formatBytes(report.bytesUploaded)}`} to s3://${report.bucket}/${report.prefix} in ${(report.elapsedMs / 1000).toFixed(1)} s with strategy ${report.strategy}`,
    `Checks: ${report.strategyDetail}`,
    `S3 requests: ${report.totalRequests}${requests ? ` (${requests})` : ''}`,
  ];
  lines.splice(1, 0, ...formatDeletionSummary(report));
  if (report.compare === 'crc32' || report.metadataChecks > 0) {
    lines.splice(1, 0, `Compare ${report.compare}: same-size changes caught: ${report.sameSizeChanges}; HeadObject for metadata a listing lacks: ${report.metadataChecks}`);
  }
  if (report.compareHeaders) lines.splice(1, 0, `Compare headers: ${report.headerRewrites} objects rewritten in place (CopyObject, bytes not sent again)`);
  const throttled = formatThrottling(report);
  if (throttled) lines.push(throttled);
  if (report.aborted) lines.push('Interrupted: in-flight uploads were aborted; run again to finish.');
  return lines;
}

/** `S3 asked to slow down 1246 times: settled at 290 requests/s, 9.5 in flight (pacer window)`; nothing when it never did. */
function formatThrottling(report: SyncReport): string | undefined {
  const t = report.throttling;
  if (!t || t.slowDowns === 0) return undefined;
  const settled = [t.settledRate !== undefined ? `${t.settledRate} requests/s` : '', t.inFlightLimit !== undefined ? `${t.inFlightLimit} in flight` : ''].filter(Boolean).join(', ');
  const gaveUp = t.gaveUp ? `; gave up ${t.gaveUp} times after nothing was answered for the stall timeout` : '';
  return `S3 asked to slow down ${t.slowDowns} time${t.slowDowns === 1 ? '' : 's'}${settled ? `: settled at ${settled}` : ''} (pacer ${t.pacer})${gaveUp}`;
}

import type { SyncEvent, SyncReport } from '../../src/internal.js';

type FilterOrDeleteEvent = Extract<SyncEvent, { type: 'excluded' | 'delete' }>;

/** `Excluded key (rule)`, `Deleted! key`, `Deleted! key [dry run]`, `Failed to delete key: reason`. */
export function formatFilterOrDeleteEvent(event: FilterOrDeleteEvent): string {
  if (event.type === 'excluded') return `Excluded ${event.key} (${event.rule})`;
  if (event.action === 'failed') return `Failed to delete ${event.key}: ${event.reason}`;
  return `Deleted! ${event.key}${event.dryRun ? ' [dry run]' : ''}`;
}

/** The summary's deletion and filter line, when there is anything to say. */
export function formatDeletionSummary(report: SyncReport): string[] {
  const d = report.deletion;
  const parts: string[] = [];
  if (d) {
    parts.push(`${d.deleted} deleted${report.dryRun ? ' (would be)' : ''}`);
    if (d.failed) parts.push(`${d.failed} failed to delete`);
    if (d.protectedByFilter) parts.push(`${d.protectedByFilter} kept because excluded`);
  }
  if (report.excluded) parts.push(`${report.excluded} archive files excluded`);
  const lines = parts.length ? [`Mirror: ${parts.join(', ')}`] : [];
  if (d?.skipped) lines.push(`Not deleted: ${d.skipped.candidates} objects not in the archive, because ${d.skipped.reason}`);
  return lines;
}

import type { SyncEvent } from '../../src/internal.js';

type EntryEvent = Extract<SyncEvent, { type: 'entry' }>;

/**
 * `-v`: why an entry came out as it did, indented under its line: what was compared, what answered
 * the check, how many attempts the upload took.
 *   `  size 12 = 12 stored, crc32 0d4a1185 = 0d4a1185 stored; checked by bulk + HeadObject; nothing sent`
 */
export function formatDetail(event: EntryEvent): string | undefined {
  const detail = event.detail;
  if (!detail) return undefined;
  const compared = comparison(event);
  const attempts = detail.attempts === 0 ? (event.dryRun && event.action !== 'ignored' ? 'dry run: nothing sent' : 'nothing sent') : detail.attempts === 1 ? '1 attempt' : `${detail.attempts} attempts (${detail.attempts - 1} ${detail.attempts === 2 ? 'retry' : 'retries'})`;
  return `  ${[compared, `checked by ${detail.checkedBy}`, attempts].filter(Boolean).join('; ')}`;
}

function comparison(event: EntryEvent): string {
  const { detail } = event;
  if (!detail) return '';
  if (detail.remoteSize === undefined) return 'check failed';
  if (detail.remoteSize === null) return 'absent';
  const size = detail.remoteSize === event.size ? `size ${event.size} = ${detail.remoteSize} stored` : `size ${event.size} ≠ ${detail.remoteSize} stored`;
  if (detail.remoteSize !== event.size) return size;
  const crc =
    detail.remoteCrc32 === undefined
      ? event.action === 'updated' && event.because === 'no-crc32'
        ? 'no stored crc32'
        : ''
      : `crc32 ${detail.crc32} ${detail.crc32 === detail.remoteCrc32 ? '=' : '≠'} ${detail.remoteCrc32} stored`;
  const extra =
    event.action === 'updated' && event.because === 'encoding'
      ? 'stored gzip encoding differs'
      : event.action === 'updated' && event.because === 'headers'
        ? `headers differ (${(event.changedHeaders ?? []).join(', ')}): rewritten with CopyObject`
        : '';
  return [size, crc, extra].filter(Boolean).join(', ');
}

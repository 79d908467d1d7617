import bytes from 'bytes';
import { S3ZipSyncError } from '../src/static-entry.js';

/**
 * `5GB`, `5GiB`, `5G` and `5368709120` are all 5 × 1024³ bytes. `bytes.parse` alone reads `5GiB` as 5,
 * so anything it would misread is refused instead.
 */
export function parseSize(text: string | number, flag: string): number {
  if (typeof text === 'number') return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgtp])i?b?|b)?\s*$/i.exec(text);
  // A fraction of a byte (`1.5`) is a typo, not a size: only a unit may carry a fraction (`1.5MiB`).
  const fractionOfByte = match !== null && !match[2] && match[1]!.includes('.');
  const parsed = match && !fractionOfByte ? bytes.parse(`${match[1]}${match[2] ? `${match[2]}b` : 'b'}`) : null;
  if (parsed === null || !Number.isFinite(parsed)) {
    throw new S3ZipSyncError('INVALID_OPTION', `invalid size for --${flag}: ${JSON.stringify(text)} (examples: 1048576, 512KB, 8MiB, 5GB)`);
  }
  return Math.floor(parsed);
}

/** `5368709120` → `5GiB`, as the README writes sizes (and parseSize reads them back). */
export function formatSize(value: number): string {
  return (bytes.format(value, { unitSeparator: '' }) ?? String(value)).replace(/^(.*[KMGTP])B$/, '$1iB');
}

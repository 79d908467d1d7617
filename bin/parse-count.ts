import { S3ZipSyncError } from '../src/static-entry.js';

/**
 * A whole-number flag, parsed from what the user typed so a refusal can echo it (yargs' own
 * number type turns `abc` into NaN before we see it).
 */
export function parseCount(text: string | number, flag: string, min: number): number {
  const value = typeof text === 'number' ? text : /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new S3ZipSyncError('INVALID_OPTION', `invalid --${flag}: ${JSON.stringify(String(text))} (expected a whole number ≥ ${min})`);
  }
  return value;
}

import { S3ZipSyncError } from '../src/static-entry.js';

/**
 * Numeric flags are declared as strings and parsed here, from what the user typed, so that a
 * refusal can echo it: yargs' own number type turns `abc` into NaN (and `1.5` into 1.5) before we
 * see it. `flag` is the flag's name without the dashes.
 */

/** A whole number ≥ `min`: `--concurrency`, `--max-attempts`, `--max-delete`, `--samples`… */
export function parseCount(text: string | number, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = typeof text === 'number' ? text : /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw invalid(flag, text, `expected a whole number ${range}`);
  }
  return value;
}

/** A positive number of seconds, fractions allowed: `--stall-timeout 0.5`. */
export function parseSeconds(text: string | number, flag: string): number {
  const value = typeof text === 'number' ? text : /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) throw invalid(flag, text, 'expected a positive number of seconds, e.g. 30 or 2.5');
  return value;
}

function invalid(flag: string, text: string | number, expected: string): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_OPTION', `invalid --${flag}: ${JSON.stringify(String(text))} (${expected})`);
}

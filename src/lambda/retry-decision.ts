import { RUN_LEVEL_CODES, type ErrorCode } from '../errors.js';
import type { SyncReport } from '../report.js';

/**
 * Entry failures that a second run meets again: the archive's bytes are wrong (a CRC32 or size that
 * disagrees with the central directory). Transient ones (S3_ERROR, ABORTED, CONFLICT) are not here.
 */
const PERMANENT_ENTRY_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ENTRY_CORRUPT', ...RUN_LEVEL_CODES]);

/** What the handler knows of one archive's outcome, as the decision needs it. */
export interface ArchiveOutcome {
  complete: boolean;
  report?: Pick<SyncReport, 'failures'>;
  error?: { code: ErrorCode };
}

/**
 * The code of the failure that no retry can fix (a broken or replaced zip, a corrupt entry, a missing
 * object or bucket), or undefined when the archive is complete or a retry may finish it.
 */
export function permanentFailureCode(archive: ArchiveOutcome): ErrorCode | undefined {
  if (archive.complete) return undefined;
  if (archive.error) return RUN_LEVEL_CODES.has(archive.error.code) ? archive.error.code : undefined;
  return archive.report?.failures.find((failure) => PERMANENT_ENTRY_CODES.has(failure.code))?.code;
}

/** Incomplete for a reason a second run can fix: time ran out, or a transient error. */
export function canFinishOnRetry(archive: ArchiveOutcome): boolean {
  return !archive.complete && permanentFailureCode(archive) === undefined;
}

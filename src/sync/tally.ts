import type { ErrorCode } from '../errors.js';
import { MAX_COPY_OBJECT_BYTES } from '../upload/rewrite-headers.js';
import { emptyCounts, type EntryOutcome, type SyncCounts, type SyncReport } from '../report.js';

/** An entry whose upload never began (aborted, or past the caller's deadline): nothing of it was written. */
export type EntryResult = EntryOutcome | { action: 'notStarted' };

/** What the run's entries came to: the counts, failures and bytes of the report. */
export class Tally {
  readonly counts: SyncCounts = emptyCounts();
  readonly failures: SyncReport['failures'] = [];
  bytesUploaded = 0;
  /** Same-size entries uploaded because their CRC32 differs (`compare: 'crc32'`). */
  sameSizeChanges = 0;
  filesDone = 0;
  /** Same-size entries whose headers only were rewritten (CopyObject, no bytes sent). */
  headerRewrites = 0;

  constructor(private readonly dryRun: boolean) {}

  /** Records one entry; false for one that never started (it is not "done"). */
  add(result: EntryResult): result is EntryOutcome {
    if (result.action === 'notStarted') {
      this.counts.notStarted++;
      return false;
    }
    this.counts[result.action]++;
    this.filesDone++;
    if (result.action === 'updated' && result.because === 'crc32') this.sameSizeChanges++;
    if (result.action === 'updated' && result.because === 'headers') this.headerRewrites++;
    if (result.action === 'failed') this.addFailure(result.key, result.code, result.reason);
    else if (result.action === 'conflict') this.addFailure(result.key, 'CONFLICT', result.reason);
    else if (!this.dryRun && result.action !== 'ignored' && !sentNoBytes(result)) this.bytesUploaded += result.size;
    return true;
  }

  addFailure(key: string, code: ErrorCode, reason: string): void {
    this.failures.push({ key, code, reason });
  }

  /** An entry whose multipart upload could not be aborted fails with its own code; the run was still interrupted. */
  wasInterrupted(): boolean {
    return this.counts.notStarted > 0 || this.failures.some((failure) => failure.code === 'ABORTED');
  }
}

/** A headers-only rewrite of an object up to CopyObject's limit moves no bytes. */
function sentNoBytes(result: EntryOutcome): boolean {
  return result.action === 'updated' && result.because === 'headers' && result.remoteSize <= MAX_COPY_OBJECT_BYTES;
}

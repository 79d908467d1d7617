import type { CompareMode, SameSizeReason } from './decide.js';
import type { ErrorCode } from './errors.js';
import type { RequestCounts } from './s3/request-counter.js';
import type { ThrottleStats } from './s3/throttle/throttle-controller.js';

export type EntryOutcome =
  | { action: 'new'; key: string; entry: string; size: number; detail?: EntryDetail }
  | { action: 'updated'; key: string; entry: string; size: number; remoteSize: number; because?: SameSizeReason; changedHeaders?: string[]; detail?: EntryDetail }
  | { action: 'ignored'; key: string; entry: string; size: number; detail?: EntryDetail }
  | { action: 'failed'; key: string; entry: string; size: number; code: ErrorCode; reason: string; detail?: EntryDetail }
  /** A conditional write answered 412: someone else wrote the key since the check, and their version was kept. */
  | { action: 'conflict'; key: string; entry: string; size: number; reason: string; detail?: EntryDetail };

/** Why an entry came out as it did: what was compared, what answered, how many attempts it took. */
export interface EntryDetail {
  /**
   * What answered the existence check: the run's strategy, with `(HeadObject)` or `(listing)` for a
   * present object, and `+ HeadObject` when a listing lacked the metadata compared.
   */
  checkedBy: string;
  /** The stored size compared (the original size of a gzip object); null: absent; undefined: the check itself failed. */
  remoteSize?: number | null;
  /** The entry's CRC32 from the zip (8 hex digits). */
  crc32: string;
  /** The CRC32 stored with the object, when a HeadObject read it. */
  remoteCrc32?: string;
  /** Upload (or header rewrite) attempts: 0 when nothing was sent, more than 1 after entry-level retries. */
  attempts: number;
}

/** An upload attempt starting, and the bytes of it S3 has acknowledged so far (lib-storage reports per part; a single PutObject reports none). */
export type TransferEvent =
  | { type: 'upload-start'; key: string; entry: string; size: number; attempt: number }
  | { type: 'upload-progress'; key: string; entry: string; size: number; bytes: number };

export type SyncEvent =
  | { type: 'start'; bucket: string; prefix: string; strategy: string; strategyDetail: string; files: number; bytes: number; dryRun: boolean }
  | ({ type: 'entry'; dryRun: boolean } & EntryOutcome)
  | { type: 'warning'; message: string; entry?: string }
  | { type: 'progress'; filesDone: number; files: number; bytesUploaded: number }
  | TransferEvent
  // `filters`/`excludeJunk` rules and `delete`:
  | { type: 'excluded'; key: string; entry: string; rule: string }
  | ({ type: 'delete'; dryRun: boolean } & DeleteOutcome);

/** One object under the prefix that is not in the archive; `deleted` in a dry run means "would be". */
export type DeleteOutcome = { action: 'deleted'; key: string } | { action: 'failed'; key: string; code: ErrorCode; reason: string };

export interface DeletionSummary {
  /** Objects deleted (in a dry run: that would be deleted). */
  deleted: number;
  failed: number;
  /** Objects under the prefix that are not in the archive but were kept because a filter excludes them. */
  protectedByFilter: number;
  /** Objects the listing of the prefix returned. */
  listed: number;
  /** Why nothing was deleted although objects were candidates (a failed upload, an interruption). */
  skipped?: { reason: string; candidates: number };
}

export interface SyncCounts {
  new: number;
  updated: number;
  ignored: number;
  failed: number;
  /** Entries not written because another writer changed their key since the check (code CONFLICT, listed in `failures`). */
  conflict: number;
  /** Symlink entries, skipped with a warning. Directories are not counted: S3 has no folders. */
  skipped: number;
  /** Files never started because the run was aborted (signal, or `shouldStartEntry` said no). */
  notStarted: number;
}

export interface SyncReport {
  bucket: string;
  prefix: string;
  strategy: string;
  /** What the strategy did: requests by kind, and for `auto` which path it took and why. */
  strategyDetail: string;
  dryRun: boolean;
  counts: SyncCounts;
  /** Bytes of entries stored by this run (0 in a dry run). */
  bytesUploaded: number;
  /** HTTP requests sent, by operation, retries included. */
  requests: RequestCounts;
  totalRequests: number;
  elapsedMs: number;
  failures: Array<{ key: string; code: ErrorCode; reason: string }>;
  /** The signal (or `shouldStartEntry`) stopped work: some entries were aborted in flight or never started. */
  aborted: boolean;
  /** Every file entry is in S3 (or would be, in a dry run). */
  complete: boolean;
  /** Archive files not synced because a `filters` or `excludeJunk` rule excludes them. */
  excluded: number;
  /** Present when deletion was requested (`delete: true`). */
  deletion?: DeletionSummary;
  compare: CompareMode;
  /** Entries of unchanged size uploaded because their stored CRC32 differs from the zip's (`compare: 'crc32'`). */
  sameSizeChanges: number;
  /** HeadObject requests sent for metadata a listing does not show (included in `requests`). */
  metadataChecks: number;
  /** The stored headers of same-size objects were compared too (`compareHeaders`). */
  compareHeaders: boolean;
  /** Objects whose headers only were rewritten in place (CopyObject), their bytes not sent again. */
  headerRewrites: number;
  /** How often S3 asked the run to slow down, and what the run settled at (src/s3/throttle/). */
  throttling: ThrottleStats;
}

export function emptyCounts(): SyncCounts {
  return { new: 0, updated: 0, ignored: 0, failed: 0, conflict: 0, skipped: 0, notStarted: 0 };
}

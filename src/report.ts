import type { ErrorCode } from './errors.js';
import type { RequestCounts } from './s3/request-counter.js';

export type EntryOutcome =
  | { action: 'new'; key: string; entry: string; size: number }
  | { action: 'updated'; key: string; entry: string; size: number; remoteSize: number }
  | { action: 'ignored'; key: string; entry: string; size: number }
  | { action: 'failed'; key: string; entry: string; size: number; code: ErrorCode; reason: string };

export type SyncEvent =
  | { type: 'start'; bucket: string; prefix: string; strategy: string; files: number; bytes: number; dryRun: boolean }
  | ({ type: 'entry'; dryRun: boolean } & EntryOutcome)
  | { type: 'warning'; message: string; entry?: string }
  | { type: 'progress'; filesDone: number; files: number; bytesUploaded: number };

export interface SyncCounts {
  new: number;
  updated: number;
  ignored: number;
  failed: number;
  /** Symlink entries, skipped with a warning. Directories are not counted: S3 has no folders. */
  skipped: number;
  /** Files never started because the run was aborted (signal, or `shouldStartEntry` said no). */
  notStarted: number;
}

export interface SyncReport {
  bucket: string;
  prefix: string;
  strategy: string;
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
}

export function emptyCounts(): SyncCounts {
  return { new: 0, updated: 0, ignored: 0, failed: 0, skipped: 0, notStarted: 0 };
}

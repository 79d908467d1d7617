import { RUN_LEVEL_CODES, isS3ZipSyncError, type SyncReport } from '../src/static-entry.js';

export const EXIT = {
  ok: 0,
  entriesFailed: 1,
  usage: 2,
  sigint: 130,
  sigterm: 143,
} as const;

/** 2 for problems with the run as a whole, 1 for anything unexpected. */
export function exitCodeForError(error: unknown): number {
  return isS3ZipSyncError(error) && RUN_LEVEL_CODES.has(error.code) ? EXIT.usage : EXIT.entriesFailed;
}

export function exitCodeForReport(report: SyncReport, signal: NodeJS.Signals | undefined): number {
  if (signal) return signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  return report.counts.failed > 0 || report.counts.conflict > 0 || (report.deletion?.failed ?? 0) > 0 ? EXIT.entriesFailed : EXIT.ok;
}

import type { ExistenceCheck } from '../check/existence-check.js';
import type { DeletionSummary, SyncReport } from '../report.js';
import { totalRequests } from '../s3/request-counter.js';
import type { S3Session } from '../s3/session.js';
import type { ResolvedOptions } from './options.js';
import type { Selection } from './select-entries.js';
import type { Tally } from './tally.js';

export interface RunOutcome {
  selection: Selection;
  checker: ExistenceCheck;
  tally: Tally;
  /** HeadObjects sent for metadata a listing did not show. */
  metadataChecks: number;
  deletion: DeletionSummary | undefined;
  aborted: boolean;
  session: S3Session;
  elapsedMs: number;
}

/** The report stage: what the run did, as data. */
export function runReport(run: ResolvedOptions, outcome: RunOutcome): SyncReport {
  const { tally, deletion } = outcome;
  const failed = tally.counts.failed + tally.counts.conflict;
  const requests = outcome.session.requestCounts();
  return {
    bucket: run.bucket,
    prefix: run.prefix,
    strategy: run.strategy,
    strategyDetail: outcome.checker.describe(),
    dryRun: run.dryRun,
    counts: tally.counts,
    bytesUploaded: tally.bytesUploaded,
    requests,
    totalRequests: totalRequests(requests),
    elapsedMs: outcome.elapsedMs,
    failures: tally.failures,
    aborted: outcome.aborted,
    complete: !outcome.aborted && failed === 0,
    excluded: outcome.selection.excluded.length,
    ...(deletion ? { deletion } : {}),
    compare: run.integrity.compare,
    sameSizeChanges: tally.sameSizeChanges,
    metadataChecks: outcome.metadataChecks,
    compareHeaders: run.headers.compareHeaders,
    headerRewrites: tally.headerRewrites,
    throttling: outcome.session.throttle.stats(),
  };
}

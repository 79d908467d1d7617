import { applyDeletions, INTERRUPTED } from '../delete/deletion.js';
import type { DeletionPlan } from '../delete/plan-deletions.js';
import type { DeletionSummary, SyncEvent } from '../report.js';
import type { S3Session } from '../s3/session.js';
import type { ResolvedOptions } from './options.js';
import type { Tally } from './tally.js';

export interface DeleteStageInput {
  plan: Extract<DeletionPlan, { refused: false }>;
  run: ResolvedOptions;
  session: S3Session;
  /** The entries' outcomes; a key that fails to delete is added to its failures. */
  tally: Tally;
  /** The run stopped before every entry was through. */
  interrupted: boolean;
  signal: AbortSignal;
  emit: (event: SyncEvent) => void;
}

/** The delete stage, after the last entry: the planned keys go only if no entry failed and the run was not interrupted. */
export function deleteStage(input: DeleteStageInput): Promise<DeletionSummary> {
  const { run, tally } = input;
  // A conflict blocks deletion as a failure does: the other writer's run may own those keys.
  const failed = tally.counts.failed + tally.counts.conflict;
  return applyDeletions({
    transport: input.session.transport,
    bucket: run.bucket,
    plan: input.plan,
    dryRun: run.dryRun,
    blockedBy: input.interrupted || input.signal.aborted ? INTERRUPTED : failed > 0 ? `${failed} ${failed === 1 ? 'entry' : 'entries'} failed` : undefined,
    signal: input.signal,
    emit: (event) => {
      if (event.type === 'delete' && event.action === 'failed') tally.addFailure(event.key, event.code, event.reason);
      input.emit(event);
    },
  });
}

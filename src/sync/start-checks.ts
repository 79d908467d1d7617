import pLimit from 'p-limit';
import type { ExistenceCheck } from '../check/existence-check.js';
import { createHeadCheck } from '../check/head-check.js';
import { createExistenceCheck } from '../check/strategies.js';
import { listAndPlanDeletions } from '../delete/deletion.js';
import type { DeletionPlan } from '../delete/plan-deletions.js';
import type { EarlyFirstPage } from '../s3/early-first-page.js';
import type { S3Session } from '../s3/session.js';
import { SharedListing } from '../s3/shared-listing.js';
import { targetKey } from '../target-key.js';
import type { ResolvedOptions } from './options.js';
import type { Selection } from './select-entries.js';

export interface StartedChecks {
  /** The run's strategy, started on the keys of the selected files. */
  checker: ExistenceCheck;
  /** HeadObject for metadata a listing does not show: under the same request limit, as one more check. */
  metadataCheck: ExistenceCheck;
  /** With `delete`: what goes once every entry is through. */
  deletionPlan: Extract<DeletionPlan, { refused: false }> | undefined;
}

/**
 * The check/plan stage, for `keys`, the target keys of `selection.files` in their order, and with
 * the prefix's first page when it was asked for early. With `delete`, one listing of the prefix for
 * deletion, which the listing strategies observe instead of listing again. Checks and plan finish
 * before the first upload: a missing bucket, bad credentials or endpoint, and a maxDelete refusal,
 * write nothing.
 */
export async function startChecks(
  run: ResolvedOptions,
  session: S3Session,
  selection: Selection,
  keys: readonly string[],
  signal: AbortSignal,
  firstPage?: EarlyFirstPage,
): Promise<StartedChecks> {
  const { bucket, prefix } = run;
  const target = { session, bucket, prefix, limit: pLimit(run.concurrency) };
  const listingOptions = { ...run.listing, ...(firstPage ? { firstPage } : {}) };
  const listing = run.deletion ? new SharedListing(session, bucket, prefix, signal, listingOptions) : undefined;
  const checker = createExistenceCheck(run.strategy, target, { ...(listing ? { listing } : {}), ...listingOptions });
  const checkStarted = checker.start(keys, signal);
  const planned =
    listing && run.deletion
      ? listAndPlanDeletions({ listing, keep: new Set(selection.archiveFiles.map((entry) => targetKey(prefix, entry.name))), filter: run.filter, settings: run.deletion })
      : undefined;
  // The check's error says what is wrong with the target; the plan's (then the same or later) is moot.
  planned?.catch(() => {});
  await checkStarted;
  return { checker, metadataCheck: createHeadCheck(target), deletionPlan: await planned };
}

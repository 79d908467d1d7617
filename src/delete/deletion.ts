import type { S3Transport } from '../s3/transport/transport.js';
import { S3ZipSyncError } from '../errors.js';
import type { EntryFilter } from '../filter/entry-filter.js';
import type { DeletionSummary, SyncEvent } from '../report.js';
import type { SharedListing } from '../s3/shared-listing.js';
import { deleteObjects } from './delete-objects.js';
import { planDeletions, type DeletionPlan } from './plan-deletions.js';

import { DEFAULT_MAX_DELETE } from '../option-defaults.js';
export { DEFAULT_MAX_DELETE };

/** The reason deletions are skipped when the run's signal stopped it. */
export const INTERRUPTED = 'the run was interrupted';

export interface DeletionOptions {
  /** After every upload succeeded, delete the objects under the prefix that are not in the archive. */
  delete?: boolean;
  /** Refuse (DELETE_LIMIT_EXCEEDED, nothing deleted) when more objects than this would go. Default 1,000. */
  maxDelete?: number;
  /** Allow `delete` with an empty prefix, i.e. on the whole bucket. */
  deleteWholeBucket?: boolean;
  /** Delete objects a filter excludes too (rclone's `--delete-excluded`). Default: they are kept (aws-cli's rule). */
  deleteExcluded?: boolean;
}

/** A run's deletion with its defaults applied. */
export interface DeletionSettings {
  maxDelete: number;
  deleteExcluded: boolean;
}

/**
 * The run's deletion, undefined without `delete`. Throws before anything is read or written: a bad
 * limit (checked with or without `delete`), or the whole bucket without saying so.
 */
export function resolveDeletion(options: DeletionOptions, prefix: string, bucket: string): DeletionSettings | undefined {
  const maxDelete = options.maxDelete ?? DEFAULT_MAX_DELETE;
  if (!(Number.isInteger(maxDelete) || maxDelete === Infinity) || maxDelete < 0) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`maxDelete\` must be a non-negative integer, got ${maxDelete}`, { option: 'maxDelete' });
  }
  if (options.delete && prefix === '' && !options.deleteWholeBucket) {
    throw new S3ZipSyncError(
      'DELETE_REFUSED',
      `refusing to delete with an empty prefix: every object in bucket ${bucket} not in the archive would go; give \`prefix\`, or \`deleteWholeBucket\` if that is meant`,
      { option: ['prefix', 'deleteWholeBucket'] },
    );
  }
  return options.delete ? { maxDelete, deleteExcluded: options.deleteExcluded ?? false } : undefined;
}

export interface PlanInput {
  /** The listing of the whole prefix; the plan drives it to its end (existence checks may observe it). */
  listing: SharedListing;
  keep: ReadonlySet<string>;
  filter: EntryFilter;
  settings: DeletionSettings;
}

/** Lists and plans; throws DELETE_LIMIT_EXCEEDED, with nothing deleted, when the plan is over the limit. */
export async function listAndPlanDeletions(input: PlanInput): Promise<Extract<DeletionPlan, { refused: false }>> {
  const { listing, settings: { maxDelete, deleteExcluded } } = input;
  const plan = await planDeletions({
    // The archive's keys place the listing's key ranges.
    listed: listing.pages(input.keep),
    prefix: listing.prefix,
    keep: input.keep,
    filter: input.filter,
    deleteExcluded,
    maxDelete,
  });
  if (plan.refused) {
    throw new S3ZipSyncError(
      'DELETE_LIMIT_EXCEEDED',
      `refusing to delete ${plan.candidates} objects under s3://${listing.bucket}/${listing.prefix}: more than \`maxDelete\` ${maxDelete}; nothing was written or deleted`,
      { option: 'maxDelete', limit: maxDelete },
    );
  }
  return plan;
}

export interface ApplyInput {
  transport: S3Transport;
  bucket: string;
  plan: Extract<DeletionPlan, { refused: false }>;
  dryRun: boolean;
  /** Why deleting would be wrong now (an upload failed, the run was interrupted); nothing is deleted then. */
  blockedBy: string | undefined;
  signal: AbortSignal;
  emit: (event: SyncEvent) => void;
}

/** Deletes the planned keys (or, in a dry run, reports them), unless blocked. */
export async function applyDeletions(input: ApplyInput): Promise<DeletionSummary> {
  const { plan } = input;
  const summary: DeletionSummary = { deleted: 0, failed: 0, protectedByFilter: plan.protectedByFilter, listed: plan.listed };
  if (!plan.listingInOrder) {
    input.emit({
      type: 'warning',
      message: 'the server listed keys out of S3 byte order, so its listing may have skipped some: objects not seen were not deleted',
    });
  }
  if (plan.keys.length === 0) return summary;
  if (input.blockedBy) {
    summary.skipped = { reason: input.blockedBy, candidates: plan.keys.length };
    input.emit({ type: 'warning', message: `not deleting ${plan.keys.length} objects not in the archive: ${input.blockedBy}` });
    return summary;
  }
  if (input.dryRun) {
    for (const key of plan.keys) input.emit({ type: 'delete', dryRun: true, action: 'deleted', key });
    summary.deleted = plan.keys.length;
    return summary;
  }
  const result = await deleteObjects({
    transport: input.transport,
    bucket: input.bucket,
    keys: plan.keys,
    signal: input.signal,
    onResult: (outcome) => {
      if (outcome.deleted) input.emit({ type: 'delete', dryRun: false, action: 'deleted', key: outcome.key });
      else input.emit({ type: 'delete', dryRun: false, action: 'failed', key: outcome.key, code: 'DELETE_FAILED', reason: outcome.reason });
    },
  });
  summary.deleted = result.deleted;
  summary.failed = result.failed;
  if (result.notSent > 0) summary.skipped = { reason: INTERRUPTED, candidates: result.notSent };
  return summary;
}

import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { createHeadCheck } from '../check/head-check.js';
import { createExistenceCheck } from '../check/strategies.js';
import { applyDeletions, INTERRUPTED, listAndPlanDeletions } from '../delete/deletion.js';
import { forEachBounded } from '../for-each-bounded.js';
import type { SyncEvent, SyncReport } from '../report.js';
import { totalRequests } from '../s3/request-counter.js';
import { openS3Session, type S3Session } from '../s3/session.js';
import { SharedListing } from '../s3/shared-listing.js';
import { targetKey } from '../target-key.js';
import { openArchive, type Archive } from '../zip/open-archive.js';
import { withDefaultClient } from '../zip/zip-source.js';
import { resolveOptions, type SyncOptions } from './options.js';
import { selectEntries } from './select-entries.js';
import { syncEntry, type EntryContext } from './sync-entry.js';
import { conditionalWrites } from '../upload/conditional-write.js';
import { Tally } from './tally.js';

/** Entries in progress at once (checked, waiting for an upload slot, or uploading). */
const ENTRY_WINDOW = 1024;

/**
 * Makes `bucket/prefix` hold the archive's files: each file entry is checked, and uploaded when it
 * is new or its size changed. Never touches `process`: it runs unchanged in AWS Lambda.
 *
 * Throws S3ZipSyncError for problems with the run as a whole (invalid archive, bucket, credentials,
 * endpoint, options) before anything is written. Problems with one entry are reported in the
 * returned report and as `failed` events; the other entries still go through.
 */
export async function syncZip(options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const run = resolveOptions(options);
  const { bucket, prefix, strategy, dryRun, concurrency } = run;
  // A throwing onEvent must not leave uploads running behind a rejected promise: keep the first
  // error, let every entry settle, then throw it.
  let callbackError: { error: unknown } | undefined;
  const emit = (event: SyncEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      callbackError ??= { error };
    }
  };
  const { signal, unlink } = linkedSignal(options.signal);
  let session: S3Session | undefined;
  let archive: Archive | undefined;
  try {
    // A client of the caller's is used, never closed (Lambda reuses it); one the session builds is its own.
    session = await openS3Session({
      client: options.client,
      clientOptions: { maxSockets: concurrency * 2, ...options.clientOptions },
      requestPath: options.requestPath ?? 'signed-http',
      maxSockets: concurrency * 2,
      pacer: run.pacer,
      maxInFlight: concurrency * 4,
      stallTimeoutMs: run.stallTimeoutMs,
    });
    // Opened with the run's client and counter, so an S3 source's HEAD and GETs are counted too.
    archive = await openArchive(await withDefaultClient(options.zip, session.sdkClient), options.limits, {
      nameEncoding: options.nameEncoding,
      normalizeNames: options.normalizeNames,
    });
    const selection = selectEntries(archive.entries, run.filter, options.shard);
    const { files } = selection;
    const checkTarget = { session, bucket, prefix, limit: pLimit(concurrency) };

    // One listing of the prefix for deletion, which the listing strategies observe instead of
    // listing again. Checks and plan finish before the first upload: a missing bucket, bad
    // credentials or endpoint, and a maxDelete refusal, write nothing.
    const listing = options.delete ? new SharedListing(session, bucket, prefix, signal, { concurrency, ...(options.listRanges !== undefined ? { listRanges: options.listRanges } : {}) }) : undefined;
    const checker = createExistenceCheck(strategy, checkTarget, { ...(listing ? { listing } : {}), concurrency, ...(options.listRanges !== undefined ? { listRanges: options.listRanges } : {}) });
    const checkStarted = checker.start(files.map((entry) => targetKey(prefix, entry.name)), signal);
    const planned = listing
      ? listAndPlanDeletions({ listing, keep: new Set(selection.archiveFiles.map((entry) => targetKey(prefix, entry.name))), filter: run.filter, options })
      : undefined;
    // The check's error says what is wrong with the target; the plan's (then the same or later) is moot.
    planned?.catch(() => {});
    await checkStarted;
    const deletionPlan = await planned;

    const tally = new Tally(dryRun);
    for (const entry of selection.skippedSymlinks) {
      tally.counts.skipped++;
      emit({ type: 'warning', entry: entry.name, message: `skipped symlink entry ${entry.name}` });
    }
    const totalBytes = files.reduce((sum, entry) => sum + entry.size, 0);
    emit({ type: 'start', bucket, prefix, strategy, strategyDetail: checker.describe(), files: files.length, bytes: totalBytes, dryRun });
    for (const { entry, rule } of selection.excluded) emit({ type: 'excluded', key: targetKey(prefix, entry.name), entry: entry.name, rule });

    const context: EntryContext = {
      ...{ session, bucket, prefix, archive, checker, dryRun, settings: run.settings, signal, integrity: run.integrity, headers: run.headers },
      uploadSlot: pLimit(concurrency),
      multipartSlot: pLimit(run.settings.maxMultipartUploads),
      // Same request limit as the checks: a HEAD for metadata a listing did not show is one more check.
      metadataCheck: createHeadCheck(checkTarget),
      integrityStats: { metadataChecks: 0 },
      writes: conditionalWrites(run.conditionalWrites),
      mayStart: () => !signal.aborted && (options.shouldStartEntry?.() ?? true),
      onTransfer: emit,
    };

    // Entries are checked well ahead of the uploads (the strategy bounds its own requests), and an
    // upload starts as soon as its entry's check answers, under its own limit: a listing and uploads
    // run together. The window bounds the entries in progress, so memory does not grow with the archive.
    await forEachBounded(files, Math.max(ENTRY_WINDOW, concurrency * 4), async (entry) => {
      const result = await syncEntry(entry, context);
      if (!tally.add(result)) return;
      emit({ type: 'entry', dryRun, ...result });
      emit({ type: 'progress', filesDone: tally.filesDone, files: files.length, bytesUploaded: tally.bytesUploaded });
    });

    if (callbackError) throw callbackError.error;
    let aborted = signal.aborted || tally.wasInterrupted();
    // A conflict blocks deletion as a failure does: the other writer's run may own those keys.
    const failed = tally.counts.failed + tally.counts.conflict;
    const deletion = deletionPlan
      ? await applyDeletions({
          transport: session.transport,
          bucket,
          plan: deletionPlan,
          dryRun,
          blockedBy: aborted || signal.aborted ? INTERRUPTED : failed > 0 ? `${failed} ${failed === 1 ? 'entry' : 'entries'} failed` : undefined,
          signal,
          emit: (event) => {
            if (event.type === 'delete' && event.action === 'failed') tally.addFailure(event.key, event.code, event.reason);
            emit(event);
          },
        })
      : undefined;
    if (deletion?.skipped?.reason === INTERRUPTED) aborted = true;
    // TypeScript narrowed it to undefined above; the deletion's events may have set it since.
    const lateCallbackError = callbackError as { error: unknown } | undefined;
    if (lateCallbackError) throw lateCallbackError.error;
    return {
      bucket,
      prefix,
      strategy,
      strategyDetail: checker.describe(),
      dryRun,
      counts: tally.counts,
      bytesUploaded: tally.bytesUploaded,
      requests: session.requestCounts(),
      totalRequests: totalRequests(session.requestCounts()),
      elapsedMs: Math.round(performance.now() - started),
      failures: tally.failures,
      aborted,
      complete: !aborted && failed === 0,
      excluded: selection.excluded.length,
      ...(deletion ? { deletion } : {}),
      compare: run.integrity.compare,
      sameSizeChanges: tally.sameSizeChanges,
      metadataChecks: context.integrityStats.metadataChecks,
      compareHeaders: run.headers.compareHeaders,
      headerRewrites: tally.headerRewrites,
      throttling: session.throttle.stats(),
    };
  } finally {
    unlink();
    await session?.close();
    archive?.close();
  }
}

/**
 * The SDK adds an abort listener per request in flight, so a shared signal trips Node's "possible
 * leak" warning at concurrency > 10. Bounded by concurrency, not a leak: give the run a signal of its
 * own, linked to the caller's, that allows it.
 */
function linkedSignal(callerSignal: AbortSignal | undefined): { signal: AbortSignal; unlink: () => void } {
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const forwardAbort = () => run.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forwardAbort();
  else callerSignal?.addEventListener('abort', forwardAbort, { once: true });
  return { signal: run.signal, unlink: () => callerSignal?.removeEventListener('abort', forwardAbort) };
}

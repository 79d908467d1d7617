import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { INTERRUPTED } from '../delete/deletion.js';
import { forEachBounded } from '../for-each-bounded.js';
import type { SyncReport } from '../report.js';
import { askFirstPageEarly, type EarlyFirstPage } from '../s3/early-first-page.js';
import { LIST_PAGE_KEYS } from '../s3/key-ranges.js';
import { openS3Session, type S3Session } from '../s3/session.js';
import { targetKey } from '../target-key.js';
import { conditionalWrites } from '../upload/conditional-write.js';
import { openArchive, type Archive } from '../zip/open-archive.js';
import { withDefaultClient } from '../zip/zip-source.js';
import { deleteStage } from './delete-stage.js';
import { resolveOptions, type ResolvedOptions, type SyncOptions } from './options.js';
import { RunEvents } from './run-events.js';
import { runReport } from './run-report.js';
import { selectEntries } from './select-entries.js';
import { startChecks } from './start-checks.js';
import { knownOutcome, syncEntry, type EntryContext } from './sync-entry.js';
import { Tally, type EntryResult } from './tally.js';

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
  const events = new RunEvents(run.onEvent);
  const { emit } = events;
  const { signal, unlink } = linkedSignal(run.signal);
  let session: S3Session | undefined;
  let archive: Archive | undefined;
  let firstPage: EarlyFirstPage | undefined;
  try {
    session = await openS3Session(run.session);
    const open = session;
    // Opened with the run's client and counter, so an S3 source's HEAD and GETs are counted too.
    const source = await withDefaultClient(run.archive.source, session.sdkClient);
    const listEarly = (count: number) => {
      if (listsInRanges(run, count)) firstPage = askFirstPageEarly(open.transport, bucket, prefix, signal);
    };
    archive = await openArchive(source, run.archive.limits, run.archive.names, run.shard?.directory, listEarly);
    const selection = selectEntries(archive.entries, run.filter, run.shard);
    const { files } = selection;
    archive.focus(files);
    // Made once: the checks' maps then hash each key once, not again for every lookup.
    const keys = files.map((entry) => targetKey(prefix, entry.name));
    const { checker, metadataCheck, deletionPlan } = await startChecks(run, session, selection, keys, signal, firstPage);
    // Taken by the listing, or not needed after all (few files selected): then not left in flight.
    firstPage?.abandon();

    const tally = new Tally(dryRun);
    for (const entry of selection.skippedSymlinks) {
      tally.counts.skipped++;
      emit({ type: 'warning', entry: entry.name, message: `skipped symlink entry ${entry.name}` });
    }
    const totalBytes = files.reduce((sum, entry) => sum + entry.size, 0);
    emit({ type: 'start', bucket, prefix, strategy, strategyDetail: checker.describe(), files: files.length, bytes: totalBytes, dryRun });
    for (const { entry, rule } of selection.excluded) emit({ type: 'excluded', key: targetKey(prefix, entry.name), entry: entry.name, rule });

    const context: EntryContext = {
      ...{ run, session, archive, checker, metadataCheck, signal },
      uploadSlot: pLimit(concurrency),
      multipartSlot: pLimit(run.settings.maxMultipartUploads),
      integrityStats: { metadataChecks: 0 },
      writes: conditionalWrites(run.conditionalWrites),
      onTransfer: emit,
    };
    // Entries are checked well ahead of the uploads (the strategy bounds its own requests), and an
    // upload starts as soon as its entry's check answers, under its own limit: a listing and uploads
    // run together. The window bounds the entries in progress, so memory does not grow with the archive.
    const record = (result: EntryResult) => {
      if (!tally.add(result)) return;
      emit({ type: 'entry', dryRun, ...result });
      emit({ type: 'progress', filesDone: tally.filesDone, files: files.length, bytesUploaded: tally.bytesUploaded });
    };
    await forEachBounded(
      files.keys(),
      Math.max(ENTRY_WINDOW, concurrency * 4),
      async (index) => record(await syncEntry(files[index]!, keys[index]!, context)),
      (index) => {
        const known = knownOutcome(files[index]!, keys[index]!, context);
        if (known) record(known);
        return known !== undefined;
      },
    );
    events.rethrow();

    let aborted = signal.aborted || tally.wasInterrupted();
    const deletion = deletionPlan ? await deleteStage({ plan: deletionPlan, run, session, tally, interrupted: aborted, signal, emit }) : undefined;
    if (deletion?.skipped?.reason === INTERRUPTED) aborted = true;
    // The deletion's events may have thrown too.
    events.rethrow();
    const { metadataChecks } = context.integrityStats;
    return runReport(run, { selection, checker, tally, metadataChecks, deletion, aborted, session, elapsedMs: Math.round(performance.now() - started) });
  } finally {
    firstPage?.abandon();
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

/**
 * Whether the run will list its prefix in key ranges, from the archive's entry count: then the
 * prefix's first page is asked for while the central directory is read. More than a page of
 * entries, a listing strategy or `delete`, and ranges not turned off.
 */
function listsInRanges(run: ResolvedOptions, entryCount: number): boolean {
  if (entryCount <= LIST_PAGE_KEYS || run.listing.listRanges === 1) return false;
  return run.deletion !== undefined || run.strategy === 'bulk' || run.strategy === 'auto';
}

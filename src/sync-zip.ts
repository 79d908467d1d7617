import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { createExistenceCheck, DEFAULT_STRATEGY, type StrategyName } from './check/strategies.js';
import { createHeadCheck } from './check/head-check.js';
import { createListedCheck, indexPages } from './check/listed-check.js';
import { ListingIndex } from './check/listing-index.js';
import { listPrefix } from './s3/list-prefix.js';
import type { ExistenceCheck } from './check/existence-check.js';
import { decide, needsMetadata, type DecisionPolicy } from './decide.js';
import { S3ZipSyncError, isS3ZipSyncError } from './errors.js';
import { forEachBounded } from './for-each-bounded.js';
import { emptyCounts, type EntryOutcome, type SyncEvent, type SyncReport } from './report.js';
import { createS3Client, type ClientOptions } from './s3/create-client.js';
import { attachRequestCounter, totalRequests } from './s3/request-counter.js';
import { trackEndpoint } from './s3/endpoint-used.js';
import { normalizePrefix, targetKey } from './target-key.js';
import { contentTypeFor } from './upload/content-type.js';
import { uploadEntry, usesMultipart, type UploadSettings } from './upload/upload-entry.js';
import { withEntryRetries } from './upload/retry-entry.js';
import type { ArchiveLimits } from './zip/limits.js';
import { openArchive, type Archive, type ArchiveEntry, type NameOptions, type ZipSource } from './zip/open-archive.js';
import { applyMirror, INTERRUPTED, planMirror, validateMirrorOptions, type MirrorOptions } from './delete/mirror.js';
import { compileEntryFilter, type FilterRule } from './filter/entry-filter.js';
import { withDefaultClient } from './zip/zip-source.js';
import { entriesOfShard, validateShard, type Shard } from './shard.js';
import { compileIntegrity, type IntegrityOptions, type IntegrityPlan } from './integrity/integrity-plan.js';

export interface SyncOptions extends MirrorOptions, IntegrityOptions, Partial<NameOptions> {
  /** Path of a zip file, its bytes, or `{ bucket, key }` of a zip in S3 (read with ranged GETs, via `client` unless it has its own). */
  zip: ZipSource;
  bucket: string;
  /** Folder inside the bucket; `a` and `a/` are the same. */
  prefix?: string;
  /** A client of your own (Lambda: reuse one across invocations). Otherwise built from `clientOptions`. */
  client?: S3Client;
  clientOptions?: ClientOptions;
  /**
   * How to ask S3 whether keys exist. Default `auto`: per-key HEAD for a few entries, otherwise one
   * listing of the keys' common prefix, falling back to HEAD when the prefix holds far more objects.
   */
  strategy?: StrategyName;
  /** Uploads (and per-key check requests) in flight at once; also the most entry streams open at once. */
  concurrency?: number;
  /** Decide and report, write nothing. */
  dryRun?: boolean;
  limits?: Partial<ArchiveLimits>;
  upload?: Partial<UploadSettings & { maxMultipartUploads: number }>;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
  /** `--include`/`--exclude` patterns on archive paths, in order; the last match wins. */
  filters?: FilterRule[];
  /** Leave out `__MACOSX/**`, `.DS_Store`, `Thumbs.db` (before `filters`, which can include them again). Default true. */
  excludeJunk?: boolean;
  /** Only this shard of the file entries (see shard.ts): n runs with shards 0..n-1 cover the archive once. */
  shard?: Shard;
  /**
   * Asked before each entry starts; false leaves it (and, normally, all after it) not started, counted in
   * `counts.notStarted`, with `complete: false`. Entries already started finish. A Lambda handler uses it
   * to stop before its time runs out.
   */
  shouldStartEntry?: () => boolean;
}

const MiB = 1024 * 1024;

export const DEFAULT_CONCURRENCY = 16;
/** Entries in progress at once (checked, waiting for an upload slot, or uploading). */
const ENTRY_WINDOW = 1024;
export const DEFAULT_UPLOAD: UploadSettings & { maxMultipartUploads: number } = {
  multipartThreshold: 16 * MiB,
  partSize: 8 * MiB,
  partConcurrency: 4,
  maxMultipartUploads: 2,
};

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
  const settings = { ...DEFAULT_UPLOAD, ...options.upload };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  validateOptions(options, concurrency, settings);
  if (options.shard) {
    validateShard(options.shard);
    // A shard sees only its own uploads, so it cannot know that the whole archive is in place.
    if (options.delete) throw new S3ZipSyncError('INVALID_OPTION', 'delete cannot be combined with shard: run the deletion once, unsharded, after every shard has completed');
  }
  const prefix = normalizePrefix(options.prefix);
  validateMirrorOptions(options, prefix, options.bucket);
  const filter = compileEntryFilter({ rules: options.filters ?? [], excludeJunk: options.excludeJunk ?? true });
  const strategy = options.strategy ?? DEFAULT_STRATEGY;
  const dryRun = options.dryRun ?? false;
  const integrity = compileIntegrity(options);
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
  // The SDK adds an abort listener per request in flight, so a shared signal trips Node's
  // "possible leak" warning at concurrency > 10. Bounded by concurrency, not a leak: give the run a
  // signal of its own, linked to the caller's, that allows it.
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const forwardAbort = () => run.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  else options.signal?.addEventListener('abort', forwardAbort, { once: true });
  const signal = run.signal;
  // A client we build is ours to close; one passed in belongs to the caller (Lambda reuses it).
  const client = options.client ?? createS3Client({ maxSockets: concurrency * 2, ...options.clientOptions });
  const counter = attachRequestCounter(client);
  const untrackEndpoint = trackEndpoint(client);
  let archive: Archive | undefined;
  try {
    // Opened with the run's client and counter, so an S3 source's HEAD and GETs are counted too.
    archive = await openArchive(withDefaultClient(options.zip, client), options.limits, {
      nameEncoding: options.nameEncoding,
      normalizeNames: options.normalizeNames,
    });
    const uploadSlot = pLimit(concurrency);
    const checkTarget = { client, bucket: options.bucket, prefix, limit: pLimit(concurrency) };
    if (!archive.entries.some((entry) => entry.kind === 'file')) {
      // Most likely a broken build step; succeeding silently would hide it.
      throw new S3ZipSyncError('EMPTY_ARCHIVE', 'archive contains no files');
    }
    const excluded: Array<{ entry: ArchiveEntry; rule: string }> = [];
    const included = archive.entries.filter((entry) => {
      if (entry.kind !== 'file') return true;
      const verdict = filter.verdict(entry.name);
      if (!verdict.included) excluded.push({ entry, rule: verdict.rule ?? '' });
      return verdict.included;
    });
    if (!included.some((entry) => entry.kind === 'file')) {
      // With --delete this would empty the prefix: far more likely a wrong pattern than the intent.
      throw new S3ZipSyncError('EMPTY_ARCHIVE', `all ${excluded.length} files of the archive are excluded by the include/exclude rules`);
    }
    const archiveFiles = included.filter((entry) => entry.kind === 'file');
    const files = options.shard ? entriesOfShard(archiveFiles, options.shard) : archiveFiles;
    const checkKeys = files.map((entry) => targetKey(prefix, entry.name));
    const planInput = {
      client,
      bucket: options.bucket,
      prefix,
      keep: new Set(archiveFiles.map((entry) => targetKey(prefix, entry.name))),
      filter,
      options,
      signal,
    };
    // Both run before the first upload: a missing bucket, bad credentials or endpoint, and a
    // --max-delete refusal, write nothing.
    let checker: ExistenceCheck;
    let deletionPlan: Awaited<ReturnType<typeof planMirror>> | undefined;
    if (options.delete && (strategy === 'bulk' || strategy === 'auto')) {
      // --delete lists the whole prefix anyway; the listing strategies answer from that listing.
      const index = new ListingIndex(new Set(checkKeys));
      const listed = indexPages(listPrefix(client, options.bucket, prefix, signal), index, { client, bucket: options.bucket, prefix });
      deletionPlan = await planMirror({ ...planInput, listed });
      checker = createListedCheck(strategy, index, prefix, createHeadCheck(checkTarget));
    } else {
      checker = createExistenceCheck(strategy, checkTarget);
      await checker.start(checkKeys, signal);
      deletionPlan = options.delete ? await planMirror(planInput) : undefined;
    }

    const counts = emptyCounts();
    const failures: SyncReport['failures'] = [];
    for (const entry of included) {
      // Every shard reads the same directory; only the first reports what the whole run skips.
      if (entry.kind !== 'symlink' || (options.shard?.index ?? 0) !== 0) continue;
      counts.skipped++;
      emit({ type: 'warning', entry: entry.name, message: `skipped symlink entry ${entry.name}` });
    }
    const totalBytes = files.reduce((sum, entry) => sum + entry.size, 0);
    emit({ type: 'start', bucket: options.bucket, prefix, strategy, files: files.length, bytes: totalBytes, dryRun });
    for (const { entry, rule } of excluded) emit({ type: 'excluded', key: targetKey(prefix, entry.name), entry: entry.name, rule });

    let bytesUploaded = 0;
    let sameSizeChanges = 0;
    let filesDone = 0;
    const multipartSlot = pLimit(settings.maxMultipartUploads);
    const context: EntryContext = {
      ...{ client, bucket: options.bucket, prefix, archive, checker, dryRun, settings, uploadSlot, multipartSlot, signal, integrity },
      // Same request limit as the checks: a HEAD for metadata a listing did not show is one more check.
      metadataCheck: createHeadCheck(checkTarget),
      integrityStats: { metadataChecks: 0 },
      mayStart: () => !signal.aborted && (options.shouldStartEntry?.() ?? true),
    };

    // Entries are checked well ahead of the uploads (the strategy bounds its own requests), and an
    // upload starts as soon as its entry's check answers, under its own limit: a listing and uploads
    // run together. The window bounds the entries in progress, so memory does not grow with the archive.
    await forEachBounded(files, Math.max(ENTRY_WINDOW, concurrency * 4), async (entry) => {
      const outcome = await syncEntry(entry, context);
      if (outcome.action === 'notStarted') {
        counts.notStarted++;
        return;
      }
      counts[outcome.action]++;
      if (outcome.action === 'updated' && outcome.because === 'crc32') sameSizeChanges++;
      if (outcome.action === 'failed') failures.push({ key: outcome.key, code: outcome.code, reason: outcome.reason });
      else if (!dryRun && outcome.action !== 'ignored') bytesUploaded += outcome.size;
      emit({ type: 'entry', dryRun, ...outcome });
      emit({ type: 'progress', filesDone: ++filesDone, files: files.length, bytesUploaded });
    });

    if (callbackError) throw callbackError.error;
    // An entry whose multipart upload could not be aborted fails with its own code; the run was still interrupted.
    let aborted = signal.aborted || counts.notStarted > 0 || failures.some((failure) => failure.code === 'ABORTED');
    const deletion = deletionPlan
      ? await applyMirror({
          client,
          bucket: options.bucket,
          plan: deletionPlan,
          dryRun,
          blockedBy: aborted || signal.aborted ? INTERRUPTED : counts.failed > 0 ? `${counts.failed} ${counts.failed === 1 ? 'entry' : 'entries'} failed` : undefined,
          signal,
          emit: (event) => {
            if (event.type === 'delete' && event.action === 'failed') failures.push({ key: event.key, code: event.code, reason: event.reason });
            emit(event);
          },
        })
      : undefined;
    if (deletion?.skipped?.reason === INTERRUPTED) aborted = true;
    // TypeScript narrowed it to undefined above; the deletion's events may have set it since.
    const lateCallbackError = callbackError as { error: unknown } | undefined;
    if (lateCallbackError) throw lateCallbackError.error;
    return {
      bucket: options.bucket,
      prefix,
      strategy,
      strategyDetail: checker.describe(),
      dryRun,
      counts,
      bytesUploaded,
      requests: { ...counter.counts },
      totalRequests: totalRequests(counter.counts),
      elapsedMs: Math.round(performance.now() - started),
      failures,
      aborted,
      complete: !aborted && counts.failed === 0,
      excluded: excluded.length,
      ...(deletion ? { deletion } : {}),
      compare: integrity.compare,
      sameSizeChanges,
      metadataChecks: context.integrityStats.metadataChecks,
    };
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
    counter.detach();
    untrackEndpoint();
    if (!options.client) client.destroy();
    archive?.close();
  }
}

interface EntryContext {
  client: S3Client;
  bucket: string;
  prefix: string;
  archive: Archive;
  checker: ExistenceCheck;
  dryRun: boolean;
  settings: UploadSettings;
  uploadSlot: ReturnType<typeof pLimit>;
  multipartSlot: ReturnType<typeof pLimit>;
  signal: AbortSignal;
  integrity: IntegrityPlan;
  /** HeadObject for the metadata a listing does not show (stored CRC32, original size of gzip objects). */
  metadataCheck: ExistenceCheck;
  integrityStats: { metadataChecks: number };
  /** Asked once per upload, before it starts: false once the run is aborted or `shouldStartEntry` says stop (a Lambda deadline). */
  mayStart: () => boolean;
}

/** An entry whose upload never began (aborted, or past the caller's deadline): nothing of it was written. */
type EntryResult = EntryOutcome | { action: 'notStarted' };

async function syncEntry(entry: ArchiveEntry, context: EntryContext): Promise<EntryResult> {
  const key = targetKey(context.prefix, entry.name);
  const base = { key, entry: entry.name, size: entry.size };
  const { signal } = context;
  let uploadStarted = false;
  try {
    if (signal.aborted) return { action: 'notStarted' };
    const policy: DecisionPolicy = { compare: context.integrity.compare, gzip: context.integrity.gzips(entry.name) };
    let remote = await context.checker.check(key, signal);
    if (needsMetadata(entry, remote, policy)) {
      context.integrityStats.metadataChecks++;
      remote = await context.metadataCheck.check(key, signal);
    }
    const decision = decide(entry, remote, policy);
    if (decision.action === 'ignored' || context.dryRun) return { ...base, ...decision };
    const upload = async () => {
      uploadStarted = true;
      await uploadEntry({
        client: context.client,
        bucket: context.bucket,
        key,
        size: entry.size,
        contentType: contentTypeFor(entry.name),
        body: await context.archive.openEntry(entry),
        settings: context.settings,
        signal,
        ...context.integrity.uploadFields(entry, policy.gzip ?? false, context.client),
      });
      return true;
    };
    // The SDK does not retry a streamed body; the entry is re-opened and sent again instead.
    const uploadWithRetries = async () => context.mayStart() && withEntryRetries(context.client, upload, signal);
    // A gzip upload buffers up to a part of compressed bytes; larger ones count as multipart for the memory bound.
    const multipart = usesMultipart(entry.size, context.settings) || (policy.gzip === true && entry.size > context.settings.partSize);
    const uploaded = await context.uploadSlot(() => (multipart ? context.multipartSlot(uploadWithRetries) : uploadWithRetries()));
    return uploaded ? { ...base, ...decision } : { action: 'notStarted' };
  } catch (error) {
    if (signal.aborted && !uploadStarted) return { action: 'notStarted' };
    const failure = isS3ZipSyncError(error)
      ? error
      : new S3ZipSyncError('S3_ERROR', error instanceof Error ? error.message : String(error));
    const code = signal.aborted && failure.code !== 'MULTIPART_NOT_ABORTED' ? 'ABORTED' : failure.code;
    const reason = code === 'ABORTED' ? 'aborted' : failure.message;
    return { ...base, action: 'failed', code, reason };
  }
}

function validateOptions(options: SyncOptions, concurrency: number, settings: typeof DEFAULT_UPLOAD): void {
  if (!options.bucket) throw new S3ZipSyncError('INVALID_OPTION', 'a bucket name is required');
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new S3ZipSyncError('INVALID_OPTION', `concurrency must be a positive integer, got ${concurrency}`);
  }
  if (settings.partSize < 5 * MiB) {
    throw new S3ZipSyncError('INVALID_OPTION', `part size must be at least 5 MiB (S3's minimum), got ${settings.partSize}`);
  }
  if (settings.multipartThreshold < settings.partSize) {
    throw new S3ZipSyncError('INVALID_OPTION', 'the multipart threshold must be at least the part size');
  }
}

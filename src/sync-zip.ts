import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { createExistenceCheck, type StrategyName } from './check/strategies.js';
import type { ExistenceCheck } from './check/existence-check.js';
import { decide } from './decide.js';
import { S3ZipSyncError, isS3ZipSyncError } from './errors.js';
import { emptyCounts, type EntryOutcome, type SyncEvent, type SyncReport } from './report.js';
import { createS3Client, type ClientOptions } from './s3/create-client.js';
import { preflight } from './s3/preflight.js';
import { attachRequestCounter, totalRequests } from './s3/request-counter.js';
import { normalizePrefix, targetKey } from './target-key.js';
import { contentTypeFor } from './upload/content-type.js';
import { uploadEntry, usesMultipart, type UploadSettings } from './upload/upload-entry.js';
import { withEntryRetries } from './upload/retry-entry.js';
import type { ArchiveLimits } from './zip/limits.js';
import { openArchive, type Archive, type ArchiveEntry, type ZipSource } from './zip/open-archive.js';

export interface SyncOptions {
  /** Path of a zip file, or its bytes. */
  zip: ZipSource;
  bucket: string;
  /** Folder inside the bucket; `a` and `a/` are the same. */
  prefix?: string;
  /** A client of your own (Lambda: reuse one across invocations). Otherwise built from `clientOptions`. */
  client?: S3Client;
  clientOptions?: ClientOptions;
  /** How to ask S3 whether a key exists. Default `head`: HEAD is a GET-class request, 12× cheaper than a LIST. */
  strategy?: StrategyName;
  /** Entries checked and uploaded at once; also the most entry streams open at once. */
  concurrency?: number;
  /** Decide and report, write nothing. */
  dryRun?: boolean;
  limits?: Partial<ArchiveLimits>;
  upload?: Partial<UploadSettings & { maxMultipartUploads: number }>;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
}

const MiB = 1024 * 1024;

export const DEFAULT_CONCURRENCY = 16;
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
  const prefix = normalizePrefix(options.prefix);
  const strategy = options.strategy ?? 'head';
  const dryRun = options.dryRun ?? false;
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
  const archive = await openArchive(options.zip, options.limits);
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
  try {
    const checker = createExistenceCheck(strategy, { client, bucket: options.bucket });
    if (!archive.entries.some((entry) => entry.kind === 'file')) {
      // Most likely a broken build step; succeeding silently would hide it.
      throw new S3ZipSyncError('EMPTY_ARCHIVE', 'archive contains no files');
    }
    await preflight(client, options.bucket, prefix, signal);

    const counts = emptyCounts();
    const failures: SyncReport['failures'] = [];
    const files: ArchiveEntry[] = [];
    for (const entry of archive.entries) {
      if (entry.kind === 'file') files.push(entry);
      if (entry.kind === 'symlink') {
        counts.skipped++;
        emit({ type: 'warning', entry: entry.name, message: `skipped symlink entry ${entry.name}` });
      }
    }
    const totalBytes = files.reduce((sum, entry) => sum + entry.size, 0);
    emit({ type: 'start', bucket: options.bucket, prefix, strategy, files: files.length, bytes: totalBytes, dryRun });

    let bytesUploaded = 0;
    let filesDone = 0;
    const limit = pLimit(concurrency);
    const multipartSlot = pLimit(settings.maxMultipartUploads);
    const context: EntryContext = { client, bucket: options.bucket, prefix, archive, checker, dryRun, settings, multipartSlot, signal };

    await Promise.all(
      files.map((entry) =>
        limit(async () => {
          if (signal.aborted) {
            counts.notStarted++;
            return;
          }
          const outcome = await syncEntry(entry, context);
          counts[outcome.action]++;
          if (outcome.action === 'failed') failures.push({ key: outcome.key, code: outcome.code, reason: outcome.reason });
          else if (!dryRun && outcome.action !== 'ignored') bytesUploaded += outcome.size;
          emit({ type: 'entry', dryRun, ...outcome });
          emit({ type: 'progress', filesDone: ++filesDone, files: files.length, bytesUploaded });
        }),
      ),
    );

    if (callbackError) throw callbackError.error;
    // An entry whose multipart upload could not be aborted fails with its own code; the run was still interrupted.
    const aborted = signal.aborted || counts.notStarted > 0 || failures.some((failure) => failure.code === 'ABORTED');
    return {
      bucket: options.bucket,
      prefix,
      strategy,
      dryRun,
      counts,
      bytesUploaded,
      requests: { ...counter.counts },
      totalRequests: totalRequests(counter.counts),
      elapsedMs: Math.round(performance.now() - started),
      failures,
      aborted,
      complete: !aborted && counts.failed === 0,
    };
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
    counter.detach();
    if (!options.client) client.destroy();
    archive.close();
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
  multipartSlot: ReturnType<typeof pLimit>;
  signal: AbortSignal | undefined;
}

async function syncEntry(entry: ArchiveEntry, context: EntryContext): Promise<EntryOutcome> {
  const key = targetKey(context.prefix, entry.name);
  const base = { key, entry: entry.name, size: entry.size };
  try {
    const remote = await context.checker.check(key, context.signal);
    const decision = decide(entry, remote);
    if (decision.action === 'ignored' || context.dryRun) return { ...base, ...decision };
    const upload = async () =>
      uploadEntry({
        client: context.client,
        bucket: context.bucket,
        key,
        size: entry.size,
        contentType: contentTypeFor(entry.name),
        body: await context.archive.openEntry(entry),
        settings: context.settings,
        signal: context.signal,
      });
    // The SDK does not retry a streamed body; the entry is re-opened and sent again instead.
    const uploadWithRetries = () => withEntryRetries(context.client, upload, context.signal);
    if (usesMultipart(entry.size, context.settings)) await context.multipartSlot(uploadWithRetries);
    else await uploadWithRetries();
    return { ...base, ...decision };
  } catch (error) {
    const failure = isS3ZipSyncError(error)
      ? error
      : new S3ZipSyncError('S3_ERROR', error instanceof Error ? error.message : String(error));
    const code = context.signal?.aborted && failure.code !== 'MULTIPART_NOT_ABORTED' ? 'ABORTED' : failure.code;
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

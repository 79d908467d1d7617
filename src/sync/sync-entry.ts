import type pLimit from 'p-limit';
import type { ExistenceCheck, RemoteObject } from '../check/existence-check.js';
import { decide, needsMetadata, type DecisionPolicy } from '../decide.js';
import { S3ZipSyncError, isS3ZipSyncError } from '../errors.js';
import { storageHeaders } from '../headers/sdk-params.js';
import { crc32Hex } from '../integrity/object-metadata.js';
import type { EntryDetail, TransferEvent } from '../report.js';
import { MAX_COPY_OBJECT_BYTES, rewriteHeaders } from '../upload/rewrite-headers.js';
import { writeConditionally, type ConditionalWrites } from '../upload/conditional-write.js';
import { withEntryRetries } from '../upload/retry-entry.js';
import type { S3Session } from '../s3/session.js';
import { holdsPartBuffers, uploadRoute } from '../upload/route.js';
import { uploadEntry } from '../upload/upload-entry.js';
import type { WritePrecondition } from '../upload/precondition.js';
import type { Archive, ArchiveEntry } from '../zip/open-archive.js';
import type { ResolvedOptions } from './options.js';
import type { EntryResult } from './tally.js';

/** What every entry of one run shares. */
export interface EntryContext {
  /** Bucket, prefix, dry run, upload settings, integrity and header plans, `shouldStartEntry`. */
  run: ResolvedOptions;
  /** The run's S3 session: its request path for buffered PUTs, its SDK client for the rest, its pacer. */
  session: S3Session;
  archive: Archive;
  checker: ExistenceCheck;
  uploadSlot: ReturnType<typeof pLimit>;
  /** Bounds the uploads that hold part buffers (multipart, large gzip): they set the run's memory. */
  multipartSlot: ReturnType<typeof pLimit>;
  signal: AbortSignal;
  /** HeadObject for the metadata a listing does not show (stored CRC32, original size of gzip objects). */
  metadataCheck: ExistenceCheck;
  integrityStats: { metadataChecks: number };
  /** `If-None-Match` / `If-Match` on writes (see upload/conditional-write.ts). */
  writes: ConditionalWrites;
  /** Each upload attempt as it starts, and the bytes S3 has acknowledged of it (per part): for a progress display. */
  onTransfer: (event: TransferEvent) => void;
}

/**
 * The entry's outcome when it needs no request and no wait: its check already has the answer
 * (`peek`) and the decision is Ignored, or any decision of a dry run. Undefined otherwise: then
 * `syncEntry`. An unchanged entry of a listed prefix, the bulk of a no-change run, is settled
 * here without a promise.
 */
export function knownOutcome(entry: ArchiveEntry, key: string, context: EntryContext): EntryResult | undefined {
  const { run, checker } = context;
  if (context.signal.aborted || run.headers.compareHeaders || !checker.peek) return undefined;
  const remote = checker.peek(key);
  if (remote === undefined) return undefined;
  const policy: DecisionPolicy = { compare: run.integrity.compare, gzip: run.integrity.gzips(entry.name) };
  if (needsMetadata(entry, remote, policy)) return undefined;
  const decision = decide(entry, remote, policy);
  if (decision.action !== 'ignored' && !run.dryRun) return undefined;
  return { key, entry: entry.name, size: entry.size, ...decision, detail: entryDetail(entry, remote, checkedByOf(checker, remote), 0) };
}

/** One entry through check → metadata → decide → route → upload. Never throws: a failure is an outcome. */
export async function syncEntry(entry: ArchiveEntry, key: string, context: EntryContext): Promise<EntryResult> {
  const { run, session, signal } = context;
  const base = { key, entry: entry.name, size: entry.size };
  // Asked once per upload, before it starts: false once the run is aborted or `shouldStartEntry` says stop (a Lambda deadline).
  const mayStart = () => !signal.aborted && run.shouldStartEntry();
  let uploadStarted = false;
  let remote: RemoteObject | null | undefined;
  let checkedBy: string = context.checker.strategy;
  let attempts = 0;
  const detail = (): EntryDetail => entryDetail(entry, remote, checkedBy, attempts);
  try {
    if (signal.aborted) return { action: 'notStarted' };
    const gzip = run.integrity.gzips(entry.name);
    const compared = run.headers.compareHeaders ? await run.headers.headersFor(entry.name) : undefined;
    const policy: DecisionPolicy = { compare: run.integrity.compare, gzip, ...(compared ? { headers: compared } : {}) };
    remote = await context.checker.check(key, signal);
    checkedBy = checkedByOf(context.checker, remote);
    if (needsMetadata(entry, remote, policy)) {
      context.integrityStats.metadataChecks++;
      checkedBy += ' + HeadObject';
      remote = await context.metadataCheck.check(key, signal);
    }
    const decision = decide(entry, remote, policy);
    if (decision.action === 'ignored' || run.dryRun) return { ...base, ...decision, detail: detail() };
    const headers = compared ?? (await run.headers.headersFor(entry.name));
    const fields = run.integrity.uploadFields(entry, gzip, session.connection);
    const metadata = { ...headers.metadata, ...fields.metadata };
    if (decision.action === 'updated' && decision.because === 'headers' && remote && remote.size <= MAX_COPY_OBJECT_BYTES) {
      const etag = remote.etag;
      const rewrite = async () => {
        if (!mayStart()) return false;
        uploadStarted = true;
        attempts = 1;
        const request = { client: session.sdkClient, bucket: run.bucket, key, contentType: headers.contentType, metadata, headers: storageHeaders(headers), gzip, signal };
        await rewriteHeaders(etag ? { ...request, etag } : request);
        return true;
      };
      return (await context.uploadSlot(rewrite)) ? { ...base, ...decision, detail: detail() } : { action: 'notStarted' };
    }
    const upload = async (attempt: number) => {
      uploadStarted = true;
      attempts = attempt;
      context.onTransfer({ type: 'upload-start', ...base, attempt });
      // Re-opened for each send: radosgw's bare-ETag retry sends the entry a second time.
      const send = async (precondition: WritePrecondition | undefined) => {
        const sent = await uploadEntry({
        client: session.sdkClient,
        transport: session.transport,
        bucket: run.bucket,
        key,
        size: entry.size,
        contentType: headers.contentType,
        // Entries sent from memory are read whole (one inflate call), the others stream.
        body: route === 'buffered' ? await context.archive.readEntry(entry) : await context.archive.openEntry(entry),
        settings: run.settings,
        signal,
        ...fields,
        metadata,
        headers: storageHeaders(headers),
        onProgress: (bytes) => context.onTransfer({ type: 'upload-progress', ...base, bytes }),
        ...(precondition ? { precondition } : {}),
        });
        if (sent.attempts) attempts = sent.attempts;
      };
      await writeConditionally({
        decision,
        remote: remote ?? null,
        writes: context.writes,
        send,
        currentEtag: async () => (await session.transport.headObject({ bucket: run.bucket, key }, signal))?.ETag,
      });
      return true;
    };
    const route = uploadRoute(entry.size, gzip, run.settings);
    // The SDK does not retry a streamed body; the entry is re-opened and sent again instead. A
    // buffered body is retried by the request path itself, with the same strategy and budget.
    const uploadWithRetries = async () => mayStart() && (route === 'buffered' ? upload(1) : withEntryRetries(session.connection, upload, signal, session.throttle));
    const bounded = holdsPartBuffers(route, entry.size, run.settings);
    const uploaded = await context.uploadSlot(() => (bounded ? context.multipartSlot(uploadWithRetries) : uploadWithRetries()));
    return uploaded ? { ...base, ...decision, detail: detail() } : { action: 'notStarted' };
  } catch (error) {
    if (signal.aborted && !uploadStarted) return { action: 'notStarted' };
    const failure = isS3ZipSyncError(error)
      ? error
      : new S3ZipSyncError('S3_ERROR', error instanceof Error ? error.message : String(error));
    if (!signal.aborted && failure.code === 'CONFLICT') return { ...base, action: 'conflict', reason: failure.message, detail: detail() };
    const code = signal.aborted && failure.code !== 'MULTIPART_NOT_ABORTED' ? 'ABORTED' : failure.code;
    const reason = code === 'ABORTED' ? 'aborted' : failure.message;
    return { ...base, action: 'failed', code, reason, detail: detail() };
  }
}

/** The strategy, and which request answered: `bulk (listing)`, `head (HeadObject)`. */
function checkedByOf(checker: ExistenceCheck, remote: RemoteObject | null): string {
  if (!remote) return checker.strategy;
  return `${checker.strategy}${remote.metadataKnown ? ' (HeadObject)' : ' (listing)'}`;
}

function entryDetail(entry: ArchiveEntry, remote: RemoteObject | null | undefined, checkedBy: string, attempts: number): EntryDetail {
  return {
    checkedBy,
    remoteSize: remote === undefined ? undefined : remote === null ? null : (remote.originalSize ?? remote.size),
    crc32: crc32Hex(entry.crc32),
    ...(remote?.crc32 !== undefined ? { remoteCrc32: crc32Hex(remote.crc32) } : {}),
    attempts,
  };
}

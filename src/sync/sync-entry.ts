import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Transport } from '../s3/transport/transport.js';
import type pLimit from 'p-limit';
import type { ExistenceCheck } from '../check/existence-check.js';
import { decide, needsMetadata, type DecisionPolicy } from '../decide.js';
import { S3ZipSyncError, isS3ZipSyncError } from '../errors.js';
import type { IntegrityPlan } from '../integrity/integrity-plan.js';
import { targetKey } from '../target-key.js';
import { contentTypeFor } from '../upload/content-type.js';
import { writeConditionally, type ConditionalWrites } from '../upload/conditional-write.js';
import { withEntryRetries } from '../upload/retry-entry.js';
import { sdkTransport } from '../s3/transport/sdk-transport.js';
import { holdsPartBuffers, uploadRoute } from '../upload/route.js';
import { uploadEntry, type UploadSettings } from '../upload/upload-entry.js';
import type { WritePrecondition } from '../upload/precondition.js';
import type { Archive, ArchiveEntry } from '../zip/open-archive.js';
import type { EntryResult } from './tally.js';

/** What every entry of one run shares. */
export interface EntryContext {
  client: S3Client;
  /** Sends the buffered single PUTs; see s3/transport/. */
  transport?: S3Transport;
  bucket: string;
  prefix: string;
  archive: Archive;
  checker: ExistenceCheck;
  dryRun: boolean;
  settings: UploadSettings;
  uploadSlot: ReturnType<typeof pLimit>;
  /** Bounds the uploads that hold part buffers (multipart, large gzip): they set the run's memory. */
  multipartSlot: ReturnType<typeof pLimit>;
  signal: AbortSignal;
  integrity: IntegrityPlan;
  /** HeadObject for the metadata a listing does not show (stored CRC32, original size of gzip objects). */
  metadataCheck: ExistenceCheck;
  integrityStats: { metadataChecks: number };
  /** `If-None-Match` / `If-Match` on writes (see upload/conditional-write.ts). */
  writes: ConditionalWrites;
  /** Asked once per upload, before it starts: false once the run is aborted or `shouldStartEntry` says stop (a Lambda deadline). */
  mayStart: () => boolean;
}

/** One entry through check → metadata → decide → route → upload. Never throws: a failure is an outcome. */
export async function syncEntry(entry: ArchiveEntry, context: EntryContext): Promise<EntryResult> {
  const key = targetKey(context.prefix, entry.name);
  const base = { key, entry: entry.name, size: entry.size };
  const { signal } = context;
  let uploadStarted = false;
  try {
    if (signal.aborted) return { action: 'notStarted' };
    const gzip = context.integrity.gzips(entry.name);
    const policy: DecisionPolicy = { compare: context.integrity.compare, gzip };
    let remote = await context.checker.check(key, signal);
    if (needsMetadata(entry, remote, policy)) {
      context.integrityStats.metadataChecks++;
      remote = await context.metadataCheck.check(key, signal);
    }
    const decision = decide(entry, remote, policy);
    if (decision.action === 'ignored' || context.dryRun) return { ...base, ...decision };
    const send = async (precondition: WritePrecondition | undefined) =>
      uploadEntry({
        client: context.client,
        ...(context.transport ? { transport: context.transport } : {}),
        bucket: context.bucket,
        key,
        size: entry.size,
        contentType: contentTypeFor(entry.name),
        body: await context.archive.openEntry(entry),
        settings: context.settings,
        signal,
        ...context.integrity.uploadFields(entry, gzip, context.client),
        ...(precondition ? { precondition } : {}),
      });
    const transport = context.transport ?? sdkTransport(context.client);
    const upload = async () => {
      uploadStarted = true;
      await writeConditionally({
        decision,
        remote,
        writes: context.writes,
        send,
        currentEtag: async () => (await transport.headObject({ bucket: context.bucket, key }, signal))?.ETag,
      });
      return true;
    };
    const route = uploadRoute(entry.size, gzip, context.settings);
    // The SDK does not retry a streamed body; the entry is re-opened and sent again instead. A
    // buffered body is retried by the request path itself, with the same strategy and budget.
    const uploadWithRetries = async () => context.mayStart() && (route === 'buffered' ? upload() : withEntryRetries(context.client, upload, signal));
    const bounded = holdsPartBuffers(route, entry.size, context.settings);
    const uploaded = await context.uploadSlot(() => (bounded ? context.multipartSlot(uploadWithRetries) : uploadWithRetries()));
    return uploaded ? { ...base, ...decision } : { action: 'notStarted' };
  } catch (error) {
    if (signal.aborted && !uploadStarted) return { action: 'notStarted' };
    const failure = isS3ZipSyncError(error)
      ? error
      : new S3ZipSyncError('S3_ERROR', error instanceof Error ? error.message : String(error));
    if (!signal.aborted && failure.code === 'CONFLICT') return { ...base, action: 'conflict', reason: failure.message };
    const code = signal.aborted && failure.code !== 'MULTIPART_NOT_ABORTED' ? 'ABORTED' : failure.code;
    const reason = code === 'ABORTED' ? 'aborted' : failure.message;
    return { ...base, action: 'failed', code, reason };
  }
}

import type { CompleteMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import { pipeline, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { S3ZipSyncError, isS3ZipSyncError } from '../errors.js';
import type { StorageHeaders } from '../headers/object-headers.js';
import { sdkHeaderParams } from '../headers/sdk-params.js';
import { describeS3Error, isNotFound } from '../s3/s3-error.js';
import { sdkClientOf, type SdkClientSource } from '../s3/sdk-client-source.js';
import type { S3Transport } from '../s3/transport/transport.js';
import { isConditionalRequestConflict, isPreconditionFailedAnswer, sdkPreconditionFields, type WritePrecondition } from './precondition.js';
import { uploadRoute } from './route.js';

export interface UploadSettings {
  /** Entries of at least this many bytes go through multipart upload; smaller ones are one PutObject. */
  multipartThreshold: number;
  /** Bytes per part. lib-storage holds each part in memory while it is sent. */
  partSize: number;
  /** Parts of one entry sent at once. */
  partConcurrency: number;
}

export interface UploadRequest {
  /** For the streamed and multipart routes (the SDK, lib-storage); built on first use when a function. */
  client: SdkClientSource;
  /** Sends the buffered single PUTs (the run's request path); multipart stays with lib-storage. */
  transport: S3Transport;
  bucket: string;
  key: string;
  size: number;
  contentType: string;
  /** The entry's verified bytes: a Buffer for the `buffered` route (read whole), a stream otherwise. */
  body: Readable | Buffer;
  settings: UploadSettings;
  signal?: AbortSignal;
  /** User metadata stored with the object (the zip's CRC32, see integrity/object-metadata.ts). */
  metadata?: Record<string, string>;
  /** `x-amz-checksum-crc32` for a single PutObject of the plain bytes: S3 refuses a body that does not match it. */
  checksumCrc32?: string;
  /** Store gzip-compressed with `Content-Encoding: gzip`, compressed while streaming. */
  gzip?: boolean;
  /** Cache-Control, Expires, storage class, encryption, ACL…: sent on single and multipart uploads alike. */
  headers?: StorageHeaders;
  /** Bytes of the entry S3 has acknowledged so far, as parts complete (multipart only: a single PutObject reports only its end). */
  onProgress?: (bytes: number) => void;
  /** Sent on the PutObject or the CompleteMultipartUpload; a 412 rejects with CONFLICT (see precondition.ts). */
  precondition?: WritePrecondition;
}

type StreamedRequest = UploadRequest & { body: Readable };

/**
 * How long an interrupted run waits for a CompleteMultipartUpload already on the wire. Its answer
 * says whether the object now exists; without it the entry would be reported aborted while stored
 * (issue 28). Bounded so that Ctrl-C stays prompt, and no longer than the Lambda handler's default
 * abort margin (ABORT_MARGIN_MS, 5 s), which is what it keeps for an interrupted run to wind up.
 */
export const COMPLETE_WAIT_MS = 5_000;

/**
 * Sends one entry into S3. Resolves only when S3 has stored every byte, with the HTTP attempts it
 * took when the request path retried it itself (buffered PUTs); rejects with an S3ZipSyncError
 * otherwise, after making sure no multipart upload is left behind.
 */
export async function uploadEntry(request: UploadRequest): Promise<{ attempts?: number }> {
  const { signal } = request;
  const route = uploadRoute(request.size, request.gzip ?? false, request.settings);
  if (Buffer.isBuffer(request.body) !== (route === 'buffered')) throw new Error(`the ${route} route of ${request.key} takes a ${route === 'buffered' ? 'Buffer' : 'stream'}`);
  const body = Buffer.isBuffer(request.body) ? undefined : request.body;
  // A corrupt entry fails its body stream; remember why, so the error names the archive, not S3.
  let sourceError: unknown;
  body?.once('error', (error) => (sourceError ??= error));
  // Only a stream has anything to release on abort (a Buffer's request is cut by the transport).
  // Listeners on the run's one signal are kept in a list that every add and remove walks.
  const onAbort = body ? () => body.destroy(abortError(request.key)) : undefined;
  if (onAbort) signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw abortError(request.key);
    if (Buffer.isBuffer(request.body)) return await putBuffered(request, request.body);
    const streamed: StreamedRequest = { ...request, body: request.body };
    switch (route) {
      case 'gzip':
        // lib-storage aborts a multipart upload that fails; for a small body it sends one PutObject.
        await uploadMultipart({ ...streamed, body: gzipped(streamed.body) });
        break;
      case 'multipart':
        await uploadMultipart(streamed);
        break;
      case 'put':
        await putObject(streamed);
        break;
    }
  } catch (error) {
    if (isS3ZipSyncError(error) && error.code === 'MULTIPART_NOT_ABORTED') throw error;
    if (signal?.aborted) throw abortError(request.key);
    if (isS3ZipSyncError(error)) throw error;
    if (isS3ZipSyncError(sourceError)) throw sourceError;
    if (request.precondition && (isPreconditionFailedAnswer(error) || isConditionalRequestConflict(error))) throw conflictError(request.key, request.precondition, error);
    throw new S3ZipSyncError('S3_ERROR', `upload failed: ${describeS3Error(error)}`, { cause: error });
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    body?.destroy();
  }
  return {};
}

/** Compressed after the verify stream: a corrupt entry fails the gzip stream too, so it never completes. */
function gzipped(body: Readable): Readable {
  const gzip = createGzip();
  pipeline(body, gzip, () => {});
  return gzip;
}

async function putObject({ client: source, bucket, key, size, contentType, body, metadata, checksumCrc32, headers, precondition }: StreamedRequest): Promise<void> {
  const [client, { PutObjectCommand }] = await Promise.all([sdkClientOf(source), import('../s3/sdk-commands.js')]);
  // The SDK does not see a source stream's error, so without this the request would wait forever
  // for bytes that never come; aborting it also tells the server the body is incomplete.
  const requestAbort = new AbortController();
  body.once('error', () => requestAbort.abort());
  await client.send(
    new PutObjectCommand({
      ...{ Bucket: bucket, Key: key, Body: body, ContentLength: size, ContentType: contentType },
      ...sdkHeaderParams(headers),
      ...(metadata ? { Metadata: metadata } : {}),
      // With requestChecksumCalculation WHEN_REQUIRED the SDK sends a given checksum as a plain
      // header and the body unframed (no aws-chunked trailer), which s3rver & co. store correctly.
      ...(checksumCrc32 ? { ChecksumCRC32: checksumCrc32 } : {}),
      ...sdkPreconditionFields(precondition),
    }),
    { abortSignal: requestAbort.signal },
  );
}

/**
 * The whole entry was read and its size and CRC32 verified (Archive.readEntry) before a byte goes
 * out: a corrupt entry failed there, and the transport can retry the PUT from the buffer.
 */
async function putBuffered(request: UploadRequest, body: Buffer): Promise<{ attempts?: number }> {
  const { bucket, key, contentType, metadata, checksumCrc32, headers, signal, precondition } = request;
  const { attempts } = await request.transport.putObject(
    { bucket, key, body, contentType, ...(metadata ? { metadata } : {}), ...(checksumCrc32 ? { checksumCrc32 } : {}), ...(headers ? { headers } : {}), ...precondition },
    signal,
  );
  return attempts ? { attempts } : {};
}

async function uploadMultipart({ client: source, bucket, key, contentType, body, settings, signal, metadata, gzip, headers, onProgress, precondition }: StreamedRequest): Promise<void> {
  const [client, { Upload, UploadPartCommand, CompleteMultipartUploadCommand }] = await Promise.all([sdkClientOf(source), import('../s3/sdk-commands.js')]);
  let completing: Promise<unknown> | undefined;
  const upload = new Upload({
    client: withRunSignal(client, signal, { uploadPart: UploadPartCommand, complete: CompleteMultipartUploadCommand }, (answer) => (completing = answer)),
    params: {
      ...{ Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      ...sdkHeaderParams(headers),
      ...(metadata ? { Metadata: metadata } : {}),
      ...(gzip ? { ContentEncoding: 'gzip' } : {}),
      // lib-storage copies its params into the single PutObject of a small body and into
      // CompleteMultipartUpload, the two requests that make the object appear; the serializers of
      // CreateMultipartUpload and UploadPart have no such member and leave it out. A 412 on
      // CompleteMultipartUpload lands in the catch below, which aborts the upload.
      ...sdkPreconditionFields(precondition),
    },
    partSize: settings.partSize,
    queueSize: settings.partConcurrency,
    // We abort ourselves: lib-storage's own abort replaces the upload's error with the abort's
    // error when the abort fails, and does not tell whether it succeeded.
    leavePartsOnError: true,
  });
  // Compressed bytes say nothing about how much of the entry is through.
  if (onProgress && !gzip) upload.on('httpUploadProgress', (progress) => progress.loaded !== undefined && onProgress(progress.loaded));
  // Ending the body alone would let the parts already on the wire run to their end.
  const onAbort = () => void upload.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } catch (error) {
    // done() rejects at once on abort, even while the CompleteMultipartUpload is on the wire: then
    // S3's answer, not the abort, says whether the object was stored.
    if (signal?.aborted && completing && (await answerWithin(completing, COMPLETE_WAIT_MS)) === 'stored') return;
    const uploadId = await uploadIdOf(upload);
    if (uploadId) await abortMultipart(client, bucket, key, uploadId, signal?.aborted ? abortError(key) : error);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * lib-storage's abort() neither cancels the parts on the wire nor gives them a signal, so a part
 * outlives the run; worse, when the socket is torn down the SDK retries it (a Buffer body is
 * retryable). Parts get the run's signal: the SDK then destroys them on abort and never retries.
 * The CompleteMultipartUpload does not get it (cutting it would not stop S3 assembling the object);
 * its answer is handed to `onComplete` instead.
 */
function withRunSignal(
  client: S3Client,
  signal: AbortSignal | undefined,
  commands: { uploadPart: typeof UploadPartCommand; complete: typeof CompleteMultipartUploadCommand },
  onComplete: (answer: Promise<unknown>) => void,
): S3Client {
  if (!signal) return client;
  const send = (command: Parameters<S3Client['send']>[0], options?: object) => {
    if (command instanceof commands.uploadPart) return client.send(command, { ...options, abortSignal: signal });
    const answer = client.send(command, options);
    if (command instanceof commands.complete) onComplete(answer);
    return answer;
  };
  return Object.create(client, { send: { value: send } }) as S3Client;
}

/** `stored` when the request succeeds within `ms`, `failed` when it fails, `unanswered` when neither. */
async function answerWithin(answer: Promise<unknown>, ms: number): Promise<'stored' | 'failed' | 'unanswered'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), ms)));
  try {
    return await Promise.race([answer.then(() => 'stored' as const, () => 'failed' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * done() rejects at once on abort, possibly while CreateMultipartUpload is still on the wire
 * (lib-storage sends it without the abort signal); wait for it, so that upload is aborted too.
 */
async function uploadIdOf(upload: Upload): Promise<string | undefined> {
  const pending = (upload as unknown as { createMultiPartPromise?: Promise<{ UploadId?: string }> }).createMultiPartPromise;
  const created = await pending?.catch(() => undefined);
  return upload.uploadId ?? created?.UploadId;
}

async function abortMultipart(client: S3Client, bucket: string, key: string, uploadId: string, cause: unknown) {
  try {
    const { AbortMultipartUploadCommand } = await import('../s3/sdk-commands.js');
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (abortFailure) {
    if (isNotFound(abortFailure)) return;
    throw new S3ZipSyncError(
      'MULTIPART_NOT_ABORTED',
      `${isS3ZipSyncError(cause) ? cause.message : `upload failed (${describeS3Error(cause)})`} and its multipart upload ${uploadId} could not be aborted (${describeS3Error(abortFailure)}); remove it with: aws s3api abort-multipart-upload --bucket ${bucket} --key ${key} --upload-id ${uploadId}`,
      { cause },
    );
  }
}

function conflictError(key: string, precondition: WritePrecondition, cause: unknown): S3ZipSyncError {
  const what = 'ifNoneMatch' in precondition ? 'created' : 'changed';
  const header = 'ifNoneMatch' in precondition ? 'If-None-Match: *' : `If-Match: ${precondition.ifMatch}`;
  if (isConditionalRequestConflict(cause)) {
    // The other write was under way, not done: it may still fail, so "their version was kept" would claim too much.
    return new S3ZipSyncError('CONFLICT', `${key} was being written by someone else at the same time; this version was not stored (409 ConditionalRequestConflict to ${header})`, { cause, key });
  }
  return new S3ZipSyncError('CONFLICT', `${key} was ${what} by someone else since it was checked; their version was kept (412 to ${header})`, { cause, key });
}

function abortError(key: string): S3ZipSyncError {
  return new S3ZipSyncError('ABORTED', `upload of ${key} aborted`);
}

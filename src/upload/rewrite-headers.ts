import { S3ZipSyncError } from '../errors.js';
import type { StorageHeaders } from '../headers/object-headers.js';
import { sdkHeaderParams } from '../headers/sdk-params.js';
import { describeS3Error } from '../s3/s3-error.js';
import { sdkClientOf, type SdkClientSource } from '../s3/sdk-client-source.js';

/** CopyObject copies at most 5 GiB in one request; a larger object is uploaded again instead. */
export const MAX_COPY_OBJECT_BYTES = 5 * 1024 ** 3;

export interface RewriteRequest {
  client: SdkClientSource;
  bucket: string;
  key: string;
  contentType: string;
  /** The whole user metadata the object is to hold: S3 replaces it, it does not merge. */
  metadata: Record<string, string>;
  headers?: StorageHeaders;
  /** A gzip-stored object keeps its Content-Encoding (REPLACE drops whatever is not sent). */
  gzip: boolean;
  /** The ETag the HeadObject saw: if the object changed since, the copy fails rather than stamp new headers on unknown bytes. */
  etag?: string;
  signal?: AbortSignal;
}

/** Rewrites an object's headers in place, server side: CopyObject onto itself with MetadataDirective REPLACE. */
export async function rewriteHeaders(request: RewriteRequest): Promise<void> {
  const { bucket, key } = request;
  try {
    const [client, { CopyObjectCommand }] = await Promise.all([sdkClientOf(request.client), import('../s3/sdk-commands.js')]);
    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: key,
        CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        ...(request.etag ? { CopySourceIfMatch: request.etag } : {}),
        MetadataDirective: 'REPLACE',
        ContentType: request.contentType,
        Metadata: request.metadata,
        ...(request.gzip ? { ContentEncoding: 'gzip' } : {}),
        ...sdkHeaderParams(request.headers),
      }),
      { abortSignal: request.signal },
    );
  } catch (error) {
    throw new S3ZipSyncError('S3_ERROR', `rewriting the headers of ${key} (CopyObject) failed: ${describeS3Error(error)}`, { cause: error });
  }
}

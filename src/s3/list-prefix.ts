import type { S3Client } from '@aws-sdk/client-s3';
import { sdkTransport } from './transport/sdk-transport.js';
import type { S3Transport } from './transport/transport.js';

/** One object as a listing shows it. Listings carry no user metadata. */
export interface ListedObject {
  key: string;
  size: number;
  etag?: string;
}

export interface ListedPage {
  objects: ListedObject[];
  /**
   * True while every key so far came in S3's UTF-8 byte order. AWS general-purpose buckets always
   * list in that order; s3rver lists in filesystem order, and since its continuation token is
   * "start after the last key returned", a listing out of order may have skipped keys.
   */
  inOrder: boolean;
}

/**
 * Every object under `prefix`, one page (up to 1,000 keys) at a time, so that a caller can stream a
 * listing of millions of keys without holding it. Stops early when the consumer breaks out of the loop.
 */
export async function* listPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
  transport: S3Transport = sdkTransport(client),
): AsyncGenerator<ListedPage> {
  let continuationToken: string | undefined;
  let previousKey: Buffer | undefined;
  let inOrder = true;
  do {
    const page = await transport.listObjectsV2({ bucket, prefix, maxKeys: 1000, ...(continuationToken ? { continuationToken } : {}) }, signal);
    const objects: ListedObject[] = [];
    for (const object of page.Contents) {
      const keyBytes = Buffer.from(object.Key, 'utf8');
      if (previousKey && Buffer.compare(previousKey, keyBytes) >= 0) inOrder = false;
      previousKey = keyBytes;
      objects.push({ key: object.Key, size: object.Size, ...(object.ETag ? { etag: object.ETag } : {}) });
    }
    yield { objects, inOrder };
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

import type { S3Client } from '@aws-sdk/client-s3';
import { listPrefix, sdkRequests } from '../../src/internal.js';

/** Every key under `prefix` with its size, through the library's own listing. */
export async function listSizes(client: S3Client, bucket: string, prefix: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for await (const page of listPrefix(sdkRequests(client).transport, bucket, prefix)) for (const object of page.objects) sizes.set(object.key, object.size);
  return sizes;
}

export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return [...(await listSizes(client, bucket, prefix)).keys()];
}

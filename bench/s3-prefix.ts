import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';

/** A prefix no earlier or concurrent run uses, so set-up and clean-up never touch anything else. */
export function uniqueRunPrefix(base: string, suite: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${base}s3zipsync-bench/${suite}/${stamp}-${randomBytes(4).toString('hex')}/`;
}

export async function listAllKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes everything under `prefix` (batches of 1000) and reports what is left afterwards. */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<{ deleted: number; leftover: number }> {
  if (!prefix.includes('s3zipsync-bench/')) throw new Error(`refusing to delete outside a bench run prefix: ${prefix}`);
  const keys = await listAllKeys(client, bucket, prefix);
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    deleted += batch.length - (result.Errors?.length ?? 0);
  }
  const leftover = (await listAllKeys(client, bucket, prefix)).length;
  return { deleted, leftover };
}

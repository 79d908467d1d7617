import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { listKeys } from './harness/listing.js';

/** A prefix no earlier or concurrent run uses, so set-up and clean-up never touch anything else. */
export function uniqueRunPrefix(base: string, suite: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${base}s3zipsync-bench/${suite}/${stamp}-${randomBytes(4).toString('hex')}/`;
}

/**
 * Deletes everything under `prefix` (batches of 1000) and reports what is left afterwards.
 * s3rver deletes a batch's keys in parallel and races on shared folders: it answers 500 after
 * deleting only some of them. Listing again and repeating while a pass makes progress handles
 * that and any transient error, and the leftover count stays honest.
 */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<{ deleted: number; leftover: number }> {
  if (!prefix.includes('s3zipsync-bench/')) throw new Error(`refusing to delete outside a bench run prefix: ${prefix}`);
  const initial = (await listKeys(client, bucket, prefix)).length;
  let remaining = initial;
  for (let pass = 0; pass < 10 && remaining > 0; pass++) {
    const keys = await listKeys(client, bucket, prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await client
        .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }))
        .catch(() => {}); // judged by the next listing, not by the answer
    }
    const left = (await listKeys(client, bucket, prefix)).length;
    const progressed = left < remaining;
    remaining = left;
    if (!progressed) break;
  }
  return { deleted: initial - remaining, leftover: remaining };
}

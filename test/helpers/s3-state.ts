import { ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';

/** Multipart uploads still open in the bucket, as the server lists them (s3rver cannot: 501). */
export async function openMultipartUploads(client: S3Client, bucket: string): Promise<Array<{ key: string; uploadId: string }>> {
  const open: Array<{ key: string; uploadId: string }> = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const upload of page.Uploads ?? []) open.push({ key: upload.Key!, uploadId: upload.UploadId! });
    if (!page.IsTruncated) return open;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/** Puts every object, 32 at a time (a listing test needs more than a page of them). */
export async function putObjects(client: S3Client, bucket: string, objects: Map<string, string | Buffer>): Promise<void> {
  const limit = pLimit(32);
  await Promise.all([...objects].map(([key, body]) => limit(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })))));
}

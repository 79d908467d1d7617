import type { S3Client } from '@aws-sdk/client-s3';

/** An SDK client, or how to get one: a run builds its own only when a request needs the SDK (multipart, CopyObject, an S3 zip). */
export type SdkClientSource = S3Client | (() => Promise<S3Client>);

export function sdkClientOf(source: SdkClientSource): Promise<S3Client> {
  return typeof source === 'function' ? source() : Promise.resolve(source);
}

import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { StorageHeaders } from './object-headers.js';

type SdkHeaderParams = Pick<
  PutObjectCommandInput,
  'CacheControl' | 'ContentDisposition' | 'ContentLanguage' | 'Expires' | 'StorageClass' | 'ServerSideEncryption' | 'SSEKMSKeyId' | 'ACL'
>;

/** The SDK's names for the headers; PutObject, CreateMultipartUpload (via lib-storage) and CopyObject share them. */
export function sdkHeaderParams(headers: StorageHeaders | undefined): SdkHeaderParams {
  if (!headers) return {};
  const params: SdkHeaderParams = {};
  if (headers.cacheControl !== undefined) params.CacheControl = headers.cacheControl;
  if (headers.contentDisposition !== undefined) params.ContentDisposition = headers.contentDisposition;
  if (headers.contentLanguage !== undefined) params.ContentLanguage = headers.contentLanguage;
  if (headers.expires !== undefined) params.Expires = new Date(headers.expires);
  if (headers.storageClass !== undefined) params.StorageClass = headers.storageClass as SdkHeaderParams['StorageClass'];
  if (headers.sse !== undefined) params.ServerSideEncryption = headers.sse;
  if (headers.sseKmsKeyId !== undefined) params.SSEKMSKeyId = headers.sseKmsKeyId;
  if (headers.acl !== undefined) params.ACL = headers.acl as SdkHeaderParams['ACL'];
  return params;
}

/** Splits ObjectHeaders into what an UploadRequest carries as fields of their own and the rest. */
export function storageHeaders({ contentType: _type, metadata: _metadata, ...rest }: { contentType: string; metadata: Record<string, string> } & StorageHeaders): StorageHeaders {
  return rest;
}

/**
 * S3 Standard request prices, US East (N. Virginia), USD per 1,000 requests, from
 * https://aws.amazon.com/s3/pricing/ (Requests & data retrievals). The one place they are kept.
 * LIST is billed at the PUT rate, HEAD at the GET rate.
 */
export const REQUEST_PRICES_PER_1000 = {
  region: 'us-east-1',
  storageClass: 'STANDARD',
  putCopyPostList: 0.005,
  getSelectHead: 0.0004,
} as const;

const PUT_CLASS = new Set([
  'PutObject',
  'CopyObject',
  'ListObjectsV2',
  'ListObjects',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
]);
// DeleteObject(s) and AbortMultipartUpload are free.
const FREE = new Set(['DeleteObject', 'DeleteObjects', 'AbortMultipartUpload']);

/** Price in USD of the given request counts. */
export function requestCost(requests: Record<string, number>): number {
  let usd = 0;
  for (const [operation, n] of Object.entries(requests)) {
    if (FREE.has(operation)) continue;
    const price = PUT_CLASS.has(operation) ? REQUEST_PRICES_PER_1000.putCopyPostList : REQUEST_PRICES_PER_1000.getSelectHead;
    usd += (n / 1000) * price;
  }
  return usd;
}

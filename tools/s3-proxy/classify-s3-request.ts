/**
 * Names the S3 operation of a path-style request from its method, path, query and headers only, so
 * every tool is counted the same way whatever SDK it uses (the SDKs' own `x-id` hints are ignored).
 * Unknown shapes come back as `METHOD ?subresource` rather than being folded into a known operation.
 */
export function classifyS3Request(method: string, url: string, headers: Record<string, string | string[] | undefined> = {}): string {
  const parsed = new URL(url, 'http://placeholder');
  const query = parsed.searchParams;
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const verb = method.toUpperCase();
  const has = (name: string) => query.has(name);

  if (segments.length === 0) return verb === 'GET' ? 'ListBuckets' : `${verb} /`;

  if (segments.length === 1) {
    if (verb === 'GET' && has('location')) return 'GetBucketLocation';
    if (verb === 'GET' && has('uploads')) return 'ListMultipartUploads';
    if (verb === 'GET' && has('versioning')) return 'GetBucketVersioning';
    if (verb === 'GET' && has('acl')) return 'GetBucketAcl';
    if (verb === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (verb === 'HEAD') return 'HeadBucket';
    if (verb === 'PUT') return 'CreateBucket';
    if (verb === 'POST' && has('delete')) return 'DeleteObjects';
    if (verb === 'DELETE') return 'DeleteBucket';
    return `${verb} bucket${subresources(query)}`;
  }

  if (verb === 'HEAD') return 'HeadObject';
  if (verb === 'GET' && has('uploadId')) return 'ListParts';
  if (verb === 'GET' && has('acl')) return 'GetObjectAcl';
  if (verb === 'GET' && has('tagging')) return 'GetObjectTagging';
  if (verb === 'GET') return 'GetObject';
  if (verb === 'PUT' && has('partNumber') && has('uploadId')) return headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
  if (verb === 'PUT' && has('acl')) return 'PutObjectAcl';
  if (verb === 'PUT' && has('tagging')) return 'PutObjectTagging';
  if (verb === 'PUT') return headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  if (verb === 'POST' && has('uploads')) return 'CreateMultipartUpload';
  if (verb === 'POST' && has('uploadId')) return 'CompleteMultipartUpload';
  if (verb === 'DELETE' && has('uploadId')) return 'AbortMultipartUpload';
  if (verb === 'DELETE') return 'DeleteObject';
  return `${verb} object${subresources(query)}`;
}

function subresources(query: URLSearchParams): string {
  const names = [...query.keys()].filter((k) => k !== 'x-id');
  return names.length ? ` ?${names.sort().join('&')}` : '';
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyS3Request } from '../../tools/s3-proxy/classify-s3-request.js';

describe('classifyS3Request (path-style)', () => {
  it('names bucket-level operations', () => {
    assert.equal(classifyS3Request('GET', '/'), 'ListBuckets');
    assert.equal(classifyS3Request('GET', '/b?list-type=2&prefix=site%2F&max-keys=1'), 'ListObjectsV2');
    assert.equal(classifyS3Request('GET', '/b?prefix=site%2F&delimiter='), 'ListObjects');
    assert.equal(classifyS3Request('GET', '/b/?location'), 'GetBucketLocation');
    assert.equal(classifyS3Request('HEAD', '/b'), 'HeadBucket');
    assert.equal(classifyS3Request('PUT', '/b'), 'CreateBucket');
    assert.equal(classifyS3Request('POST', '/b?delete'), 'DeleteObjects');
    assert.equal(classifyS3Request('GET', '/b?uploads'), 'ListMultipartUploads');
  });

  it('names object-level operations, multipart included', () => {
    assert.equal(classifyS3Request('HEAD', '/b/site/a.txt'), 'HeadObject');
    assert.equal(classifyS3Request('GET', '/b/site/a.txt?x-id=GetObject'), 'GetObject');
    assert.equal(classifyS3Request('PUT', '/b/site/a.txt?x-id=PutObject'), 'PutObject');
    assert.equal(classifyS3Request('PUT', '/b/k', { 'x-amz-copy-source': '/b/j' }), 'CopyObject');
    assert.equal(classifyS3Request('POST', '/b/k?uploads'), 'CreateMultipartUpload');
    assert.equal(classifyS3Request('PUT', '/b/k?partNumber=2&uploadId=u1'), 'UploadPart');
    assert.equal(classifyS3Request('POST', '/b/k?uploadId=u1'), 'CompleteMultipartUpload');
    assert.equal(classifyS3Request('DELETE', '/b/k?uploadId=u1'), 'AbortMultipartUpload');
    assert.equal(classifyS3Request('GET', '/b/k?uploadId=u1'), 'ListParts');
    assert.equal(classifyS3Request('DELETE', '/b/k'), 'DeleteObject');
  });

  it('does not take a key that looks like a query word for a subresource', () => {
    assert.equal(classifyS3Request('PUT', '/b/uploads'), 'PutObject');
    assert.equal(classifyS3Request('HEAD', '/b/dir/location'), 'HeadObject');
  });

  it('keeps unknown shapes visible instead of folding them into a known operation', () => {
    assert.equal(classifyS3Request('POST', '/b/k?restore'), 'POST object ?restore');
    assert.equal(classifyS3Request('PATCH', '/b'), 'PATCH bucket');
  });

  // The shapes the fault proxy's rules match on, as the SDK sends them (x-id hints, trailing slashes, empty values).
  const sdkShapes: Array<[string, string, string]> = [
    ['HEAD', '/b/dir/k.txt', 'HeadObject'],
    ['HEAD', '/b/', 'HeadBucket'],
    ['GET', '/b/?list-type=2', 'ListObjectsV2'],
    ['PUT', '/b/k?x-id=UploadPart&partNumber=1&uploadId=abc', 'UploadPart'],
    ['PUT', '/b/k?partNumber=1', 'PutObject'],
    ['POST', '/b/k?uploads=&x-id=CreateMultipartUpload', 'CreateMultipartUpload'],
    ['POST', '/b?delete=', 'DeleteObjects'],
    ['DELETE', '/b/k?uploadId=abc&x-id=AbortMultipartUpload', 'AbortMultipartUpload'],
    ['HEAD', '/', 'HEAD /'],
    ['OPTIONS', '/b/k', 'OPTIONS object'],
  ];
  for (const [method, url, expected] of sdkShapes) {
    it(`${method} ${url} → ${expected}`, () => assert.equal(classifyS3Request(method, url), expected));
  }
});

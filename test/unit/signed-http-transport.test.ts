import type { S3Client } from '@aws-sdk/client-s3';
import type { RetryStrategyV2 } from '@smithy/types';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { connectionOfClient } from '../../src/s3/connection.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { resolveConnection } from '../../src/s3/resolve-connection.js';
import { describeS3Error, isNotFound, s3ErrorInfo } from '../../src/s3/s3-error.js';
import { createSignedHttpTransport, type SignedHttpTransport } from '../../src/s3/transport/signed-http-transport.js';
import { isPreconditionFailed } from '../../src/s3/transport/transport-error.js';
import { closedPort } from '../helpers/closed-port.js';
import { s3ErrorXml, startRecordingServer, xmlAnswer, type RecordingServer } from '../helpers/recording-server.js';

const CREDENTIALS = { accessKeyId: 'AKIDTRANSPORTTEST', secretAccessKey: 'transport-secret' };

describe('signed HTTP transport', () => {
  let server: RecordingServer;
  let client: S3Client;
  let transport: SignedHttpTransport;
  let attempts: string[];

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.queue.length = 0;
    client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 3 });
    transport = createSignedHttpTransport({ connection: connectionOfClient(client), stallTimeoutMs: 300 });
    attempts = [];
    transport.addAttemptListener((operation) => attempts.push(operation));
  });

  it('signs a HEAD with SigV4 for the client region and reads size, ETag, encoding and user metadata', async () => {
    server.queue.push((_request, response) =>
      response.writeHead(200, { 'content-length': '1234', etag: '"e1"', 'content-encoding': 'gzip', 'x-amz-meta-s3zipsync-crc32': '0d4a1185' }).end(),
    );
    const head = await transport.headObject({ bucket: 'my-bucket', key: 'dir/a b+c.txt' });
    assert.deepEqual(head, { ContentLength: 1234, ETag: '"e1"', ContentEncoding: 'gzip', Metadata: { 's3zipsync-crc32': '0d4a1185' } });
    const [request] = server.requests;
    assert.equal(request!.method, 'HEAD');
    assert.equal(request!.url, '/my-bucket/dir/a%20b%2Bc.txt');
    assert.match(String(request!.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTRANSPORTTEST\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    assert.match(String(request!.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    // Plain HTTP: the (empty) payload is signed, as the SDK does.
    assert.equal(request!.headers['x-amz-content-sha256'], createHash('sha256').update('').digest('hex'));
    assert.deepEqual(attempts, ['HeadObject']);
  });

  it('answers a 404 HEAD with null as a success: one attempt, no retry consulted', async () => {
    const strategy = (await client.config.retryStrategy()) as RetryStrategyV2;
    let refreshed = 0;
    let succeeded = 0;
    const refresh = strategy.refreshRetryTokenForRetry.bind(strategy);
    const success = strategy.recordSuccess.bind(strategy);
    strategy.refreshRetryTokenForRetry = (...args) => {
      refreshed++;
      return refresh(...args);
    };
    strategy.recordSuccess = (...args) => {
      succeeded++;
      success(...args);
    };
    server.queue.push((_request, response) => response.writeHead(404).end());
    assert.equal(await transport.headObject({ bucket: 'my-bucket', key: 'missing' }), null);
    assert.deepEqual({ refreshed, succeeded, attempts: attempts.length }, { refreshed: 0, succeeded: 1, attempts: 1 });
  });

  it('PUTs the body with content type, metadata, checksum and conditions as headers, signed over the body', async () => {
    server.queue.push((_request, response) => response.writeHead(200, { etag: '"abc"' }).end());
    const body = Buffer.from('hello world');
    const answer = await transport.putObject({
      bucket: 'my-bucket',
      key: 'k.txt',
      body,
      contentType: 'text/plain',
      metadata: { 's3zipsync-crc32': '0d4a1185' },
      checksumCrc32: 'DUoRhQ==',
      ifNoneMatch: '*',
    });
    assert.deepEqual(answer, { etag: '"abc"', attempts: 1 });
    const [request] = server.requests;
    assert.equal(request!.method, 'PUT');
    assert.deepEqual(request!.body, body);
    assert.equal(request!.headers['content-length'], String(body.length));
    assert.equal(request!.headers['content-type'], 'text/plain');
    assert.equal(request!.headers['x-amz-meta-s3zipsync-crc32'], '0d4a1185');
    assert.equal(request!.headers['x-amz-checksum-crc32'], 'DUoRhQ==');
    assert.equal(request!.headers['if-none-match'], '*');
    assert.equal(request!.headers['x-amz-content-sha256'], createHash('sha256').update(body).digest('hex'));
    for (const signed of ['content-type', 'x-amz-meta-s3zipsync-crc32', 'x-amz-checksum-crc32', 'if-none-match']) {
      assert.match(String(request!.headers.authorization), new RegExp(`SignedHeaders=[^,]*${signed}`));
    }
  });

  it('a failed condition is a distinct PreconditionFailed (412) error, not retried', async () => {
    server.queue.push(xmlAnswer(412, s3ErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold')));
    const error = await transport.putObject({ bucket: 'b', key: 'k', body: Buffer.from('x'), ifMatch: '"old"' }).catch((e: unknown) => e);
    assert.ok(isPreconditionFailed(error));
    assert.equal(describeS3Error(error), 'PreconditionFailed (HTTP 412): At least one of the pre-conditions you specified did not hold');
    assert.equal(server.requests[0]!.headers['if-match'], '"old"');
    assert.equal(attempts.length, 1);
  });

  it('retries a 500 and a 503 SlowDown with the same bytes, counting every attempt', async () => {
    server.queue.push(xmlAnswer(500, s3ErrorXml('InternalError', 'We encountered an internal error')));
    server.queue.push(xmlAnswer(503, s3ErrorXml('SlowDown', 'Please reduce your request rate')));
    const body = Buffer.from('same bytes every time');
    await transport.putObject({ bucket: 'b', key: 'k', body });
    assert.equal(server.requests.length, 3);
    for (const request of server.requests) assert.deepEqual(request.body, body);
    assert.deepEqual(attempts, ['PutObject', 'PutObject', 'PutObject']);
  });

  it('gives up after maxAttempts with the last error, shaped like the SDK error', async () => {
    for (let i = 0; i < 3; i++) server.queue.push(xmlAnswer(500, s3ErrorXml('InternalError', 'We encountered an internal error')));
    const error = await transport.listObjectsV2({ bucket: 'b' }).catch((e: unknown) => e);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(s3ErrorInfo(error), { name: 'InternalError', status: 500, network: false, message: 'We encountered an internal error' });
  });

  it('names a bodiless error answer (HEAD) as the SDK does: NotFound for 404, Unknown otherwise', async () => {
    server.queue.push((_request, response) => response.writeHead(403).end());
    const error = await transport.headObject({ bucket: 'b', key: 'k' }).catch((e: unknown) => e);
    assert.deepEqual(s3ErrorInfo(error), { name: 'Unknown', status: 403, network: false, message: 'UnknownError' });
    assert.equal(describeS3Error(error), 'Unknown (HTTP 403)');
  });

  it('maps S3 error XML to name, status and message; a client error is not retried', async () => {
    server.queue.push(xmlAnswer(404, s3ErrorXml('NoSuchBucket', 'The specified bucket does not exist')));
    const error = await transport.listObjectsV2({ bucket: 'nope', prefix: 'p/' }).catch((e: unknown) => e);
    assert.equal(describeS3Error(error), 'NoSuchBucket (HTTP 404): The specified bucket does not exist');
    assert.ok(isNotFound(error));
    assert.equal(server.requests.length, 1);
  });

  it('redacts an access key a server echoes in its message', async () => {
    server.queue.push(xmlAnswer(403, s3ErrorXml('InvalidAccessKeyId', 'The key AKIAABCDEFGHIJKLMNOP does not exist')));
    const error = await transport.listObjectsV2({ bucket: 'b' }).catch((e: unknown) => e);
    assert.equal(describeS3Error(error), 'InvalidAccessKeyId (HTTP 403): The key AKIA…(redacted) does not exist');
  });

  it('tells a listing page\'s token before parsing the page, where the page writes it before its objects', async () => {
    const objects = Array.from({ length: 300 }, (_, i) => `<Contents><Key>p/${i}</Key><Size>${i}</Size></Contents>`).join('');
    server.queue.push(xmlAnswer(200, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><NextContinuationToken>a&amp;b=</NextContinuationToken><IsTruncated>true</IsTruncated>${objects}</ListBucketResult>`));
    server.queue.push(xmlAnswer(200, `<ListBucketResult><IsTruncated>true</IsTruncated>${objects}<NextContinuationToken>late</NextContinuationToken></ListBucketResult>`));
    server.queue.push(xmlAnswer(200, `<ListBucketResult><IsTruncated>false</IsTruncated>${objects}</ListBucketResult>`));
    const told: string[] = [];
    const early = { onNextContinuationToken: (token: string) => told.push(token) };
    const first = await transport.listObjectsV2({ bucket: 'b' }, undefined, early);
    assert.deepEqual(told, ['a&b=']);
    assert.equal(first.NextContinuationToken, 'a&b=');
    assert.equal(first.Contents.length, 300);
    // After the objects (beyond the first KiBs), or on the last page: nothing told early.
    assert.equal((await transport.listObjectsV2({ bucket: 'b' }, undefined, early)).NextContinuationToken, 'late');
    await transport.listObjectsV2({ bucket: 'b' }, undefined, early);
    assert.deepEqual(told, ['a&b=']);
  });

  it('says when a listing request is on its way, once, before its answer', async () => {
    const events: string[] = [];
    server.queue.push(xmlAnswer(200, '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'));
    await transport.listObjectsV2({ bucket: 'b' }, undefined, { onSent: () => events.push('sent') });
    events.push('answered');
    assert.deepEqual(events, ['sent', 'answered']);
  });

  it('lists one page: query parameters signed and sent, the answer parsed', async () => {
    server.queue.push(
      xmlAnswer(
        200,
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated><Contents><Key>p/ a&amp;b</Key><Size>5</Size><ETag>"e"</ETag></Contents><Contents><Key>p/0123</Key><Size>0</Size></Contents><NextContinuationToken>next/token=</NextContinuationToken></ListBucketResult>',
      ),
    );
    const page = await transport.listObjectsV2({ bucket: 'b', prefix: 'p/', maxKeys: 1000, continuationToken: 'tok/en=' });
    assert.deepEqual(page, {
      Contents: [
        { Key: 'p/ a&b', Size: 5, ETag: '"e"' },
        { Key: 'p/0123', Size: 0 },
      ],
      CommonPrefixes: [],
      IsTruncated: true,
      NextContinuationToken: 'next/token=',
      KeyCount: 2,
    });
    const url = new URL(server.requests[0]!.url, 'http://x');
    assert.equal(url.pathname, '/b/');
    assert.deepEqual(Object.fromEntries(url.searchParams), { 'list-type': '2', prefix: 'p/', 'max-keys': '1000', 'continuation-token': 'tok/en=' });
  });

  it('deletes keys in quiet mode with a Content-MD5 and reads the per-key errors', async () => {
    server.queue.push(xmlAnswer(200, '<DeleteResult><Error><Key>b&amp;c</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>'));
    const answer = await transport.deleteObjects({ bucket: 'b', keys: ['a', 'b&c'] });
    assert.deepEqual(answer, { errors: [{ Key: 'b&c', Code: 'AccessDenied', Message: 'Access Denied' }] });
    const [request] = server.requests;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/b/?delete=');
    assert.equal(request!.headers['content-md5'], createHash('md5').update(request!.body).digest('base64'));
    assert.match(request!.body.toString(), /<Delete><Quiet>true<\/Quiet><Object><Key>a<\/Key><\/Object><Object><Key>b&amp;c<\/Key><\/Object><\/Delete>/);
  });

  it('a stalled answer fails the attempt with a retryable TimeoutError after the stall timeout', async () => {
    server.queue.push(() => {}, () => {}, () => {});
    const started = Date.now();
    const error = await transport.headObject({ bucket: 'b', key: 'k' }).catch((e: unknown) => e);
    assert.equal(s3ErrorInfo(error).name, 'TimeoutError');
    assert.ok(s3ErrorInfo(error).network);
    assert.equal(server.requests.length, 3);
    assert.ok(Date.now() - started >= 900);
  });

  it('follows a region redirect once, signing for the bucket region S3 names', async () => {
    server.queue.push(xmlAnswer(301, s3ErrorXml('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint'), { 'x-amz-bucket-region': 'eu-west-1' }));
    await transport.headObject({ bucket: 'b', key: 'k' });
    assert.equal(server.requests.length, 2);
    assert.match(String(server.requests[0]!.headers.authorization), /\/us-east-1\/s3\//);
    assert.match(String(server.requests[1]!.headers.authorization), /\/eu-west-1\/s3\//);
  });

  it('an aborted request rejects at once and is not retried', async () => {
    server.queue.push(() => {});
    const controller = new AbortController();
    const pending = transport.headObject({ bucket: 'b', key: 'k' }, controller.signal).catch((e: unknown) => e);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending;
    assert.equal((error as Error).name, 'AbortError');
    assert.equal(server.requests.length, 1);
  });

  it('a PUT whose request has entirely left is awaited on abort, so the outcome reported is what S3 did', async () => {
    server.queue.push((_request, response) => setTimeout(() => response.writeHead(200, { etag: '"stored"' }).end(), 100));
    const controller = new AbortController();
    const pending = transport.putObject({ bucket: 'b', key: 'k', body: Buffer.from('all of it') }, controller.signal);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    assert.deepEqual(await pending, { etag: '"stored"', attempts: 1 });
  });

  it('a refused connection is a network error naming ECONNREFUSED', async () => {
    const port = await closedPort();
    const offline = createSignedHttpTransport({
      connection: resolveConnection({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1 }),
    });
    const error = await offline.headObject({ bucket: 'b', key: 'k' }).catch((e: unknown) => e);
    assert.deepEqual({ name: s3ErrorInfo(error).name, network: s3ErrorInfo(error).network }, { name: 'ECONNREFUSED', network: true });
    offline.destroy();
  });
});

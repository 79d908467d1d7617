import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deleteObjects, type DeleteResult } from '../../src/delete/delete-objects.js';
import { sdkTransport } from '../../src/s3/transport/sdk-transport.js';
import { mockableClient, sdkError } from '../helpers/sdk-errors.js';

// s3rver never answers a DeleteObjects with per-key errors, and AWS does (AccessDenied on one key,
// for instance): those answers are mocked here. Batching against a real server is in test/integration/mirror.test.ts.
describe('deleteObjects', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterEach(() => s3.reset());

  const run = async (keys: string[], extra: { batchAttempts?: number; signal?: AbortSignal } = {}) => {
    const results: DeleteResult[] = [];
    const totals = await deleteObjects({ transport: sdkTransport(mockableClient()), bucket: 'b', keys, onResult: (r) => results.push(r), ...extra });
    return { totals, results };
  };

  it('sends batches of at most 1,000 keys, in quiet mode, and reports every key deleted', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    const keys = Array.from({ length: 2345 }, (_, i) => `p/k${i}`);
    const { totals, results } = await run(keys);
    const batches = s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input);
    assert.deepEqual(batches.map((input) => input.Delete?.Objects?.length), [1000, 1000, 345]);
    assert.deepEqual(batches[0]!.Delete?.Objects?.[0], { Key: 'p/k0' });
    assert.equal(batches[0]!.Delete?.Quiet, true);
    assert.equal(batches[0]!.Bucket, 'b');
    assert.deepEqual(totals, { deleted: 2345, failed: 0, notSent: 0 });
    assert.deepEqual(results.map((r) => r.key), keys);
  });

  it('reports the keys S3 names in Errors as failed, with code and message, and the others as deleted', async () => {
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'p/b', Code: 'AccessDenied', Message: 'Access Denied' }] });
    const { totals, results } = await run(['p/a', 'p/b', 'p/c']);
    assert.deepEqual(totals, { deleted: 2, failed: 1, notSent: 0 });
    assert.deepEqual(results, [
      { key: 'p/a', deleted: true },
      { key: 'p/b', deleted: false, reason: 'AccessDenied: Access Denied' },
      { key: 'p/c', deleted: true },
    ]);
  });

  it('repeats a batch whose request failed, and reports each key failed when it keeps failing', async () => {
    s3.on(DeleteObjectsCommand).rejectsOnce(sdkError('InternalError', 500, 'We encountered an internal error')).resolves({});
    assert.deepEqual((await run(['p/a', 'p/b'])).totals, { deleted: 2, failed: 0, notSent: 0 });
    assert.equal(s3.commandCalls(DeleteObjectsCommand).length, 2);

    s3.reset();
    s3.on(DeleteObjectsCommand).rejects(sdkError('AccessDenied', 403, 'Access Denied'));
    const { totals, results } = await run(['p/a', 'p/b'], { batchAttempts: 2 });
    assert.deepEqual(totals, { deleted: 0, failed: 2, notSent: 0 });
    assert.deepEqual(results[1], { key: 'p/b', deleted: false, reason: 'DeleteObjects failed: AccessDenied (HTTP 403): Access Denied' });
    assert.equal(s3.commandCalls(DeleteObjectsCommand).length, 2);
  });

  it('sends no further batch once the signal is aborted, and says how many keys were not sent', async () => {
    const controller = new AbortController();
    s3.on(DeleteObjectsCommand).callsFake(() => {
      controller.abort();
      return {};
    });
    const keys = Array.from({ length: 2500 }, (_, i) => `p/k${i}`);
    const { totals } = await run(keys, { signal: controller.signal });
    assert.deepEqual(totals, { deleted: 1000, failed: 0, notSent: 1500 });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openS3Session } from '../../src/s3/session.js';

const options = {
  clientOptions: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } },
  requestPath: 'signed-http' as const,
  maxSockets: 8,
  pacer: 'window' as const,
  maxInFlight: 8,
  stallTimeoutMs: 60_000,
};

describe('openS3Session', () => {
  it('puts its own SDK client under the pacer once: two layers would take two permits per request and could wait on each other', async () => {
    const session = await openS3Session(options);
    try {
      const client = await session.sdkClient();
      const pacing = client.middlewareStack.identify().filter((name) => name.startsWith('s3zipsyncPacing'));
      assert.equal(pacing.length, 1, pacing.join(', '));
    } finally {
      await session.close();
    }
  });
});

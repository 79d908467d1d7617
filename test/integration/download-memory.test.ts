import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { clientConfigOf, credentialsOf, measureMemory, type MemoryMeasurement } from '../../bench/suites/download/measure-memory.js';
import type { DownloadTarget } from '../../bench/suites/download/types.js';
import { sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';

const BUCKET = 'memory-bucket';
const SIZE = 4 * 1024 * 1024;
// The probe loads methods.ts by name; until it exists there is nothing to measure.
const methodsPresent = existsSync(new URL('../../bench/suites/download/methods.ts', import.meta.url));

describe('bench: download memory probe', { skip: methodsPresent ? false : 'methods.ts not present yet' }, () => {
  let s3: TestS3;
  let target: Omit<DownloadTarget, 'client'>;
  const measure = async (method: string, overrides: Partial<Omit<DownloadTarget, 'client'>> = {}): Promise<MemoryMeasurement> =>
    measureMemory({
      method,
      parallel: 4,
      clientConfig: await clientConfigOf(s3.client),
      credentials: await credentialsOf(s3.client),
      target: { ...target, ...overrides },
    });

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    // Random, so no layer on the way can shrink it by compression.
    const body = randomBytes(SIZE);
    target = { bucket: BUCKET, key: 'fixture-4MB.bin', storedBytes: SIZE, decodedBytes: SIZE, decodedSha256: sha256(body), gzipped: false };
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: target.key, Body: body }));
  });
  after(async () => {
    await s3?.close();
  });

  it('hands the probe the client settings and credentials it needs', async () => {
    assert.deepEqual(await clientConfigOf(s3.client), { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true });
    // Field by field: the SDK tags the credentials object it was given with a `$source`.
    const { accessKeyId, secretAccessKey } = s3.credentials;
    assert.deepEqual(await credentialsOf(s3.client), { accessKeyId, secretAccessKey });
  });

  it('shows whole holding the object and chunks-natural streaming it', async () => {
    const whole = await measure('whole');
    // Under CPU contention the consumer falls behind and the whole object can genuinely sit in the
    // socket's stream buffers for a moment (a full GC at every sample still counts it), so the
    // streaming figure is the smallest of up to three runs: what the method needs, not what load adds.
    let chunks = await measure('chunks-natural');
    for (let attempt = 1; attempt < 3 && chunks.peakArrayBuffersGrowthBytes >= 0.75 * SIZE; attempt++) {
      const again = await measure('chunks-natural');
      if (!again.ok || again.peakArrayBuffersGrowthBytes < chunks.peakArrayBuffersGrowthBytes) chunks = again;
    }
    for (const [name, m] of [['whole', whole], ['chunks-natural', chunks]] as const) {
      assert.equal(m.ok, true, `${name}: ${m.problem}`);
      assert.equal(m.problem, undefined);
      assert.ok(m.ms > 0, `${name} ms ${m.ms}`);
      assert.ok(m.cpuUserMs + m.cpuSystemMs > 0, `${name} cpu ${m.cpuUserMs}+${m.cpuSystemMs}`);
      assert.ok(m.peakRssGrowthBytes >= 0 && m.peakHeapGrowthBytes >= 0 && m.peakArrayBuffersGrowthBytes >= 0);
    }
    // Generous: whole must at least hold the body once, however it assembles it.
    assert.ok(
      Math.max(whole.peakArrayBuffersGrowthBytes, whole.peakRssGrowthBytes) >= 0.9 * SIZE,
      `whole: arrayBuffers +${whole.peakArrayBuffersGrowthBytes}, RSS +${whole.peakRssGrowthBytes}`,
    );
    assert.ok(chunks.peakArrayBuffersGrowthBytes < 0.75 * SIZE, `chunks-natural: arrayBuffers +${chunks.peakArrayBuffersGrowthBytes}`);
    assert.ok(
      chunks.peakArrayBuffersGrowthBytes < whole.peakArrayBuffersGrowthBytes,
      `chunks-natural +${chunks.peakArrayBuffersGrowthBytes} vs whole +${whole.peakArrayBuffersGrowthBytes}`,
    );
  });

  it('reports wrong bytes as ok: false, not as a crash', async () => {
    const wrong = await measure('chunks-natural', { decodedSha256: '0'.repeat(64) });
    assert.equal(wrong.ok, false);
    assert.match(wrong.problem ?? '', /sha256/);
  });

  it('rejects with one line naming the method when the probe cannot run it', async () => {
    await assert.rejects(measure('no-such-method'), (error: Error) => {
      assert.match(error.message, /^memory probe of no-such-method exited with code 1: memory-probe: no method named no-such-method/);
      assert.doesNotMatch(error.message, /\n/);
      assert.doesNotMatch(error.message, /S3RVER/);
      return true;
    });
  });
});

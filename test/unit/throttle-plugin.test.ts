import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProxiedRequest } from '../../tools/s3-proxy/reverse-proxy.js';
import { createThrottlePlugin, defaultBurst, requestClassOf, SLOW_DOWN } from '../../tools/s3-proxy/throttle-plugin.js';

const put = (bucket = 'b', key = 'site/a.txt'): ProxiedRequest => ({ method: 'PUT', url: `/${bucket}/${key}?x-id=PutObject`, operation: 'PutObject', headers: {} });
const head = (bucket = 'b'): ProxiedRequest => ({ method: 'HEAD', url: `/${bucket}/site/a.txt`, operation: 'HeadObject', headers: {} });
const list = (bucket = 'b'): ProxiedRequest => ({ method: 'GET', url: `/${bucket}?list-type=2`, operation: 'ListObjectsV2', headers: {} });

/** A clock the test moves by hand. */
function manualClock() {
  let ms = 1000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

/** How many of `n` requests made at the clock's present instant pass. */
function passing(plugin: ReturnType<typeof createThrottlePlugin>, n: number, make: () => ProxiedRequest): number {
  let passed = 0;
  for (let i = 0; i < n; i++) if (plugin.onRequest!(make()) === undefined) passed++;
  return passed;
}

describe('throttle plugin', () => {
  it('lets a burst through, then answers 503 SlowDown until tokens come back at the rate', () => {
    const clock = manualClock();
    const plugin = createThrottlePlugin({ rates: { put: 300 }, burst: { put: 5 }, now: clock.now });
    assert.equal(passing(plugin, 5, put), 5);
    assert.deepEqual(plugin.onRequest!(put()), SLOW_DOWN);
    clock.advance(10); // 3 tokens at 300/s
    assert.equal(passing(plugin, 10, put), 3);
    clock.advance(1000); // refills to the burst, never beyond it
    assert.equal(passing(plugin, 10, put), 5);
    assert.deepEqual(plugin.current(), { put: 1 + 7 + 5, get: 0, list: 0 });
  });

  it('over a long run, passes the rate and no more', () => {
    const clock = manualClock();
    const plugin = createThrottlePlugin({ rates: { put: 300 }, burst: { put: 30 }, now: clock.now });
    let passed = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      passed += passing(plugin, 2, put); // 2,000 requests a second offered
      clock.advance(1);
    }
    assert.ok(passed >= 3000 && passed <= 3030, `passed ${passed}`);
  });

  it('keeps one bucket of tokens per S3 bucket and per class; unlimited classes pass', () => {
    const clock = manualClock();
    const plugin = createThrottlePlugin({ rates: { put: 10, list: 10 }, burst: { put: 1, list: 1 }, now: clock.now });
    assert.equal(passing(plugin, 3, () => put('one')), 1);
    assert.equal(passing(plugin, 3, () => put('two')), 1);
    assert.equal(passing(plugin, 3, () => list('one')), 1);
    assert.equal(passing(plugin, 100, () => head('one')), 100);
    assert.deepEqual(plugin.take(), { put: 4, get: 0, list: 2 });
    assert.deepEqual(plugin.current(), { put: 0, get: 0, list: 0 });
  });

  it('answers a HEAD with the same 503 (the proxy sends HEAD answers without a body)', () => {
    const clock = manualClock();
    const plugin = createThrottlePlugin({ rates: { get: 1 }, burst: { get: 1 }, now: clock.now });
    assert.equal(plugin.onRequest!(head()), undefined);
    assert.deepEqual(plugin.onRequest!(head()), { respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } });
    assert.deepEqual(plugin.take(), { put: 0, get: 1, list: 0 });
  });

  it('disabled, passes everything and counts nothing; enabled again, starts from full buckets', () => {
    const clock = manualClock();
    const plugin = createThrottlePlugin({ rates: { put: 1 }, burst: { put: 2 }, now: clock.now });
    assert.equal(passing(plugin, 3, put), 2);
    plugin.setEnabled(false);
    assert.equal(passing(plugin, 50, put), 50);
    plugin.setEnabled(true);
    assert.equal(passing(plugin, 3, put), 2);
    assert.deepEqual(plugin.current(), { put: 2, get: 0, list: 0 });
  });

  it('classes operations as S3 limits them; bucket-level calls are not limited', () => {
    assert.equal(requestClassOf('CompleteMultipartUpload'), 'put');
    assert.equal(requestClassOf('DeleteObjects'), 'put');
    assert.equal(requestClassOf('CopyObject'), 'put');
    assert.equal(requestClassOf('HeadObject'), 'get');
    assert.equal(requestClassOf('ListObjectsV2'), 'list');
    assert.equal(requestClassOf('HeadBucket'), undefined);
    assert.equal(requestClassOf('CreateBucket'), undefined);
  });

  it('defaults the burst to a tenth of a second, at least 1, and refuses rates ≤ 0', () => {
    assert.equal(defaultBurst(300), 30);
    assert.equal(defaultBurst(3), 1);
    assert.throws(() => createThrottlePlugin({ rates: { put: 0 } }), /rate of put/);
    assert.throws(() => createThrottlePlugin({ rates: { put: 10 }, burst: { put: 0.5 } }), /burst of put/);
  });
});

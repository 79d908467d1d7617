import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCountingPlugin } from '../../tools/s3-proxy/counting-proxy.js';
import { createLatencyPlugin } from '../../tools/s3-proxy/latency-plugin.js';
import { startReverseProxy, type ReverseProxy } from '../../tools/s3-proxy/reverse-proxy.js';
import { createThrottlePlugin } from '../../tools/s3-proxy/throttle-plugin.js';

describe('reverse proxy with the latency and throttle plugins together', () => {
  let upstream: Server;
  let proxy: ReverseProxy;
  let upstreamRequests = 0;
  const counting = createCountingPlugin();
  // One PUT a minute: the second PUT in a test is always over the rate, whatever the machine's speed.
  const throttle = createThrottlePlugin({ rates: { put: 1 / 60, get: 1 / 60 }, burst: { put: 1, get: 1 } });

  before(async () => {
    upstream = createServer((req, res) => {
      upstreamRequests++;
      req.resume();
      res.end('from upstream');
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const { port } = upstream.address() as AddressInfo;
    proxy = await startReverseProxy(`http://127.0.0.1:${port}`, { plugins: [counting, throttle, createLatencyPlugin({ default: 0, ListObjectsV2: 80, PutObject: 40 })] });
  });
  after(async () => {
    await proxy?.stop();
    upstream?.close();
  });

  it('delays the answers of the operations configured, and answers over the rate with 503 SlowDown after the same delay', async () => {
    const started = performance.now();
    const listed = await fetch(`${proxy.endpoint}/b?list-type=2`);
    assert.equal(await listed.text(), 'from upstream');
    assert.ok(performance.now() - started >= 79, 'the listing waited its 80 ms');

    const first = await fetch(`${proxy.endpoint}/b/k1`, { method: 'PUT', body: 'x' });
    assert.equal(first.status, 200);
    await first.text();
    const before503 = upstreamRequests;
    const t0 = performance.now();
    const second = await fetch(`${proxy.endpoint}/b/k2`, { method: 'PUT', body: 'y' });
    const body = await second.text();
    assert.ok(performance.now() - t0 >= 39, 'the 503 waited the PUT delay too');
    assert.equal(second.status, 503);
    assert.match(body, /<Code>SlowDown<\/Code><Message>Please reduce your request rate\.<\/Message>/);
    assert.equal(upstreamRequests, before503, 'a throttled request never reaches the server');
    assert.deepEqual(throttle.take(), { put: 1, get: 0, list: 0 });
    assert.equal(counting.current().errors['PutObject 503'], 1);
  });

  it('answers a throttled HEAD with the status alone', async () => {
    const ok = await fetch(`${proxy.endpoint}/b/k1`, { method: 'HEAD' });
    assert.equal(ok.status, 200);
    const throttled = await fetch(`${proxy.endpoint}/b/k1`, { method: 'HEAD' });
    assert.equal(throttled.status, 503);
    assert.equal(await throttled.text(), '');
    assert.deepEqual(throttle.take(), { put: 0, get: 1, list: 0 });
  });
});

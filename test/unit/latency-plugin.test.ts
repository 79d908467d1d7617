import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLatencyPlugin, describeLatency, parseLatencyConfig } from '../../tools/s3-proxy/latency-plugin.js';
import type { ProxiedRequest } from '../../tools/s3-proxy/reverse-proxy.js';

const request = (operation: string): ProxiedRequest => ({ method: 'GET', url: '/b/k', operation, headers: {} });

describe('latency plugin', () => {
  it("delays each request by its operation's delay, the default for the others", () => {
    const plugin = createLatencyPlugin({ default: 20, ListObjectsV2: 60 });
    assert.deepEqual(plugin.onRequest!(request('ListObjectsV2')), { delayMs: 60 });
    assert.deepEqual(plugin.onRequest!(request('PutObject')), { delayMs: 20 });
    assert.deepEqual(plugin.onRequest!(request('HeadBucket')), { delayMs: 20 });
  });

  it('asks for nothing where the delay is 0', () => {
    const plugin = createLatencyPlugin({ default: 0, HeadObject: 5 });
    assert.equal(plugin.onRequest!(request('PutObject')), undefined);
    assert.deepEqual(plugin.onRequest!(request('HeadObject')), { delayMs: 5 });
  });

  it('refuses a negative or non-numeric delay', () => {
    assert.throws(() => createLatencyPlugin({ default: -1 }), /≥ 0/);
    assert.throws(() => createLatencyPlugin({ default: 1, GetObject: Number.NaN }), /GetObject/);
  });
});

describe('parseLatencyConfig', () => {
  it('reads OPERATION=MS pairs and a bare default', () => {
    assert.deepEqual(parseLatencyConfig('default=20,ListObjectsV2=60'), { default: 20, ListObjectsV2: 60 });
    assert.deepEqual(parseLatencyConfig('15, HeadObject=2.5'), { default: 15, HeadObject: 2.5 });
    assert.deepEqual(parseLatencyConfig(''), { default: 0 });
  });

  it('names the item it cannot read', () => {
    assert.throws(() => parseLatencyConfig('default=20,ListObjectsV2=soon'), /ListObjectsV2=soon/);
    assert.throws(() => parseLatencyConfig('PutObject='), /PutObject=/);
    assert.throws(() => parseLatencyConfig('-3'), /-3/);
  });

  it('describes a config for the report', () => {
    assert.equal(describeLatency({ default: 20, ListObjectsV2: 60 }), 'default 20 ms, ListObjectsV2 60 ms');
  });
});

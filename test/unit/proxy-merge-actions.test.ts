import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeActions } from '../../tools/s3-proxy/reverse-proxy.js';

describe('mergeActions', () => {
  it("takes each field from the first action that sets it, so a delay and a 503 from two plugins both apply", () => {
    const throttle = { respond: { status: 503, code: 'SlowDown' } };
    assert.deepEqual(mergeActions(throttle, { delayMs: 20 }), { respond: { status: 503, code: 'SlowDown' }, delayMs: 20 });
    assert.deepEqual(mergeActions({ delayMs: 5 }, { delayMs: 20, resetConnection: 'mid-body' }), { delayMs: 5, resetConnection: 'mid-body' });
  });
});

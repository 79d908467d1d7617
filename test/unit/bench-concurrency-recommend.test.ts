import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recommendConcurrency, sweepMedians } from '../../bench/concurrency/recommend.js';

describe('concurrency recommendation', () => {
  it('takes medians per value and phase', () => {
    const points = sweepMedians([
      { concurrency: 8, phase: 'initial', wallSeconds: 3 },
      { concurrency: 8, phase: 'initial', wallSeconds: 1 },
      { concurrency: 8, phase: 'initial', wallSeconds: 2 },
      { concurrency: 8, phase: 'resync', wallSeconds: 5 },
      { concurrency: 2, phase: 'initial', wallSeconds: 9 },
      { concurrency: 2, phase: 'resync', wallSeconds: 9 },
    ]);
    assert.deepEqual(points, [
      { concurrency: 2, initialSeconds: 9, resyncSeconds: 9 },
      { concurrency: 8, initialSeconds: 2, resyncSeconds: 5 },
    ]);
  });

  it('picks the smallest value within the tolerance of the best in both phases', () => {
    const rec = recommendConcurrency([
      { concurrency: 4, initialSeconds: 12, resyncSeconds: 4 },
      { concurrency: 8, initialSeconds: 10.3, resyncSeconds: 4.1 },
      { concurrency: 16, initialSeconds: 10, resyncSeconds: 4 },
      { concurrency: 32, initialSeconds: 10.1, resyncSeconds: 4.3 },
    ]);
    assert.equal(rec.concurrency, 8);
  });

  it('falls back to the smallest combined slowdown when no value is near the best in both', () => {
    const rec = recommendConcurrency([
      { concurrency: 2, initialSeconds: 20, resyncSeconds: 2 },
      { concurrency: 16, initialSeconds: 10, resyncSeconds: 3 },
      { concurrency: 64, initialSeconds: 9, resyncSeconds: 5 },
    ]);
    assert.equal(rec.concurrency, 16);
    assert.match(rec.reason, /smallest combined slowdown/);
  });

  it('refuses to recommend from nothing', () => {
    assert.throws(() => recommendConcurrency([]), RangeError);
  });
});

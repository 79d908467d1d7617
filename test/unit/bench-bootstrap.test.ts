import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapMedianCI } from '../../bench/engine/bootstrap.js';
import { createRng } from '../../bench/engine/rng.js';
import { median } from '../../bench/engine/stats.js';

/** Exponential(1) draws: right-skewed like latencies, with a known median of ln 2. */
function exponential(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, () => -Math.log(1 - rng()));
}

describe('bootstrapMedianCI', () => {
  it('covers the true median about 95% of the time', () => {
    const data = createRng(11);
    const trials = 200;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const [lo, hi] = bootstrapMedianCI(exponential(data, 60), createRng(t), { iterations: 500 });
      if (lo <= Math.LN2 && Math.LN2 <= hi) covered++;
    }
    // Binomial(200, 0.95) stays above 176 with overwhelming probability;
    // a CI that is far too narrow (e.g. a 50% interval) or degenerate would fall below.
    // An interval so wide that it always covers would reach 200.
    assert.ok(covered >= 176 && covered < 200, `covered ${covered}/${trials}`);
  });

  it('brackets the sample median', () => {
    const values = exponential(createRng(1), 101);
    const [lo, hi] = bootstrapMedianCI(values, createRng(2));
    const m = median(values);
    assert.ok(lo < m && m < hi, `${lo} < ${m} < ${hi}`);
  });

  it('is deterministic for a seed and varies with it', () => {
    const values = exponential(createRng(3), 50);
    assert.deepEqual(bootstrapMedianCI(values, createRng(8)), bootstrapMedianCI(values, createRng(8)));
    assert.notDeepEqual(bootstrapMedianCI(values, createRng(8)), bootstrapMedianCI(values, createRng(9)));
  });

  it('narrows with more data', () => {
    const rng = createRng(4);
    const [smallLo, smallHi] = bootstrapMedianCI(exponential(rng, 40), createRng(5));
    const [bigLo, bigHi] = bootstrapMedianCI(exponential(rng, 1000), createRng(5));
    // Width shrinks like 1/sqrt(n): 25× the data → about 5× narrower.
    assert.ok(bigHi - bigLo < (smallHi - smallLo) / 2.5, `${bigHi - bigLo} vs ${smallHi - smallLo}`);
  });

  it('widens with a higher confidence level', () => {
    const values = exponential(createRng(6), 80);
    const [lo80, hi80] = bootstrapMedianCI(values, createRng(1), { level: 0.8 });
    const [lo99, hi99] = bootstrapMedianCI(values, createRng(1), { level: 0.99 });
    assert.ok(lo99 <= lo80 && hi99 >= hi80 && hi99 - lo99 > hi80 - lo80);
  });

  it('collapses to the value when all values are equal', () => {
    assert.deepEqual(bootstrapMedianCI([3, 3, 3, 3], createRng(1)), [3, 3]);
    assert.deepEqual(bootstrapMedianCI([7], createRng(1)), [7, 7]);
  });

  it('rejects empty input and bad options', () => {
    assert.throws(() => bootstrapMedianCI([], createRng(1)), RangeError);
    assert.throws(() => bootstrapMedianCI([1, 2], createRng(1), { iterations: 0 }), RangeError);
    assert.throws(() => bootstrapMedianCI([1, 2], createRng(1), { level: 1 }), RangeError);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, quantile, summarize } from '../../bench/engine/stats.js';

const close = (actual: number, expected: number, eps = 1e-9): void => {
  assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);
};

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('quantile (type 7)', () => {
  it('matches R / numpy on 1..10', () => {
    close(quantile(oneToTen, 0.25), 3.25);
    close(quantile(oneToTen, 0.5), 5.5);
    close(quantile(oneToTen, 0.75), 7.75);
    close(quantile(oneToTen, 0.95), 9.55);
    close(quantile(oneToTen, 0.99), 9.91);
  });

  it('returns the extremes at 0 and 1', () => {
    assert.equal(quantile(oneToTen, 0), 1);
    assert.equal(quantile(oneToTen, 1), 10);
  });

  it('interpolates within an uneven gap', () => {
    // h = 3 * 0.5 = 1.5 → halfway between 10 and 30.
    close(quantile([0, 10, 30, 100], 0.5), 20);
  });

  it('rejects empty input and out-of-range q', () => {
    assert.throws(() => quantile([], 0.5), RangeError);
    assert.throws(() => quantile([1], 1.5), RangeError);
    assert.throws(() => quantile([1], Number.NaN), RangeError);
  });
});

describe('median', () => {
  it('sorts its input first and averages the middle pair', () => {
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('summarize', () => {
  it('computes every field for 1..10', () => {
    const s = summarize(oneToTen);
    assert.equal(s.samples, 10);
    assert.equal(s.sum, 55);
    close(s.mean, 5.5);
    close(s.median, 5.5);
    close(s.stdev, Math.sqrt(82.5 / 9));
    assert.equal(s.min, 1);
    assert.equal(s.max, 10);
    close(s.p25, 3.25);
    close(s.p75, 7.75);
    close(s.p95, 9.55);
    close(s.p99, 9.91);
    close(s.iqr, 4.5);
    // |x − 5.5| = 4.5 3.5 2.5 1.5 0.5 0.5 1.5 2.5 3.5 4.5 → median 2.5
    close(s.mad, 2.5);
    assert.equal(s.outliers, 0);
  });

  it('uses the sample standard deviation (n − 1)', () => {
    // Population stdev of this classic set is exactly 2; the sample one is sqrt(32/7).
    close(summarize([2, 4, 4, 4, 5, 5, 7, 9]).stdev, 2.138, 5e-4);
    close(summarize([2, 4, 4, 4, 5, 5, 7, 9]).stdev, Math.sqrt(32 / 7));
  });

  it('computes the unscaled median absolute deviation', () => {
    // median 2; deviations 1 1 0 0 2 4 7 → 1 (scaled MAD would be 1.4826)
    assert.equal(summarize([1, 1, 2, 2, 4, 6, 9]).mad, 1);
  });

  it('counts values strictly outside the Tukey fences', () => {
    // p25 2, p75 4, iqr 2 → fences [-1, 7]
    assert.equal(summarize([1, 2, 3, 4, 100]).outliers, 1);
    assert.equal(summarize([1, 2, 3, 4, 7]).outliers, 0, 'a value on the fence is not an outlier');
    assert.equal(summarize([1, 2, 3, 4, 7.01]).outliers, 1);
    assert.equal(summarize([-100, 2, 3, 4, 5]).outliers, 1);
  });

  it('keeps outliers in every statistic', () => {
    const s = summarize([1, 2, 3, 4, 100]);
    assert.equal(s.max, 100);
    close(s.mean, 22);
  });

  it('handles a single value', () => {
    assert.deepEqual(summarize([42]), {
      samples: 1,
      sum: 42,
      mean: 42,
      median: 42,
      stdev: 0,
      min: 42,
      max: 42,
      p25: 42,
      p75: 42,
      p95: 42,
      p99: 42,
      iqr: 0,
      mad: 0,
      outliers: 0,
    });
  });

  it('does not mutate unsorted input', () => {
    const input = [5, 3, 9, 1, 7];
    const s = summarize(input);
    assert.deepEqual(input, [5, 3, 9, 1, 7]);
    assert.equal(s.min, 1);
    assert.equal(s.median, 5);
    assert.equal(s.max, 9);
  });

  it('throws on empty or non-finite input', () => {
    assert.throws(() => summarize([]), RangeError);
    assert.throws(() => summarize([1, Number.NaN]), RangeError);
    assert.throws(() => summarize([1, Number.POSITIVE_INFINITY]), RangeError);
  });
});

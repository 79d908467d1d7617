import type { Summary } from './types.js';

/**
 * Quantile of an ascending array by linear interpolation between closest ranks
 * (Hyndman–Fan type 7, the default of R and numpy), so figures match what a reader gets
 * when re-checking them in a spreadsheet or notebook.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

function ascending(values: readonly number[]): number[] {
  return values.slice().sort((x, y) => x - y);
}

export function median(values: readonly number[]): number {
  return quantile(ascending(values), 0.5);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('cannot summarize an empty list of samples');
  for (const v of values) {
    // A NaN would silently poison the sort order and every statistic derived from it.
    if (!Number.isFinite(v)) throw new RangeError(`cannot summarize a non-finite sample: ${v}`);
  }
  const sorted = ascending(values);
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const stdev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;

  const med = quantile(sorted, 0.5);
  const p25 = quantile(sorted, 0.25);
  const p75 = quantile(sorted, 0.75);
  const iqr = p75 - p25;
  const low = p25 - 1.5 * iqr;
  const high = p75 + 1.5 * iqr;
  let outliers = 0;
  for (const v of sorted) if (v < low || v > high) outliers++;

  return {
    samples: n,
    sum,
    mean,
    median: med,
    stdev,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    p25,
    p75,
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    iqr,
    mad: median(sorted.map((v) => Math.abs(v - med))),
    outliers,
  };
}

/**
 * The bench engine's data model. A result is data; printers (bench/print/) only read it.
 * The engine is shared by every suite (existence-check strategies, downloads).
 */

/** One timed execution of one variant. */
export interface Sample {
  /** 0-based round; every variant runs once per round, in a shuffled order. */
  round: number;
  /** Position of this variant within its round (0 = ran first). */
  position: number;
  variant: string;
  /** Scenario or fixture the sample belongs to (e.g. `absent`, `present`, `18MB`). */
  scenario: string;
  /** Duration of the timed region, in milliseconds (from process.hrtime.bigint()). */
  ms: number;
  /** CPU time (user + system) this process spent in the timed region, in milliseconds. */
  cpuMs: number;
  /** Dropped from statistics: one of the first `warmup` samples of its variant and scenario. */
  warmup: boolean;
  /** HTTP requests made in the timed region that reused a kept-alive socket / that opened a new one. */
  reusedSockets: number;
  newSockets: number;
  /** S3 requests sent in the timed region, by operation. */
  requests: Record<string, number>;
}

export interface Summary {
  samples: number;
  sum: number;
  mean: number;
  median: number;
  stdev: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
  p95: number;
  p99: number;
  iqr: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Samples outside Tukey's fences (q1 − 1.5·IQR, q3 + 1.5·IQR); kept in every statistic. */
  outliers: number;
}

/** A paired comparison that was measured: `variant` takes `ratio`× the time of `reference`. */
interface MeasuredComparison {
  variant: string;
  reference: string;
  /** Median of per-round ratios variant/reference: < 1 means variant took less time. */
  ratio: number;
  /** Percentile-bootstrap 95% interval of that median. */
  ci: [number, number];
  /** Relative difference below which a significant one is called negligible (0.03 = ±3%). */
  minEffect: number;
  pairs: number;
  warnings: string[];
}

/**
 * How one variant compares with the scenario's reference (bench/engine/verdict.ts says how it is decided).
 * no-difference: the interval contains 1; negligible: it excludes 1 but the ratio is within ±minEffect;
 * different: it excludes 1 and the ratio is beyond that.
 */
export type Verdict =
  | (MeasuredComparison & { state: 'different' | 'negligible'; faster: string })
  | (MeasuredComparison & { state: 'no-difference' })
  | { state: 'insufficient'; variant: string; reference: string; pairs: number; reason: string };

export interface VariantResult {
  variant: string;
  summary: Summary;
  /** Median CPU time per sample, in milliseconds. */
  cpuMedianMs: number;
  warmupDropped: number;
  connections: { newSockets: number; reusedSockets: number; reusedShare: number };
  requests: Record<string, number>;
}

export interface ScenarioResult {
  scenario: string;
  /** The variant every other one is compared with: the one the paired ratios rank first. */
  reference: string;
  /** Ranked by the paired ratio to the reference, the reference first. */
  variants: VariantResult[];
  /** Each other variant against the reference, in the order of `variants`. */
  verdicts: Verdict[];
}

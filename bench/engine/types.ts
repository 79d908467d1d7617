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

/** How two variants compare: the ratio is `slower / faster` of per-round paired times. */
export type Verdict =
  | {
      state: 'faster';
      faster: string;
      slower: string;
      /** Median of per-round ratios slower/faster (> 1). */
      ratio: number;
      /** Bootstrap 95% confidence interval of that median ratio. */
      ci: [number, number];
      pairs: number;
      warnings: string[];
    }
  | { state: 'no-difference'; a: string; b: string; ratio: number; ci: [number, number]; pairs: number; warnings: string[] }
  | { state: 'insufficient'; a: string; b: string; pairs: number; reason: string };

export interface VariantResult {
  variant: string;
  summary: Summary;
  /** Median CPU time per sample, in milliseconds. */
  cpuMedianMs: number;
  /** Percent slower than the fastest variant's median (0 for the fastest). */
  vsFastestPct: number;
  warmupDropped: number;
  connections: { newSockets: number; reusedSockets: number; reusedShare: number };
  requests: Record<string, number>;
}

export interface ScenarioResult {
  scenario: string;
  /** Ranked by median, fastest first. */
  variants: VariantResult[];
  /** Each variant against the fastest one. */
  verdicts: Verdict[];
}

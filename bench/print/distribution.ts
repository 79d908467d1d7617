import { quantile } from '../engine/stats.js';
import type { Sample } from '../engine/types.js';

export interface Box {
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
}

/** The kept (not warm-up) times of one variant in one scenario, in round order. */
export function keptTimes(samples: readonly Sample[], scenario: string, variant: string): Array<{ round: number; ms: number }> {
  return samples
    .filter((s) => s.scenario === scenario && s.variant === variant && !s.warmup)
    .map((s) => ({ round: s.round, ms: s.ms }))
    .sort((a, b) => a.round - b.round);
}

/** Whiskers at p5 and p95 rather than min and max: one GC pause would otherwise set the whole axis. */
export function boxOf(values: readonly number[]): Box | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    p5: quantile(sorted, 0.05),
    p25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
  };
}

import { median } from '../engine/stats.js';

export interface SweepSample {
  concurrency: number;
  phase: 'initial' | 'resync';
  wallSeconds: number;
}

export interface SweepPoint {
  concurrency: number;
  initialSeconds: number;
  resyncSeconds: number;
}

export interface Recommendation {
  concurrency: number;
  /** Within this fraction of the fastest median in both phases. */
  tolerance: number;
  reason: string;
}

export function sweepMedians(samples: readonly SweepSample[]): SweepPoint[] {
  const values = [...new Set(samples.map((s) => s.concurrency))].sort((a, b) => a - b);
  const med = (c: number, phase: SweepSample['phase']) => {
    const times = samples.filter((s) => s.concurrency === c && s.phase === phase).map((s) => s.wallSeconds);
    return times.length ? median(times) : Number.NaN;
  };
  return values.map((c) => ({ concurrency: c, initialSeconds: med(c, 'initial'), resyncSeconds: med(c, 'resync') }));
}

/**
 * The smallest concurrency whose medians are within `tolerance` of the fastest in both phases: more
 * concurrency than that buys nothing measurable here and costs memory and open connections.
 */
export function recommendConcurrency(points: readonly SweepPoint[], tolerance = 0.05): Recommendation {
  const usable = points.filter((p) => Number.isFinite(p.initialSeconds) && Number.isFinite(p.resyncSeconds));
  if (usable.length === 0) throw new RangeError('no complete sweep point to recommend from');
  const bestInitial = Math.min(...usable.map((p) => p.initialSeconds));
  const bestResync = Math.min(...usable.map((p) => p.resyncSeconds));
  const good = usable
    .filter((p) => p.initialSeconds <= bestInitial * (1 + tolerance) && p.resyncSeconds <= bestResync * (1 + tolerance))
    .sort((a, b) => a.concurrency - b.concurrency);
  if (good.length) {
    const pick = good[0]!;
    return {
      concurrency: pick.concurrency,
      tolerance,
      reason: `smallest concurrency within ${Math.round(tolerance * 100)}% of the fastest median in both phases (first sync ${pick.initialSeconds.toFixed(2)} s vs best ${bestInitial.toFixed(2)} s, no-change ${pick.resyncSeconds.toFixed(2)} s vs best ${bestResync.toFixed(2)} s)`,
    };
  }
  // No single value is near the best in both: take the one with the smallest summed slowdown.
  const slowdown = (p: SweepPoint) => p.initialSeconds / bestInitial + p.resyncSeconds / bestResync;
  const pick = usable.slice().sort((a, b) => slowdown(a) - slowdown(b) || a.concurrency - b.concurrency)[0]!;
  return {
    concurrency: pick.concurrency,
    tolerance,
    reason: `no value is within ${Math.round(tolerance * 100)}% of the best in both phases; ${pick.concurrency} has the smallest combined slowdown (${((slowdown(pick) / 2 - 1) * 100).toFixed(0)}% on average)`,
  };
}

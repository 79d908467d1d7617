import { bootstrapMedianCI } from './bootstrap.js';
import { median } from './stats.js';
import type { Verdict } from './types.js';

export interface CompareInput {
  variant: string;
  /** ms per round, warm-up rounds already removed. */
  byRound: ReadonlyMap<number, number>;
}

export interface CompareOptions {
  minPairs?: number;
  iterations?: number;
}

/** Below this many pairs the interval is too loose to trust without a nudge. */
const FEW_PAIRS = 30;
/** CI width, relative to the ratio, above which the run is called noisy. */
const WIDE_SPREAD = 0.5;

const fmt = (x: number): string => x.toFixed(2);

/**
 * Compares two variants on per-round ratios a/b rather than on their separate distributions:
 * both ran in the same round, so slow drift (thermal throttling, network weather) cancels out
 * and only the difference between the variants remains.
 */
export function compareVariants(
  a: CompareInput,
  b: CompareInput,
  rng: () => number,
  options: CompareOptions = {},
): Verdict {
  const minPairs = options.minPairs ?? 10;
  const ratios: number[] = [];
  let unusable = 0;
  const rounds = [...a.byRound.keys()].sort((x, y) => x - y);
  for (const round of rounds) {
    const bMs = b.byRound.get(round);
    if (bMs === undefined) continue;
    const aMs = a.byRound.get(round) as number;
    // A zero or non-finite time has no meaningful ratio; counting it would produce Infinity or NaN.
    if (!(aMs > 0 && bMs > 0 && Number.isFinite(aMs) && Number.isFinite(bMs))) {
      unusable++;
      continue;
    }
    ratios.push(aMs / bMs);
  }

  const pairs = ratios.length;
  if (pairs < Math.max(minPairs, 1)) {
    const skipped = unusable > 0 ? ` (${unusable} more skipped for a zero or non-finite time)` : '';
    return {
      state: 'insufficient',
      a: a.variant,
      b: b.variant,
      pairs,
      reason: `only ${pairs} paired round${pairs === 1 ? '' : 's'}${skipped}, at least ${minPairs} needed`,
    };
  }

  const m = median(ratios);
  const [lo, hi] = bootstrapMedianCI(
    ratios,
    rng,
    options.iterations === undefined ? {} : { iterations: options.iterations },
  );

  let verdict: Verdict;
  if (hi < 1) {
    verdict = { state: 'faster', faster: a.variant, slower: b.variant, ratio: 1 / m, ci: [1 / hi, 1 / lo], pairs, warnings: [] };
  } else if (lo > 1) {
    verdict = { state: 'faster', faster: b.variant, slower: a.variant, ratio: m, ci: [lo, hi], pairs, warnings: [] };
  } else {
    verdict = { state: 'no-difference', a: a.variant, b: b.variant, ratio: m, ci: [lo, hi], pairs, warnings: [] };
  }

  if (unusable > 0) {
    verdict.warnings.push(`${unusable} paired round${unusable === 1 ? '' : 's'} skipped: zero or non-finite time`);
  }
  if (pairs < FEW_PAIRS) {
    verdict.warnings.push(`only ${pairs} paired rounds: run more samples for a tighter interval`);
  }
  const width = verdict.ci[1] - verdict.ci[0];
  if (width > WIDE_SPREAD * verdict.ratio) {
    const pct = Math.round((width / verdict.ratio) * 100);
    verdict.warnings.push(
      `the spread is wide (95% CI ${fmt(verdict.ci[0])}–${fmt(verdict.ci[1])}, ${pct}% of the ratio): the machine or network is noisy`,
    );
  }
  return verdict;
}

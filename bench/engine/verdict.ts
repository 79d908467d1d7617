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
  /** Smallest relative difference worth reporting (default MIN_EFFECT). */
  minEffect?: number;
}

/**
 * A difference smaller than this is called negligible even when its interval excludes 1: on a shared
 * machine a 1–2% gap moves with the weather, and at a few hundred pairs it can still come out
 * "significant". Symmetric in ratio terms: 1.03× and 1/1.03× are the edges.
 */
export const MIN_EFFECT = 0.03;
/** Below this many pairs the interval is too loose to trust without a nudge. */
const FEW_PAIRS = 30;
/** CI width, relative to the ratio, above which the run is called noisy. */
const WIDE_SPREAD = 0.5;

const fmt = (x: number): string => x.toFixed(2);

/** Per-round ratios variant/reference of the rounds both ran; rounds with an unusable time are counted apart. */
export function pairedRatios(variant: CompareInput, reference: CompareInput): { ratios: number[]; rounds: number[]; unusable: number } {
  const ratios: number[] = [];
  const rounds: number[] = [];
  let unusable = 0;
  for (const round of [...variant.byRound.keys()].sort((x, y) => x - y)) {
    const refMs = reference.byRound.get(round);
    if (refMs === undefined) continue;
    const ms = variant.byRound.get(round) as number;
    // A zero or non-finite time has no meaningful ratio; counting it would produce Infinity or NaN.
    if (!(ms > 0 && refMs > 0 && Number.isFinite(ms) && Number.isFinite(refMs))) {
      unusable++;
      continue;
    }
    ratios.push(ms / refMs);
    rounds.push(round);
  }
  return { ratios, rounds, unusable };
}

/**
 * The bench's one statistic: the median of per-round ratios variant/reference, with a percentile
 * bootstrap 95% interval. Both ran in the same round, so slow drift (thermal throttling, network
 * weather) cancels out and only the difference between the variants remains. The ranking, the table's
 * ratio column and the verdict sentence all read this one result.
 *
 * - no-difference: the interval contains 1;
 * - negligible: it excludes 1 but the ratio is within ±minEffect of 1;
 * - different: it excludes 1 and the ratio is outside that band.
 */
export function compareVariants(
  variant: CompareInput,
  reference: CompareInput,
  rng: () => number,
  options: CompareOptions = {},
): Verdict {
  const minPairs = options.minPairs ?? 10;
  const minEffect = options.minEffect ?? MIN_EFFECT;
  const { ratios, unusable } = pairedRatios(variant, reference);
  const pairs = ratios.length;
  const names = { variant: variant.variant, reference: reference.variant };
  if (pairs < Math.max(minPairs, 1)) {
    const skipped = unusable > 0 ? ` (${unusable} more skipped for a zero or non-finite time)` : '';
    return { state: 'insufficient', ...names, pairs, reason: `only ${pairs} paired round${pairs === 1 ? '' : 's'}${skipped}, at least ${minPairs} needed` };
  }

  const ratio = median(ratios);
  const ci = bootstrapMedianCI(ratios, rng, options.iterations === undefined ? {} : { iterations: options.iterations });
  const significant = ci[0] > 1 || ci[1] < 1;
  const large = ratio >= 1 + minEffect || ratio <= 1 / (1 + minEffect);
  const measured = { ...names, ratio, ci, minEffect, pairs, warnings: [] as string[] };
  const verdict: Verdict = significant
    ? { state: large ? 'different' : 'negligible', ...measured, faster: ratio < 1 ? variant.variant : reference.variant }
    : { state: 'no-difference', ...measured };

  if (unusable > 0) {
    verdict.warnings.push(`${unusable} paired round${unusable === 1 ? '' : 's'} skipped: zero or non-finite time`);
  }
  if (pairs < FEW_PAIRS) {
    verdict.warnings.push(`only ${pairs} paired rounds: run more samples for a tighter interval`);
  }
  const width = ci[1] - ci[0];
  if (width > WIDE_SPREAD * ratio) {
    const pct = Math.round((width / ratio) * 100);
    verdict.warnings.push(`the spread is wide (95% CI ${fmt(ci[0])}–${fmt(ci[1])}, ${pct}% of the ratio): the machine or network is noisy`);
  }
  return verdict;
}

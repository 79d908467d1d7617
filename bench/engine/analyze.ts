import { median, summarize } from './stats.js';
import type { Sample, ScenarioResult, VariantResult, Verdict } from './types.js';
import { compareVariants, type CompareInput, type CompareOptions } from './verdict.js';

/**
 * Statistics, ranking and verdicts of one scenario's samples; warm-up samples are left out.
 * The ranking comes from the same paired comparison as the verdicts, so the table cannot name one
 * variant first while a verdict calls another one faster.
 */
export function analyzeScenario(scenario: string, samples: readonly Sample[], rng: () => number, options: CompareOptions = {}): ScenarioResult {
  const byVariant = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (sample.scenario !== scenario) continue;
    const list = byVariant.get(sample.variant) ?? [];
    list.push(sample);
    byVariant.set(sample.variant, list);
  }
  const variants: VariantResult[] = [];
  for (const [variant, all] of byVariant) {
    const kept = all.filter((sample) => !sample.warmup);
    if (kept.length === 0) continue;
    const newSockets = sum(kept.map((s) => s.newSockets));
    const reusedSockets = sum(kept.map((s) => s.reusedSockets));
    const requests: Record<string, number> = {};
    for (const sample of kept) {
      for (const [operation, n] of Object.entries(sample.requests)) requests[operation] = (requests[operation] ?? 0) + n;
    }
    variants.push({
      variant,
      summary: summarize(kept.map((sample) => sample.ms)),
      cpuMedianMs: median(kept.map((sample) => sample.cpuMs)),
      warmupDropped: all.length - kept.length,
      connections: { newSockets, reusedSockets, reusedShare: reusedSockets / Math.max(1, newSockets + reusedSockets) },
      requests,
    });
  }
  if (variants.length === 0) return { scenario, reference: '', variants, verdicts: [] };

  const inputOf = (variant: string): CompareInput => ({
    variant,
    byRound: new Map((byVariant.get(variant) ?? []).filter((s) => !s.warmup).map((s) => [s.round, s.ms] as const)),
  });
  const compareAll = (reference: string): Map<string, Verdict> =>
    new Map(variants.filter((v) => v.variant !== reference).map((v) => [v.variant, compareVariants(inputOf(v.variant), inputOf(reference), rng, options)]));

  // Start from the lowest median; if a paired ratio says another variant takes less time than it,
  // that one is the reference instead (once: paired medians need not be transitive).
  let reference = variants.reduce((best, v) => (v.summary.median < best.summary.median ? v : best)).variant;
  let verdicts = compareAll(reference);
  const quicker = [...verdicts.values()].filter((v) => v.state !== 'insufficient' && v.ratio < 1).sort((x, y) => ratioOf(x) - ratioOf(y))[0];
  if (quicker) {
    reference = quicker.variant;
    verdicts = compareAll(reference);
  }
  variants.sort((a, b) => rank(a.variant) - rank(b.variant));
  return { scenario, reference, variants, verdicts: variants.flatMap((v) => verdicts.get(v.variant) ?? []) };

  function rank(variant: string): number {
    // Just below 1, so a variant measured at exactly 1× still ranks after the reference.
    if (variant === reference) return 1 - Number.EPSILON;
    const verdict = verdicts.get(variant);
    // A variant that could not be compared goes last, where its missing ratio is least misleading.
    return verdict ? ratioOf(verdict) : Infinity;
  }
}

function ratioOf(verdict: Verdict): number {
  return verdict.state === 'insufficient' ? Infinity : verdict.ratio;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

import { median, summarize } from './stats.js';
import type { Sample, ScenarioResult, VariantResult } from './types.js';
import { compareVariants } from './verdict.js';

/** Statistics, ranking and verdicts of one scenario's samples; warm-up samples are left out. */
export function analyzeScenario(scenario: string, samples: readonly Sample[], rng: () => number): ScenarioResult {
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
      vsFastestPct: 0,
      warmupDropped: all.length - kept.length,
      connections: { newSockets, reusedSockets, reusedShare: reusedSockets / Math.max(1, newSockets + reusedSockets) },
      requests,
    });
  }
  variants.sort((a, b) => a.summary.median - b.summary.median);
  const fastest = variants[0];
  for (const result of variants) {
    result.vsFastestPct = fastest ? (result.summary.median / fastest.summary.median - 1) * 100 : 0;
  }
  const roundsOf = (variant: string) =>
    new Map((byVariant.get(variant) ?? []).filter((s) => !s.warmup).map((s) => [s.round, s.ms] as const));
  const verdicts = fastest
    ? variants.slice(1).map((other) =>
        compareVariants({ variant: fastest.variant, byRound: roundsOf(fastest.variant) }, { variant: other.variant, byRound: roundsOf(other.variant) }, rng),
      )
    : [];
  return { scenario, variants, verdicts };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

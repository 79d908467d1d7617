import type { ScenarioResult, Verdict } from './types.js';

/** The A/A target: the bench should report no difference between identical arms in this share of runs. */
export const AA_TARGET = 0.95;

export interface AaRun {
  seed: number;
  verdict: Verdict;
}

export interface AaScenarioSummary {
  scenario: string;
  runs: AaRun[];
  /** Runs whose comparison was measured (not `insufficient`). */
  measured: number;
  noDifference: number;
  negligible: number;
  /** False differences: a winner named between two arms of the same thing. */
  different: number;
  /** different / measured. */
  falseDifferenceRate: number;
  /** (no-difference + negligible) / measured: runs that report nothing worth acting on. */
  quietRate: number;
  /** 95% Wilson interval of quietRate: with a few dozen runs the rate itself is uncertain. */
  quietRateCi: [number, number];
  /** (no-difference) / measured: runs whose interval contained 1. */
  strictRate: number;
}

/** The A/A outcome per scenario, from the scenario results of repeated runs (one list per run). */
export function summarizeAa(runs: ReadonlyArray<{ seed: number; scenarios: readonly ScenarioResult[] }>): AaScenarioSummary[] {
  const byScenario = new Map<string, AaRun[]>();
  for (const run of runs) {
    for (const scenario of run.scenarios) {
      const verdict = scenario.verdicts[0];
      if (!verdict) continue;
      const list = byScenario.get(scenario.scenario) ?? [];
      list.push({ seed: run.seed, verdict });
      byScenario.set(scenario.scenario, list);
    }
  }
  return [...byScenario].map(([scenario, list]) => {
    const count = (state: Verdict['state']) => list.filter((run) => run.verdict.state === state).length;
    const noDifference = count('no-difference');
    const negligible = count('negligible');
    const different = count('different');
    const measured = noDifference + negligible + different;
    const share = (n: number) => (measured > 0 ? n / measured : Number.NaN);
    return {
      scenario,
      runs: list,
      measured,
      noDifference,
      negligible,
      different,
      falseDifferenceRate: share(different),
      quietRate: share(noDifference + negligible),
      quietRateCi: wilson(noDifference + negligible, measured),
      strictRate: share(noDifference),
    };
  });
}

/** Wilson score interval (95%) of a proportion: sensible at 0 or n successes, unlike the normal approximation. */
export function wilson(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

import type { StripChart } from '../print/strip-chart.js';
import type { RemoteResult } from './types.js';

/** Wall and CPU seconds of every round but the warm-up, per case and tool: the spread behind the medians. */
export function remoteRoundsChart(result: RemoteResult): StripChart {
  const kept = result.runs.filter((run) => !run.warmup);
  const panels = result.cases.flatMap((spec) =>
    (['wall', 'CPU'] as const).map((measure) => ({
      title: `(${spec.id}) ${spec.title}: ${measure} s`,
      rows: spec.tools.map((tool) => ({
        name: tool,
        values: kept
          .filter((run) => run.case === spec.id && run.tool === tool)
          .map((run) => (measure === 'wall' ? run.wallSeconds : run.cpuSeconds))
          .filter((value): value is number => value !== null),
      })),
    })),
  );
  return {
    title: 'bench:remote: every round after the warm-up',
    facts: [`server ${result.server}`, `${result.rounds} round(s), seed ${result.seed}`, result.latency, result.throttle],
    panels: panels.filter((panel) => panel.rows.some((row) => row.values.length > 0)),
  };
}

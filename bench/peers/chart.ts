import type { StripChart } from '../print/strip-chart.js';
import type { Phase, PeersResult } from './types.js';

const PHASE_TITLES: Record<Phase, string> = { initial: 'first sync', resync: 'no-change re-sync' };

/** Wall and CPU seconds of every timed round, per phase and tool: the spread behind the medians of the table. */
export function peersRoundsChart(result: PeersResult): StripChart {
  const timed = result.runs.filter((run) => run.timed !== false);
  const panels = (['initial', 'resync'] as const).flatMap((phase) =>
    (['wall', 'CPU'] as const).map((measure) => ({
      title: `${PHASE_TITLES[phase]}: ${measure} seconds per round`,
      rows: result.tools.map((tool) => ({
        name: tool.name,
        values: timed
          .filter((run) => run.tool === tool.name && run.phase === phase)
          .map((run) => (measure === 'wall' ? run.wallSeconds : run.cpuSeconds))
          .filter((value): value is number => value !== null),
      })),
    })),
  );
  return {
    title: 'bench:peers: every timed round',
    facts: [`${result.rounds} round(s), tool order shuffled per round (seed ${result.seed})`, result.fixture],
    panels: panels.filter((panel) => panel.rows.some((row) => row.values.length > 0)),
  };
}

import { AA_TARGET, type AaScenarioSummary } from '../engine/aa.js';
import { packItems, wrapProse, wrapTable } from './wrap-table.js';

export interface AaView {
  title: string;
  header: string[];
  scenarios: AaScenarioSummary[];
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(0)}%`);

/** The A/A report: per scenario, how each run came out, and how often noise alone was called a difference. */
export function formatAaText(view: AaView): string {
  const lines = [...wrapProse(view.title, ''), ...view.header.flatMap((line) => wrapProse(line)), ''];
  const head = ['scenario', 'runs', 'no diff.', 'negligible', 'different', 'false diff.', 'quiet (95% CI)', 'target'];
  const rows = view.scenarios.map((s) => [
    s.scenario,
    String(s.measured),
    String(s.noDifference),
    String(s.negligible),
    String(s.different),
    pct(s.falseDifferenceRate),
    `${pct(s.quietRate)} (${pct(s.quietRateCi[0])}–${pct(s.quietRateCi[1])})`,
    s.measured === 0 ? '–' : s.quietRate >= AA_TARGET ? 'met' : 'NOT met',
  ]);
  lines.push(...wrapTable(head, rows, { keep: 1 }), '');
  lines.push(
    ...wrapProse(
      `quiet: no significant difference, or a negligible one (< 3%), i.e. the bench named no winner between two arms of the same thing; target ≥ ${pct(AA_TARGET)}. false diff.: a winner named.`,
    ),
  );
  for (const s of view.scenarios) {
    lines.push('', `== ${s.scenario}: ratio A/B per run (95% CI)`);
    const cells = s.runs.map(({ verdict }) => {
      if (verdict.state === 'insufficient') return 'too few';
      // The verdict reads variant/reference, whichever arm ranked first; A/B is the same comparison turned round.
      const flip = !verdict.variant.endsWith('-A');
      const ratio = flip ? 1 / verdict.ratio : verdict.ratio;
      const [lo, hi] = flip ? [1 / verdict.ci[1], 1 / verdict.ci[0]] : verdict.ci;
      const mark = verdict.state === 'different' ? '*' : verdict.state === 'negligible' ? '~' : '';
      return `${ratio.toFixed(3)} (${lo.toFixed(2)}–${hi.toFixed(2)})${mark}`;
    });
    lines.push(...packItems(cells));
  }
  lines.push('', ...wrapProse('* a false difference; ~ negligible (significant, under 3%)', ''));
  return `${lines.join('\n')}\n`;
}

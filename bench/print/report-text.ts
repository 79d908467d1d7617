import type { ScenarioResult, Verdict } from '../engine/types.js';
import { formatRequests } from '../harness/requests.js';
import { boxOf, keptTimes, type Box } from './distribution.js';
import type { ExtraColumn, ReportView } from './report-view.js';
import { verdictSentence, verdictWord } from './verdict-text.js';
import { TEXT_WIDTH, wrapProse, wrapTable } from './wrap-table.js';

export function formatText(view: ReportView): string {
  const lines = [...wrapProse(view.title, ''), ...view.header.flatMap((line) => wrapProse(line))];
  for (const scenario of view.scenarios) {
    lines.push('', ...wrapProse(`== ${scenario.scenario}${scenario.description ? `: ${scenario.description}` : ''}`, '', 3));
    lines.push(...table(scenario, scenario.columns ?? []));
    const note = rankNote(scenario);
    if (note) lines.push(...wrapProse(note));
    lines.push('', ...boxPlots(view, scenario), '');
    // The same warning (e.g. too few rounds) applies to every comparison of a scenario: say it once.
    const warned = new Set<string>();
    for (const verdict of scenario.verdicts) {
      lines.push(...wrapProse(`verdict: ${verdictSentence(verdict)}`));
      if (verdict.state === 'insufficient') continue;
      for (const warning of verdict.warnings) {
        if (warned.has(warning)) continue;
        warned.add(warning);
        lines.push(...wrapProse(`warning: ${warning}`));
      }
    }
    lines.push(...wrapProse(`connections: ${scenario.variants.map((v) => `${v.variant} ${formatConnections(v.connections)}`).join(' · ')}`));
    lines.push(...wrapProse(`requests: ${scenario.variants.map((v) => `${v.variant} ${formatSdkRequests(v.requests)}`).join(' · ')}`));
    for (const note of scenario.notes ?? []) lines.push(...wrapProse(note));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Rows are ranked by the paired per-round ratio, each arm's median is its own: within noise the two
 * can order differently, and a reader who sees it unexplained stops trusting both.
 */
export function rankNote(scenario: ScenarioResult): string | undefined {
  const byMedian = scenario.variants.slice().sort((a, b) => a.summary.median - b.summary.median);
  if (byMedian.every((v, i) => v === scenario.variants[i])) return undefined;
  return 'ranked by the paired per-round ratio (the verdicts\' statistic); the arms\' own medians order differently here, as they can when the difference is small against the noise or the machine drifted during the run';
}

/** The ratio cells of a row, read from the scenario's verdicts: the same numbers as the verdict lines. */
/** The columns every report's table starts with: rank, variant, its median and the paired comparison with the reference. */
export function comparisonHead(scenario: ScenarioResult): string[] {
  return ['#', 'variant', 'median', `time ÷ ${scenario.reference}`, '95% CI', 'result'];
}

/** Row `index` of a scenario's table, the cells under comparisonHead: one statistic, stated once. */
export function comparisonCells(scenario: ScenarioResult, index: number): string[] {
  const v = scenario.variants[index]!;
  const head = [String(index + 1), v.variant, ms(v.summary.median)];
  if (v.variant === scenario.reference) return [...head, '1', '', 'reference'];
  const verdict = scenario.verdicts.find((candidate: Verdict) => candidate.variant === v.variant);
  if (!verdict || verdict.state === 'insufficient') return [...head, '–', '', verdict ? verdictWord(verdict) : '–'];
  return [...head, `${verdict.ratio.toFixed(2)}×`, `${verdict.ci[0].toFixed(2)}–${verdict.ci[1].toFixed(2)}`, verdictWord(verdict)];
}

function table(scenario: ScenarioResult, columns: ExtraColumn[]): string[] {
  // Priority order: what decides comes first; the spread and the suite's own columns wrap below it.
  const head = [...comparisonHead(scenario), 'cpu', 'n', 'mean', 'stdev', 'MAD', 'IQR', 'min', 'p95', 'p99', 'outliers', 'warm-up', ...columns.map((c) => c.header)];
  const rows = scenario.variants.map((v, i) => {
    return [
      ...comparisonCells(scenario, i),
      ms(v.cpuMedianMs),
      String(v.summary.samples),
      ms(v.summary.mean),
      ms(v.summary.stdev),
      ms(v.summary.mad),
      ms(v.summary.iqr),
      ms(v.summary.min),
      ms(v.summary.p95),
      ms(v.summary.p99),
      String(v.summary.outliers),
      `${v.warmupDropped} dropped`,
      ...columns.map((c) => c.values[v.variant] ?? '–'),
    ];
  });
  return wrapTable(head, rows, { keep: 2 });
}

/**
 * One text box plot per variant on a shared axis: whiskers p5–p95, box p25–p75, `┃` at the median.
 * The spread of the samples, not just their middle, is what tells a real gap from noise.
 */
function boxPlots(view: ReportView, scenario: ScenarioResult): string[] {
  const boxes = scenario.variants.map((v) => ({ name: v.variant, box: boxOf(keptTimes(view.samples, scenario.scenario, v.variant).map((s) => s.ms)) }));
  const drawn = boxes.filter((b): b is { name: string; box: Box } => b.box !== undefined);
  if (drawn.length === 0) return [];
  const nameWidth = Math.max(...drawn.map((b) => b.name.length));
  const low = Math.min(...drawn.map((b) => b.box.p5));
  const high = Math.max(...drawn.map((b) => b.box.p95));
  const width = Math.max(20, TEXT_WIDTH - 2 - nameWidth - 2 - 2);
  const at = (value: number) => (high > low ? Math.round(((value - low) / (high - low)) * (width - 1)) : 0);
  const lines = drawn.map(({ name, box }) => {
    const cells = Array<string>(width).fill(' ');
    for (let i = at(box.p5); i <= at(box.p95); i++) cells[i] = '─';
    for (let i = at(box.p25); i <= at(box.p75); i++) cells[i] = '▒';
    cells[at(box.p5)] = '├';
    cells[at(box.p95)] = '┤';
    cells[at(box.median)] = '┃';
    return `  ${name.padEnd(nameWidth)}  ${cells.join('').trimEnd()}`;
  });
  const left = ms(low);
  const right = ms(high);
  const label = 'whiskers p5–p95 · box p25–p75 · ┃ median';
  const inner = width - left.length - right.length;
  const middle = inner >= label.length + 2 ? label.padStart(Math.floor((inner + label.length) / 2)).padEnd(inner) : ' '.repeat(Math.max(1, inner));
  const axis = `${left}${middle}${right}`;
  return [...lines, `  ${' '.repeat(nameWidth)}  ${axis}`];
}

export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}

export function formatConnections(c: { newSockets: number; reusedSockets: number; reusedShare: number }): string {
  // fetch (undici) keeps its own pool, invisible to the node:http diagnostics channels.
  if (c.newSockets + c.reusedSockets === 0) return 'not observed (no node:http requests)';
  return `${c.newSockets} new, ${(c.reusedShare * 100).toFixed(1)}% of requests on a reused socket`;
}

export function formatSdkRequests(requests: Record<string, number>): string {
  return formatRequests(requests, { empty: 'none through the SDK' });
}

import type { ScenarioResult, Summary } from '../engine/types.js';
import type { ExtraColumn, ReportView } from './report-view.js';
import { verdictSentence } from './verdict-text.js';
import { formatRequests } from '../harness/requests.js';

const BAR_WIDTH = 40;

export function formatText(view: ReportView): string {
  const lines = [view.title, ...view.header.map((line) => `  ${line}`)];
  for (const scenario of view.scenarios) {
    lines.push('', `== ${scenario.scenario}${scenario.description ? `: ${scenario.description}` : ''}`);
    lines.push(...table(scenario, scenario.columns ?? []));
    lines.push('', ...bars('median', scenario, (s) => s.median), ...bars('mean', scenario, (s) => s.mean), '');
    // The same warning (e.g. too few rounds) applies to every comparison of a scenario: say it once.
    const warned = new Set<string>();
    for (const verdict of scenario.verdicts) {
      lines.push(`  verdict: ${verdictSentence(verdict)}`);
      if (verdict.state === 'insufficient') continue;
      for (const warning of verdict.warnings) {
        if (warned.has(warning)) continue;
        warned.add(warning);
        lines.push(`  warning: ${warning}`);
      }
    }
    lines.push(`  connections: ${scenario.variants.map((v) => `${v.variant} ${formatConnections(v.connections)}`).join(' · ')}`);
    lines.push(`  requests: ${scenario.variants.map((v) => `${v.variant} ${formatSdkRequests(v.requests)}`).join(' · ')}`);
    for (const note of scenario.notes ?? []) lines.push(`  ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

function table(scenario: ScenarioResult, columns: ExtraColumn[]): string[] {
  const head = ['#', 'variant', 'median', 'mean', 'stdev', 'MAD', 'IQR', 'min', 'p95', 'p99', 'cpu', 'n', 'outliers', 'warm-up', 'vs fastest', ...columns.map((c) => c.header)];
  const rows = scenario.variants.map((v, i) => [
    String(i + 1),
    v.variant,
    ms(v.summary.median),
    ms(v.summary.mean),
    ms(v.summary.stdev),
    ms(v.summary.mad),
    ms(v.summary.iqr),
    ms(v.summary.min),
    ms(v.summary.p95),
    ms(v.summary.p99),
    ms(v.cpuMedianMs),
    String(v.summary.samples),
    String(v.summary.outliers),
    `${v.warmupDropped} dropped`,
    i === 0 ? 'fastest' : `+${v.vsFastestPct.toFixed(1)}%`,
    ...columns.map((c) => c.values[v.variant] ?? '–'),
  ]);
  const widths = head.map((_, col) => Math.max(...[head, ...rows].map((row) => row[col]!.length)));
  const render = (row: string[]) => `  ${row.map((cell, col) => (col <= 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')}`;
  return [render(head), ...rows.map(render)];
}

function bars(label: string, scenario: ScenarioResult, pick: (summary: Summary) => number): string[] {
  const max = Math.max(...scenario.variants.map((v) => pick(v.summary)));
  const nameWidth = Math.max(...scenario.variants.map((v) => v.variant.length));
  return scenario.variants.map((v, i) => {
    const value = pick(v.summary);
    const length = max > 0 ? Math.max(1, Math.round((value / max) * BAR_WIDTH)) : 1;
    return `  ${(i === 0 ? label : '').padEnd(6)}  ${v.variant.padEnd(nameWidth)}  ${'█'.repeat(length).padEnd(BAR_WIDTH)}  ${ms(value)}`;
  });
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

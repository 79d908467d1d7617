import type { ReportView } from './report-view.js';
import { comparisonCells, comparisonHead, formatConnections, formatSdkRequests, ms, rankNote } from './report-text.js';
import { verdictSentence } from './verdict-text.js';

export function formatMarkdown(view: ReportView): string {
  const lines = [`## ${view.title}`, '', ...view.header.map((line) => `- ${line}`)];
  for (const scenario of view.scenarios) {
    lines.push('', `### ${scenario.scenario}${scenario.description ? `: ${scenario.description}` : ''}`, '');
    const columns = scenario.columns ?? [];
    const head = [...comparisonHead(scenario), 'mean', 'stdev', 'MAD', 'min', 'p95', 'p99', 'cpu', 'n', 'outliers', 'connections', 'requests', ...columns.map((c) => c.header)];
    lines.push(`| ${head.join(' | ')} |`, `|${'---|'.repeat(head.length)}`);
    scenario.variants.forEach((v, i) => {
      const row = [
        ...comparisonCells(scenario, i),
        ms(v.summary.mean),
        ms(v.summary.stdev),
        ms(v.summary.mad),
        ms(v.summary.min),
        ms(v.summary.p95),
        ms(v.summary.p99),
        ms(v.cpuMedianMs),
        String(v.summary.samples),
        String(v.summary.outliers),
        formatConnections(v.connections),
        formatSdkRequests(v.requests),
        ...columns.map((c) => c.values[v.variant] ?? '–'),
      ];
      lines.push(`| ${row.join(' | ')} |`);
    });
    const note = rankNote(scenario);
    if (note) lines.push('', note);
    lines.push('');
    for (const verdict of scenario.verdicts) lines.push(`**Verdict:** ${verdictSentence(verdict)}`);
    for (const note of scenario.notes ?? []) lines.push('', note);
  }
  return `${lines.join('\n')}\n`;
}

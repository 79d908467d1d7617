import type { ReportView } from './report-view.js';
import { formatConnections, formatSdkRequests, ms } from './report-text.js';
import { verdictSentence } from './verdict-text.js';

export function formatMarkdown(view: ReportView): string {
  const lines = [`## ${view.title}`, '', ...view.header.map((line) => `- ${line}`)];
  for (const scenario of view.scenarios) {
    lines.push('', `### ${scenario.scenario}${scenario.description ? `: ${scenario.description}` : ''}`, '');
    const columns = scenario.columns ?? [];
    lines.push(`| # | variant | median | mean | stdev | MAD | min | p95 | p99 | cpu | n | outliers | vs fastest | connections | requests |${columns.map((c) => ` ${c.header} |`).join('')}`);
    lines.push(`|${'---|'.repeat(15 + columns.length)}`);
    scenario.variants.forEach((v, i) => {
      lines.push(
        `| ${i + 1} | ${v.variant} | ${ms(v.summary.median)} | ${ms(v.summary.mean)} | ${ms(v.summary.stdev)} | ${ms(v.summary.mad)} | ${ms(v.summary.min)} | ${ms(v.summary.p95)} | ${ms(v.summary.p99)} | ${ms(v.cpuMedianMs)} | ${v.summary.samples} | ${v.summary.outliers} | ${i === 0 ? 'fastest' : `+${v.vsFastestPct.toFixed(1)}%`} | ${formatConnections(v.connections)} | ${formatSdkRequests(v.requests)} |${columns.map((c) => ` ${c.values[v.variant] ?? '–'} |`).join('')}`,
      );
    });
    lines.push('');
    for (const verdict of scenario.verdicts) lines.push(`**Verdict:** ${verdictSentence(verdict)}`);
    for (const note of scenario.notes ?? []) lines.push('', note);
  }
  return `${lines.join('\n')}\n`;
}

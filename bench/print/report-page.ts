import { renderScenarioChart } from './report-chart.js';
import { comparisonCells, comparisonHead, formatConnections, formatSdkRequests, ms } from './report-text.js';
import type { ReportView } from './report-view.js';
import { escapeXml } from './svg.js';
import { verdictSentence } from './verdict-text.js';

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG, no script, no link, no
 * network, so it opens the same from a laptop, a CI artifact or an air-gapped box. Written as
 * well-formed XML (closed tags, escaped text) so any XML parser can check it.
 */
export function formatReportHtml(view: ReportView): string {
  const e = escapeXml;
  const parts = [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<title>${e(view.title)}</title>`,
    '<style>body{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}li{margin:2px 0}.verdict{font-weight:bold}</style>',
    '</head>',
    '<body>',
    `<h1>${e(view.title)}</h1>`,
    '<ul class="facts">',
    ...view.header.map((line) => `<li>${e(line)}</li>`),
    '</ul>',
  ];
  for (const scenario of view.scenarios) {
    parts.push(`<h2>${e(scenario.scenario)}${scenario.description ? `: ${e(scenario.description)}` : ''}</h2>`);
    parts.push(renderScenarioChart(view, scenario).svg);
    for (const verdict of scenario.verdicts) parts.push(`<p class="verdict">${e(verdictSentence(verdict))}</p>`);
    const extra = scenario.columns ?? [];
    const head = [...comparisonHead(scenario), 'p25–p75', 'cpu', 'n', 'sockets', 'requests', ...extra.map((c) => c.header)];
    parts.push('<table>', `<tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`);
    scenario.variants.forEach((v, i) => {
      const row = [
        ...comparisonCells(scenario, i),
        `${ms(v.summary.p25)}–${ms(v.summary.p75)}`,
        ms(v.cpuMedianMs),
        String(v.summary.samples),
        formatConnections(v.connections),
        formatSdkRequests(v.requests),
        ...extra.map((c) => c.values[v.variant] ?? '–'),
      ];
      parts.push(`<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`);
    });
    parts.push('</table>');
    for (const note of scenario.notes ?? []) parts.push(`<p>${e(note)}</p>`);
  }
  parts.push('</body>', '</html>');
  return `${parts.join('\n')}\n`;
}

/** The same charts as one SVG file (for a README or an issue): the facts as text lines, then each scenario below. */
export function formatReportSvg(view: ReportView): string {
  const width = 760;
  const lines = [view.title, ...view.header];
  const body = lines.map((line, i) => `<text x="10" y="${20 + i * 16}" font-size="${i === 0 ? 15 : 11}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`);
  let y = 20 + lines.length * 16;
  for (const scenario of view.scenarios) {
    const chart = renderScenarioChart(view, scenario);
    body.push(`<g transform="translate(0 ${y})">`, chart.svg, '</g>');
    y += chart.height;
    for (const verdict of scenario.verdicts) {
      body.push(`<text x="10" y="${y + 4}" font-size="12">${escapeXml(verdictSentence(verdict))}</text>`);
      y += 18;
    }
    y += 10;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${y}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

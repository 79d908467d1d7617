import { formatRequests } from '../harness/requests.js';
import { renderTable, type TableFormat } from '../harness/table.js';
import type { PhaseFigures, ToolFigures } from './analyze.js';
import type { PeersResult } from './types.js';

const HEADER = ['tool', 'first sync s', '× s3zipsync', 'first sync requests', 'no-change s', '× s3zipsync', 'no-change requests', 'peak RSS MiB', 'CPU s (first)'];

function ratioCell(figures: ToolFigures, phase: PhaseFigures | undefined): string {
  if (!phase) return '—';
  if (figures.isReference) return '1.00';
  if (!Number.isFinite(phase.ratio)) return '—';
  return `${phase.ratio.toFixed(2)}`;
}

const requestsCell = (phase: PhaseFigures | undefined) =>
  phase ? formatRequests(phase.requests, { total: phase.requestsTotal, min: phase.requestsMin, max: phase.requestsMax }) : '—';

function rows(figures: ToolFigures[]): string[][] {
  return figures.map((f) => {
    const first = f.phases.initial;
    const again = f.phases.resync;
    const rss = [first?.medianPeakRssMiB, again?.medianPeakRssMiB].filter((v): v is number => typeof v === 'number');
    return [
      f.untrusted ? `${f.tool} (UNTRUSTED, see below)` : f.tool,
      first ? first.medianSeconds.toFixed(2) : '—',
      ratioCell(f, first),
      requestsCell(first),
      again ? again.medianSeconds.toFixed(2) : '—',
      ratioCell(f, again),
      requestsCell(again),
      rss.length ? Math.max(...rss).toFixed(0) : '—',
      first?.medianCpuSeconds != null ? first.medianCpuSeconds.toFixed(2) : '—',
    ];
  });
}

function notes(result: PeersResult, figures: ToolFigures[]): string[] {
  const lines: string[] = [];
  for (const tool of result.tools) lines.push(`${tool.name} ${tool.version}: ${tool.note}`);
  for (const f of figures) {
    for (const [phase, p] of Object.entries(f.phases)) {
      const errors = Object.entries(p.errors);
      if (errors.length) lines.push(`${f.tool} ${phase === 'initial' ? 'first sync' : 'no-change'}: error answers (counted above) ${errors.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      for (const problem of p.problems) lines.push(`PROBLEM ${f.tool} ${phase}: ${problem}`);
    }
  }
  return lines;
}

/** The peers table and its notes: Markdown for bench/results/, or column-aligned text for a terminal. */
export function renderPeers(result: PeersResult, figures: ToolFigures[], format: TableFormat = 'markdown'): string {
  const escapeCell = format === 'markdown' ? (cell: string) => cell.replace(/\|/g, '\\|') : (cell: string) => cell;
  const out = [
    `- ${result.fixture}; ${result.rounds} rounds, tool order shuffled per round (seed ${result.seed}); medians`,
    '',
    ...renderTable(HEADER, rows(figures), format),
    '',
    ...notes(result, figures).map((n) => `- ${escapeCell(n)}`),
  ];
  return `${out.join('\n')}\n`;
}

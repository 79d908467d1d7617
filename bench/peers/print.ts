import type { PhaseFigures, ToolFigures } from './analyze.js';
import type { PeersResult } from './types.js';

export interface PeersHeader {
  machine: string;
  command: string;
}

const HEADER = ['tool', 'first sync s', '× s3zipsync', 'first sync requests', 'no-change s', '× s3zipsync', 'no-change requests', 'peak RSS MiB', 'CPU s (first)'];

export function formatRequests(requests: Record<string, number>, total: number, min?: number, max?: number): string {
  const parts = Object.entries(requests)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([op, n]) => `${op} ${n.toLocaleString('en-US')}`);
  const spread = min !== undefined && max !== undefined && min !== max ? ` [${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}]` : '';
  return `${total.toLocaleString('en-US')}${spread} (${parts.join(', ')})`;
}

function ratioCell(figures: ToolFigures, phase: PhaseFigures | undefined): string {
  if (!phase) return '—';
  if (figures.isReference) return '1.00';
  if (!Number.isFinite(phase.ratio)) return '—';
  return `${phase.ratio.toFixed(2)}`;
}

function rows(figures: ToolFigures[]): string[][] {
  return figures.map((f) => {
    const first = f.phases.initial;
    const again = f.phases.resync;
    const rss = [first?.medianPeakRssMiB, again?.medianPeakRssMiB].filter((v): v is number => typeof v === 'number');
    return [
      f.untrusted ? `${f.tool} (UNTRUSTED, see below)` : f.tool,
      first ? first.medianSeconds.toFixed(2) : '—',
      ratioCell(f, first),
      first ? formatRequests(first.requests, first.requestsTotal, first.requestsMin, first.requestsMax) : '—',
      again ? again.medianSeconds.toFixed(2) : '—',
      ratioCell(f, again),
      again ? formatRequests(again.requests, again.requestsTotal, again.requestsMin, again.requestsMax) : '—',
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

/** Column-aligned plain text, for a terminal. */
export function renderPeersText(result: PeersResult, figures: ToolFigures[], header: PeersHeader): string {
  const table = [HEADER, ...rows(figures)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const out = [
    `peers: ${result.fixture}; ${result.rounds} rounds, tool order shuffled per round (seed ${result.seed}); medians`,
    `machine: ${header.machine}`,
    `command: ${header.command}`,
    '',
    ...table.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()),
    '',
    ...notes(result, figures).map((n) => `- ${n}`),
  ];
  return `${out.join('\n')}\n`;
}

/** The same table in Markdown, for the README. */
export function renderPeersMarkdown(result: PeersResult, figures: ToolFigures[], header: PeersHeader): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const out = [
    `${result.fixture}; ${result.rounds} rounds, order shuffled per round (seed ${result.seed}); medians. Machine: ${header.machine}. Command: \`${header.command}\``,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows(figures).map((r) => `| ${r.map(escape).join(' | ')} |`),
    '',
    ...notes(result, figures).map((n) => `- ${escape(n)}`),
  ];
  return `${out.join('\n')}\n`;
}

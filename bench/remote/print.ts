import { renderTable } from '../harness/table.js';
import type { CaseFigures, RemoteFigures, RequestClassCounts, ToolCaseFigures } from './analyze.js';
import type { LineChart } from './chart.js';
import type { RemoteResult } from './types.js';

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (s: number | null) => (s === null ? '—' : s.toFixed(2));

function requestsCell(r: RequestClassCounts, total: number): string {
  const parts = [`PUT ${count(r.put)}`, `GET ${count(r.get)}`, `LIST ${count(r.list)}`, ...(r.other ? [`other ${count(r.other)}`] : [])];
  return `${count(total)} (${parts.join(', ')})`;
}

function ratioCell(f: ToolCaseFigures, c: CaseFigures): string {
  if (f.tool === c.fasterRclone) return '1.00 (ref.)';
  return Number.isFinite(f.ratio) ? f.ratio.toFixed(2) : '—';
}

const CASE_HEADER = ['tool', 'runs', 'wall s', '× faster rclone', 'CPU s', 'peak RSS MiB', 'requests (by class)', '503s', 'failed', 'missing', 'exit'];

function caseTable(c: CaseFigures): string[] {
  const rows = c.tools.map((f) => [
    f.problems.length ? `${f.tool} (UNTRUSTED)` : f.tool,
    String(f.runs),
    seconds(f.wallSeconds),
    ratioCell(f, c),
    seconds(f.cpuSeconds),
    f.peakRssMiB === null ? '—' : f.peakRssMiB.toFixed(0),
    requestsCell(f.requests, f.requestsTotal),
    count(f.slowDowns),
    f.failedMax === null ? '?' : count(f.failedMax),
    f.missingMax === null ? '—' : count(f.missingMax),
    f.exitCodes.map(String).join(', '),
  ]);
  return renderTable(CASE_HEADER, rows);
}

/** The scaling curve: one row per entry count and layout, each tool's median wall time and s3zipsync's ratios. */
function curveTable(result: RemoteResult, figures: RemoteFigures): string[] {
  const curve = figures.cases.filter((c) => c.spec.scenario === 'e');
  if (curve.length === 0) return [];
  const tools = [...new Set(curve.flatMap((c) => c.spec.tools))];
  const ours = tools.filter((t) => result.tools.find((i) => i.name === t)?.isS3ZipSync);
  const header = ['entries', 'layout', ...tools.map((t) => `${t} s`), ...ours.map((t) => `${t} × faster rclone`), ...ours.map((t) => `${t} LIST requests`)];
  const rows = curve.map((c) => {
    const of = (tool: string) => c.tools.find((f) => f.tool === tool);
    return [
      count(c.spec.files),
      c.spec.folders === 1 ? 'one folder' : `${c.spec.folders} folders`,
      ...tools.map((t) => seconds(of(t)?.wallSeconds ?? null)),
      ...ours.map((t) => {
        const ratio = of(t)?.ratio;
        return ratio !== undefined && Number.isFinite(ratio) ? ratio.toFixed(2) : '—';
      }),
      ...ours.map((t) => (of(t) ? count(of(t)!.listRequestsMax) : '—')),
    ];
  });
  return ['### (e) scaling curve: no-change re-sync', '', ...renderTable(header, rows), ''];
}

/** The curve as line-chart data: wall time by entries, one line per tool and layout. */
export function curveChart(figures: RemoteFigures): LineChart | undefined {
  const curve = figures.cases.filter((c) => c.spec.scenario === 'e');
  if (curve.length === 0) return undefined;
  const series = new Map<string, { name: string; dashed: boolean; points: Array<{ x: number; y: number }> }>();
  for (const c of curve) {
    const layout = c.spec.folders === 1 ? 'one folder' : `${c.spec.folders} folders`;
    for (const f of c.tools) {
      const name = `${f.tool} (${layout})`;
      const line = series.get(name) ?? { name, dashed: c.spec.folders !== 1, points: [] };
      line.points.push({ x: c.spec.files, y: f.wallSeconds });
      series.set(name, line);
    }
  }
  return { title: 'No-change re-sync through 20 ms / 60 ms per listing page: median wall time', xLabel: 'entries in the zip and the prefix', yLabel: 'wall time, s', series: [...series.values()] };
}

function targetsTable(figures: RemoteFigures): string[] {
  if (figures.targets.length === 0) return [];
  const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');
  return ['### Targets (issue 25)', '', ...renderTable(['target', 'tool', 'measured', 'limit', 'verdict'], figures.targets.map((t) => [t.target, t.tool, t.measured, t.limit, verdict(t.pass)])), ''];
}

/** The figure as Markdown: set-up, one table per case (the curve as one table), the targets, the notes. */
export function renderRemote(result: RemoteResult, figures: RemoteFigures): string {
  const out: string[] = [
    `- every tool through the proxy in the bench process: latency ${result.latency}; throttled cases: ${result.throttle}`,
    `- ${result.rounds} round(s), tool order shuffled per round (seed ${result.seed})${result.rounds >= 2 ? '; round 1 is a warm-up, left out of the medians' : ''}; medians; ratios against the faster rclone configuration of each case`,
    '- first syncs go into a fresh bucket per run, then the bucket is listed straight from the server (not through the proxy) against the fixture: `missing` counts files not stored; no-change runs re-sync one prefix filled beforehand by s3zipsync straight to the server',
    '- requests counted by the proxy, retries and throttled ones included; 503s = SlowDown answers of the throttle plugin; failed = entries the tool itself reports failed (`?`: it does not say); CPU = user + system of the tool\'s process tree',
    ...result.skipped.map((s) => `- NOT MEASURED: ${s}`),
    '',
  ];
  for (const c of figures.cases.filter((c) => c.spec.scenario !== 'e')) {
    out.push(`### ${c.spec.title}${c.spec.throttled ? ` at ${result.putRate} PUT/s (ideal N/rate = ${(c.spec.files / result.putRate).toFixed(2)} s)` : ''}`, '', ...caseTable(c), '');
  }
  const curve = figures.cases.filter((c) => c.spec.scenario === 'e');
  out.push(...curveTable(result, figures));
  if (curve.length) {
    out.push('<details><summary>curve: every tool and run figure per point</summary>', '');
    for (const c of curve) out.push(`#### ${c.spec.title}`, '', ...caseTable(c), '');
    out.push('</details>', '');
  }
  out.push(...targetsTable(figures));
  const notes: string[] = result.tools.map((t) => `${t.name} (${t.version}): ${t.note}`);
  for (const c of figures.cases) for (const f of c.tools) for (const p of f.problems) notes.push(`PROBLEM ${c.spec.id} ${f.tool}: ${p}`);
  out.push('### Tools and notes', '', ...notes.map((n) => `- ${n.replace(/\|/g, '\\|')}`));
  return `${out.join('\n')}\n`;
}

export interface ChartSeries {
  name: string;
  points: Array<{ x: number; y: number }>;
  /** Drawn dashed: e.g. the many-folder layout beside the one-folder one. */
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 64, right: 200, top: 40, bottom: 52 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** 1, 2 or 5 times a power of ten: about five steps from 0 to `max`. */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power);
}

/**
 * A plain SVG line chart, readable in a browser or a Markdown preview: linear axes from 0, a tick per
 * x value measured, one colour per series name (a dashed twin shares its colour), a legend on the right.
 */
export function renderLineChart(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...points.map((p) => p.x));
  const yStep = niceStep(Math.max(...points.map((p) => p.y), 0));
  const yMax = Math.max(yStep, Math.ceil(Math.max(...points.map((p) => p.y), 0) / yStep) * yStep);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    // A title element names the chart for screen readers (and biome's accessibility lint).
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${sy(0)}" x2="${MARGIN.left + plotW}" y2="${sy(0)}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${sy(0)}" stroke="black"/>`,
  ];
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    out.push(`<line x1="${MARGIN.left}" y1="${f(sy(y))}" x2="${MARGIN.left + plotW}" y2="${f(sy(y))}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${f(sy(y) + 4)}" text-anchor="end">${Number(y.toPrecision(6))}</text>`);
  }
  for (const x of [...new Set(points.map((p) => p.x))].sort((a, b) => a - b)) {
    out.push(`<line x1="${f(sx(x))}" y1="${sy(0)}" x2="${f(sx(x))}" y2="${sy(0) + 5}" stroke="black"/>`);
    out.push(`<text x="${f(sx(x))}" y="${sy(0) + 18}" text-anchor="middle">${x.toLocaleString('en-US')}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  const colorOf = new Map<string, string>();
  for (const [i, series] of chart.series.entries()) {
    const base = series.name.replace(/ \(.*\)$/, '');
    if (!colorOf.has(base)) colorOf.set(base, COLORS[colorOf.size % COLORS.length]!);
    const color = colorOf.get(base)!;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${sorted.map((p) => `${f(sx(p.x))},${f(sy(p.y))}`).join(' ')}"/>`);
    for (const p of sorted) out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 10 + i * 18;
    out.push(`<line x1="${WIDTH - MARGIN.right + 16}" y1="${ly}" x2="${WIDTH - MARGIN.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${WIDTH - MARGIN.right + 46}" y="${ly + 4}">${escapeXml(series.name)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

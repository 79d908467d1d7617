import { boxOf } from './distribution.js';
import { PALETTE, escapeXml, linearTicks, px } from './svg.js';

export interface StripRow {
  name: string;
  values: number[];
}

export interface StripPanel {
  title: string;
  rows: StripRow[];
}

export interface StripChart {
  title: string;
  /** Lines under the title: the run's facts. */
  facts?: string[];
  panels: StripPanel[];
}

const WIDTH = 760;
const LEFT = 170;
const RIGHT = 30;
const ROW = 34;
const PLOT_W = WIDTH - LEFT - RIGHT;

/**
 * Every measured value of each row as a dot, on a linear axis from 0 per panel, with the median as a
 * bar and, from 5 values up, the box (p25–p75): the few rounds of a figure shown as they came, not as
 * one median. Plain SVG, nothing fetched; rows are <g data-series="panel:row" data-count="n">.
 */
export function renderStripChart(chart: StripChart): string {
  const out: string[] = [`<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`];
  let y = 24;
  for (const fact of chart.facts ?? []) {
    y += 16;
    out.push(`<text x="10" y="${y}" font-size="11">${escapeXml(fact)}</text>`);
  }
  y += 20;
  for (const panel of chart.panels) {
    const values = panel.rows.flatMap((r) => r.values);
    y += 18;
    out.push(`<text x="${LEFT}" y="${y}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`);
    y += 8;
    const high = Math.max(0, ...values) * 1.05 || 1;
    const sx = (v: number) => LEFT + (v / high) * PLOT_W;
    const top = y;
    const bottom = top + ROW * panel.rows.length;
    for (const tick of linearTicks(0, high)) {
      out.push(`<line x1="${px(sx(tick))}" y1="${top}" x2="${px(sx(tick))}" y2="${bottom}" stroke="#eee"/>`);
      out.push(`<text x="${px(sx(tick))}" y="${bottom + 14}" text-anchor="middle" font-size="11">${Number(tick.toPrecision(6))}</text>`);
    }
    for (const [i, row] of panel.rows.entries()) {
      const mid = top + ROW * i + ROW / 2;
      const color = PALETTE[i % PALETTE.length]!;
      out.push(`<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(row.name)}</text>`);
      out.push(`<g data-series="${escapeXml(`${panel.title}:${row.name}`)}" data-count="${row.values.length}" fill="${color}" fill-opacity="0.6">`);
      row.values.forEach((value, k) => {
        const jitter = (((k * 2654435761) >>> 0) / 4294967296 - 0.5) * (ROW * 0.45);
        out.push(`<circle cx="${px(sx(value))}" cy="${px(mid + jitter)}" r="3"/>`);
      });
      out.push('</g>');
      const box = boxOf(row.values);
      if (box) {
        const h = ROW * 0.7;
        if (row.values.length >= 5) out.push(`<rect x="${px(sx(box.p25))}" y="${px(mid - h / 2)}" width="${px(Math.max(1, sx(box.p75) - sx(box.p25)))}" height="${px(h)}" fill="none" stroke="black"/>`);
        out.push(`<line x1="${px(sx(box.median))}" y1="${px(mid - h / 2)}" x2="${px(sx(box.median))}" y2="${px(mid + h / 2)}" stroke="black" stroke-width="2.5"/>`);
      }
    }
    y = bottom + 22;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    // A title element names the chart for screen readers (and biome's accessibility lint).
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

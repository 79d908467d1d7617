import { quantile } from '../engine/stats.js';
import type { ScenarioResult, Verdict } from '../engine/types.js';
import { pairedRatios } from '../engine/verdict.js';
import { boxOf, keptTimes } from './distribution.js';
import type { ReportView } from './report-view.js';
import { PALETTE, escapeXml, linearTicks, px, ratioTicks } from './svg.js';
import { verdictSentence } from './verdict-text.js';

const WIDTH = 760;
const LEFT = 150;
const RIGHT = 30;
const ROW = 44;
const PLOT_W = WIDTH - LEFT - RIGHT;

/**
 * One scenario as a standalone SVG: a strip of every kept per-round sample of each variant with its
 * box (p25–p75, median, whiskers p5–p95) on one time axis, then, per comparison, the per-round
 * ratios to the reference on a log axis with their median, 95% CI, 1 and the ±minEffect band.
 * Series are <g data-series="…" data-count="…"> so a reader (or a test) can find each one.
 */
export function renderScenarioChart(view: ReportView, scenario: ScenarioResult): { svg: string; height: number } {
  const out: string[] = [];
  const times = scenario.variants.map((v) => ({ name: v.variant, points: keptTimes(view.samples, scenario.scenario, v.variant) }));
  const all = times.flatMap((t) => t.points.map((p) => p.ms));
  let y = 24;
  out.push(`<text x="${LEFT}" y="${y}" font-size="14" font-weight="bold">${escapeXml(scenario.scenario)}: time per sample (ms), every kept round</text>`);
  y += 16;
  if (all.length > 0) {
    const sorted = all.slice().sort((a, b) => a - b);
    // The axis ends at the 99th percentile: one GC pause would otherwise squeeze every box into a line.
    const low = Math.max(0, sorted[0]! - (quantile(sorted, 0.99) - sorted[0]!) * 0.05);
    const high = quantile(sorted, 0.99) * 1.03 + 1e-9;
    const sx = (ms: number) => LEFT + ((Math.min(ms, high) - low) / (high - low)) * PLOT_W;
    const top = y;
    const bottom = top + ROW * times.length;
    for (const tick of linearTicks(low, high)) {
      out.push(`<line x1="${px(sx(tick))}" y1="${top}" x2="${px(sx(tick))}" y2="${bottom}" stroke="#eee"/>`);
      out.push(`<text x="${px(sx(tick))}" y="${bottom + 14}" text-anchor="middle" font-size="11">${Number(tick.toPrecision(6))}</text>`);
    }
    for (const [i, series] of times.entries()) {
      const color = PALETTE[i % PALETTE.length]!;
      const mid = top + ROW * i + ROW / 2;
      const beyond = series.points.filter((p) => p.ms > high).length;
      out.push(`<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(series.name)}</text>`);
      out.push(`<g data-series="samples:${escapeXml(series.name)}" data-count="${series.points.length}" fill="${color}" fill-opacity="0.45">`);
      for (const point of series.points) {
        // Jitter from the round number, not a random source: the same report renders the same file.
        const jitter = (((point.round * 2654435761) >>> 0) / 4294967296 - 0.5) * (ROW * 0.5);
        out.push(`<circle cx="${px(sx(point.ms))}" cy="${px(mid + jitter)}" r="2"/>`);
      }
      out.push('</g>');
      const box = boxOf(series.points.map((p) => p.ms));
      if (box) {
        const h = ROW * 0.7;
        out.push(`<g data-series="box:${escapeXml(series.name)}" stroke="black" fill="none">`);
        out.push(`<line x1="${px(sx(box.p5))}" y1="${px(mid)}" x2="${px(sx(box.p25))}" y2="${px(mid)}"/>`);
        out.push(`<line x1="${px(sx(box.p75))}" y1="${px(mid)}" x2="${px(sx(box.p95))}" y2="${px(mid)}"/>`);
        out.push(`<rect x="${px(sx(box.p25))}" y="${px(mid - h / 2)}" width="${px(Math.max(1, sx(box.p75) - sx(box.p25)))}" height="${px(h)}"/>`);
        out.push(`<line x1="${px(sx(box.median))}" y1="${px(mid - h / 2)}" x2="${px(sx(box.median))}" y2="${px(mid + h / 2)}" stroke-width="2.5"/>`);
        out.push('</g>');
      }
      if (beyond > 0) out.push(`<text x="${WIDTH - RIGHT + 2}" y="${mid + 4}" font-size="10">+${beyond}→</text>`);
    }
    y = bottom + 34;
  }

  const comparisons = scenario.verdicts.filter((v): v is Exclude<Verdict, { state: 'insufficient' }> => v.state !== 'insufficient');
  if (comparisons.length > 0) {
    out.push(`<text x="${LEFT}" y="${y}" font-size="14" font-weight="bold">time ÷ ${escapeXml(scenario.reference)}, per round (log scale): median and 95% CI</text>`);
    y += 16;
    const input = (variant: string) => ({ variant, byRound: new Map(keptTimes(view.samples, scenario.scenario, variant).map((p) => [p.round, p.ms] as const)) });
    const ratioSeries = comparisons.map((v) => ({ verdict: v, ratios: pairedRatios(input(v.variant), input(scenario.reference)).ratios }));
    const logs = ratioSeries.flatMap((s) => [...s.ratios, ...s.verdict.ci]).map(Math.log).sort((a, b) => a - b);
    const minEffect = Math.log(1 + (comparisons[0]?.minEffect ?? 0));
    const low = Math.min(quantile(logs, 0.02), -minEffect * 2, ...comparisons.map((v) => Math.log(v.ci[0])));
    const high = Math.max(quantile(logs, 0.98), minEffect * 2, ...comparisons.map((v) => Math.log(v.ci[1])));
    const pad = (high - low) * 0.05;
    const [lo, hi] = [low - pad, high + pad];
    const sx = (ratio: number) => LEFT + ((Math.min(Math.max(Math.log(ratio), lo), hi) - lo) / (hi - lo)) * PLOT_W;
    const top = y;
    const bottom = top + ROW * comparisons.length;
    out.push(`<rect x="${px(sx(1 / (1 + (comparisons[0]?.minEffect ?? 0))))}" y="${top}" width="${px(sx(1 + (comparisons[0]?.minEffect ?? 0)) - sx(1 / (1 + (comparisons[0]?.minEffect ?? 0))))}" height="${bottom - top}" fill="#f3f3f3"/>`);
    for (const tick of spaced(ratioTicks(Math.exp(lo), Math.exp(hi)), sx)) {
      out.push(`<line x1="${px(sx(tick))}" y1="${top}" x2="${px(sx(tick))}" y2="${bottom}" stroke="${tick === 1 ? '#555' : '#e4e4e4'}"/>`);
      out.push(`<text x="${px(sx(tick))}" y="${bottom + 14}" text-anchor="middle" font-size="11">${tick}×</text>`);
    }
    for (const [i, { verdict, ratios }] of ratioSeries.entries()) {
      const color = PALETTE[(scenario.variants.findIndex((v) => v.variant === verdict.variant) + PALETTE.length) % PALETTE.length]!;
      const mid = top + ROW * i + ROW / 2;
      out.push(`<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(verdict.variant)}</text>`);
      out.push(`<g data-series="ratios:${escapeXml(verdict.variant)}" data-count="${ratios.length}" fill="${color}" fill-opacity="0.35">`);
      ratios.forEach((ratio, k) => {
        const jitter = (((k * 2654435761) >>> 0) / 4294967296 - 0.5) * (ROW * 0.4);
        out.push(`<circle cx="${px(sx(ratio))}" cy="${px(mid + jitter)}" r="1.8"/>`);
      });
      out.push('</g>');
      out.push(`<g data-series="ci:${escapeXml(verdict.variant)}" data-ratio="${verdict.ratio}" data-ci="${verdict.ci.join(' ')}" data-state="${verdict.state}">`);
      out.push(`<line x1="${px(sx(verdict.ci[0]))}" y1="${px(mid)}" x2="${px(sx(verdict.ci[1]))}" y2="${px(mid)}" stroke="black" stroke-width="4"/>`);
      out.push(`<circle cx="${px(sx(verdict.ratio))}" cy="${px(mid)}" r="5" fill="white" stroke="black" stroke-width="2"/>`);
      out.push(`<title>${escapeXml(verdictSentence(verdict))}</title>`);
      out.push('</g>');
    }
    y = bottom + 32;
    out.push(`<text x="${LEFT}" y="${y}" font-size="11" fill="#555">grey band: within ±${Number(((comparisons[0]?.minEffect ?? 0) * 100).toFixed(1))}%, a difference called negligible; dark line: 1 (no difference)</text>`);
    y += 10;
  }
  const height = y + 10;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...out,
    '</svg>',
  ].join('\n');
  return { svg, height };
}

/** Which ratio ticks win when labels would collide: 1, then the round steps, the fine ones last. */
const TICK_PRIORITY = [1, 2, 0.5, 1.5, 0.8, 1.25, 0.9, 1.1, 3, 5, 10, 4, 0.2, 0.1, 0.25, 0.67, 1.05, 0.95];

/** The ticks that keep their labels apart, chosen in TICK_PRIORITY order. */
function spaced(ticks: number[], sx: (value: number) => number, minGap = 38): number[] {
  const kept: number[] = [];
  const priority = (t: number) => (TICK_PRIORITY.includes(t) ? TICK_PRIORITY.indexOf(t) : TICK_PRIORITY.length);
  for (const tick of ticks.slice().sort((a, b) => priority(a) - priority(b))) {
    if (kept.every((other) => Math.abs(sx(other) - sx(tick)) >= minGap)) kept.push(tick);
  }
  return kept.sort((a, b) => a - b);
}

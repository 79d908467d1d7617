/** Small helpers for hand-written SVG: text escaping and number formatting that keep files small and valid. */

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** One decimal: sub-pixel precision is invisible and triples the file. */
export function px(value: number): string {
  return Number(value.toFixed(1)).toString();
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** Ticks for a linear axis: 1, 2 or 5 times a power of ten, about `count` of them across [low, high]. */
export function linearTicks(low: number, high: number, count = 8): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Candidate ticks for a ratio axis drawn on a log scale: the usual "×" steps that fall in range (the chart thins them). */
export function ratioTicks(low: number, high: number): number[] {
  const candidates = [0.1, 0.2, 0.25, 0.5, 0.67, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2, 3, 4, 5, 10];
  return candidates.filter((t) => t >= low && t <= high);
}

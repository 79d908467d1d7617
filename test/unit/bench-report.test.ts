import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaxesParser } from 'saxes';
import { summarizeAa, wilson } from '../../bench/engine/aa.js';
import { analyzeScenario } from '../../bench/engine/analyze.js';
import { createRng } from '../../bench/engine/rng.js';
import type { Sample, ScenarioResult } from '../../bench/engine/types.js';
import { formatAaText } from '../../bench/print/aa-text.js';
import { formatReportHtml, formatReportSvg } from '../../bench/print/report-page.js';
import { formatText } from '../../bench/print/report-text.js';
import type { ReportView } from '../../bench/print/report-view.js';
import { packItems, wrapProse, wrapTable } from '../../bench/print/wrap-table.js';

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Rounds in which `slow` takes `factor`× the time of `fast`, both drifting together, with 5% noise. */
function pairedSamples(scenario: string, rounds: number, factor: number, seed: number, names = ['slow', 'fast']): Sample[] {
  const rng = createRng(seed);
  const samples: Sample[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const base = 4 + Math.sin(round / 7);
    names.forEach((variant, position) => {
      samples.push({
        round,
        position,
        variant,
        scenario,
        ms: base * (position === 0 ? factor : 1) * Math.exp(0.05 * gaussian(rng)),
        cpuMs: 1,
        warmup: round < 2,
        newSockets: 0,
        reusedSockets: 1,
        requests: { HeadObject: 1 },
      });
    });
  }
  return samples;
}

function viewOf(scenarios: Array<{ name: string; samples: Sample[] }>, rngSeed = 1): ReportView {
  const rng = createRng(rngSeed);
  return {
    title: 's3zipsync bench: a synthetic run',
    header: ['endpoint http://127.0.0.1:1 · region us-east-1', 'seed 1 · 80 samples'],
    scenarios: scenarios.map(({ name, samples }) => ({ ...analyzeScenario(name, samples, rng), description: 'synthetic', notes: ['cost per 1,000: slow $0.0004 · fast $0.0004'] })),
    samples: scenarios.flatMap((s) => s.samples),
  };
}

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/** Parses as XML (throws on anything malformed) into a small tree. */
function parseXml(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root;
}

function walk(element: Element, visit: (element: Element) => void): void {
  visit(element);
  for (const child of element.children) walk(child, visit);
}

function seriesOf(root: Element): Map<string, Element> {
  const series = new Map<string, Element>();
  walk(root, (e) => {
    if (e.attributes['data-series']) series.set(e.attributes['data-series'], e);
  });
  return series;
}

/** Nothing that a browser would fetch: no script, no stylesheet link, no href/src, no url() in CSS. */
function assertSelfContained(text: string, root: Element): void {
  walk(root, (e) => {
    assert.ok(!['script', 'link', 'img', 'iframe', 'object', 'embed', 'use', 'image'].includes(e.name), `<${e.name}> in the report`);
    for (const attribute of Object.keys(e.attributes)) assert.ok(!/^(href|src|xlink:href)$/.test(attribute), `${attribute} on <${e.name}>`);
  });
  assert.doesNotMatch(text, /url\(|@import/);
  const urls = text.match(/https?:\/\/[^\s"'<]+/g) ?? [];
  const allowed = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://127.0.0.1:1']);
  for (const url of urls) assert.ok(allowed.has(url), `a URL in the report: ${url}`);
}

describe('bench statistic through analyzeScenario and the text report', () => {
  it('names a synthetic 1.2× difference with its direction, in the table and the verdict alike', () => {
    const view = viewOf([{ name: 'absent', samples: pairedSamples('absent', 80, 1.2, 7) }]);
    const scenario = view.scenarios[0]!;
    assert.equal(scenario.reference, 'fast');
    assert.deepEqual(scenario.variants.map((v) => v.variant), ['fast', 'slow']);
    const verdict = scenario.verdicts[0]!;
    assert.equal(verdict.state, 'different');
    if (verdict.state !== 'different') return;
    assert.equal(verdict.variant, 'slow');
    assert.equal(verdict.faster, 'fast');
    assert.ok(Math.abs(verdict.ratio - 1.2) < 0.03, `ratio ${verdict.ratio}`);

    const text = formatText(view).replace(/\n {6}/g, ' ');
    const sentence = `slow takes ${verdict.ratio.toFixed(2)}× the time of fast (95% CI ${verdict.ci[0].toFixed(2)}–${verdict.ci[1].toFixed(2)}): fast is faster`;
    assert.ok(text.includes(`verdict: ${sentence}`), text);
    // The table's row carries the same ratio and interval as the verdict.
    const row = text.split('\n').find((line) => /^ {2}2 {2}slow /.test(line));
    assert.ok(row?.includes(`${verdict.ratio.toFixed(2)}×`) && row.includes(`${verdict.ci[0].toFixed(2)}–${verdict.ci[1].toFixed(2)}`) && row.includes('slower'), row);
    for (const line of formatText(view).split('\n')) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
  });

  it('calls an A/A pair no difference', () => {
    const view = viewOf([{ name: 'absent', samples: pairedSamples('absent', 200, 1, 11, ['head-A', 'head-B']) }]);
    const verdict = view.scenarios[0]!.verdicts[0]!;
    assert.equal(verdict.state, 'no-difference', JSON.stringify(verdict));
    // Wrapped prose continues on lines indented by six spaces: read it joined.
    assert.match(formatText(view).replace(/\n {6}/g, ' '), /verdict: head-. takes \d\.\d\d× the time of head-. \(95% CI [\d.]+–[\d.]+\): no significant difference \(the interval contains 1\)/);
  });

  it('says so when the arms\' own medians order differently from the paired ranking', () => {
    const view = viewOf([{ name: 'absent', samples: pairedSamples('absent', 80, 1.2, 7) }]);
    assert.doesNotMatch(formatText(view), /order differently/);
    // The reference's own median made the larger one, as drift can do to unpaired medians.
    view.scenarios[0]!.variants[0]!.summary.median = 100;
    assert.match(formatText(view).replace(/\n {6}/g, ' '), /ranked by the paired per-round ratio \(the verdicts' statistic\); the arms' own medians order differently here/);
  });

  it('wraps a wide table into blocks that repeat the leading columns, and prose at word boundaries', () => {
    const head = ['#', 'variant', ...Array.from({ length: 12 }, (_, i) => `column ${i}`)];
    const rows = [['1', 'chunks-natural', ...Array.from({ length: 12 }, () => '123.456 ms')]];
    const lines = wrapTable(head, rows);
    assert.ok(lines.every((line) => line.length <= 100));
    const heads = lines.filter((line) => line.startsWith('  #  variant'));
    assert.ok(heads.length >= 2, lines.join('\n'));
    assert.equal(lines.filter((line) => line.includes('chunks-natural')).length, heads.length);
    assert.deepEqual(wrapProse('aaa bbb ccc', '  ', 2, 9), ['  aaa bbb', '    ccc']);
    assert.deepEqual(packItems(['1.00 (0.9–1.1)', '1.01 (0.9–1.1)'], ' · ', '  ', 20), ['  1.00 (0.9–1.1) ·', '  1.01 (0.9–1.1)']);
  });
});

describe('bench --report', () => {
  const scenarios = [
    { name: 'absent', samples: pairedSamples('absent', 60, 1.2, 3) },
    { name: 'present', samples: pairedSamples('present', 60, 1, 5) },
  ];

  const checkSeries = (root: Element, view: ReportView) => {
    const series = seriesOf(root);
    for (const scenario of view.scenarios) {
      for (const variant of scenario.variants) {
        const strip = series.get(`samples:${variant.variant}`);
        assert.ok(strip, `samples:${variant.variant}`);
      }
    }
    // Per scenario, one strip per variant with every kept sample as a dot, a box, and the ratios with their CI.
    const strips = [...seriesOf(root).keys()];
    for (const prefix of ['samples:', 'box:', 'ratios:', 'ci:']) assert.ok(strips.some((k) => k.startsWith(prefix)), `${prefix} series: ${strips}`);
    let samplesSeries = 0;
    let ciSeries = 0;
    walk(root, (e) => {
      const name = e.attributes['data-series'] ?? '';
      if (name.startsWith('samples:')) {
        samplesSeries++;
        assert.equal(e.attributes['data-count'], '60');
        assert.equal(e.children.filter((c) => c.name === 'circle').length, 60);
      }
      if (name.startsWith('ratios:')) assert.equal(e.children.filter((c) => c.name === 'circle').length, 60);
      if (name === 'ci:slow') {
        ciSeries++;
        const ratio = Number(e.attributes['data-ratio']);
        const [lo, hi] = e.attributes['data-ci']!.split(' ').map(Number);
        assert.ok(lo! <= ratio && ratio <= hi!);
        assert.ok(ciSeries === 1 ? e.attributes['data-state'] === 'different' && ratio > 1.1 : e.attributes['data-state'] === 'no-difference', JSON.stringify(e.attributes));
      }
    });
    assert.equal(samplesSeries, 4, 'two variants in each of two scenarios');
    assert.equal(ciSeries, 2);
  };

  it('writes a self-contained, well-formed HTML page with a chart per scenario and the run facts', () => {
    const view = viewOf(scenarios);
    const html = formatReportHtml(view);
    assert.match(html, /^<!DOCTYPE html>\n<html /);
    const root = parseXml(html);
    assertSelfContained(html, root);
    let svgs = 0;
    walk(root, (e) => {
      if (e.name === 'svg') svgs++;
    });
    assert.equal(svgs, 2);
    checkSeries(root, view);
    assert.ok(html.includes('endpoint http://127.0.0.1:1 · region us-east-1'));
    assert.ok(html.includes('slow takes 1.'), 'the verdict sentence');
    assert.ok(html.includes('cost per 1,000'));
  });

  it('writes the same charts as one self-contained SVG file', () => {
    const view = viewOf(scenarios);
    const svg = formatReportSvg(view);
    const root = parseXml(svg);
    assert.equal(root.children[0]?.name, 'svg');
    assert.equal(root.children[0]?.attributes.xmlns, 'http://www.w3.org/2000/svg');
    assertSelfContained(svg, root);
    checkSeries(root, view);
  });
});

describe('A/A summary', () => {
  const scenarioWith = (state: 'no-difference' | 'negligible' | 'different'): ScenarioResult => ({
    scenario: 'absent',
    reference: 'head-A',
    variants: [],
    verdicts: [
      state === 'no-difference'
        ? { state, variant: 'head-B', reference: 'head-A', ratio: 1.01, ci: [0.98, 1.04], minEffect: 0.03, pairs: 200, warnings: [] }
        : { state, variant: 'head-B', reference: 'head-A', ratio: state === 'different' ? 1.05 : 1.02, ci: [1.01, 1.08], minEffect: 0.03, pairs: 200, warnings: [], faster: 'head-A' },
    ],
  });

  it('counts each outcome and gives the false-difference rate with an interval', () => {
    const states = [...Array<'no-difference'>(17).fill('no-difference'), 'negligible', 'negligible', 'different'] as const;
    const [summary] = summarizeAa(states.map((state, i) => ({ seed: i, scenarios: [scenarioWith(state)] })));
    assert.ok(summary);
    assert.equal(summary.measured, 20);
    assert.equal(summary.noDifference, 17);
    assert.equal(summary.negligible, 2);
    assert.equal(summary.different, 1);
    assert.equal(summary.falseDifferenceRate, 0.05);
    assert.equal(summary.quietRate, 0.95);
    assert.equal(summary.strictRate, 0.85);
    assert.ok(summary.quietRateCi[0] < 0.95 && summary.quietRateCi[1] > 0.95);
    const text = formatAaText({ title: 'A/A', header: [], scenarios: [summary] });
    assert.match(text, /absent +20 +17 +2 +1 +5% +95% \(\d+%–\d+%\) +met/);
    // Shown as A/B: head-B/head-A = 1.05, so A/B ≈ 0.952.
    assert.match(text, /0\.952 \(0\.93–0\.99\)\*/);
  });

  it('Wilson interval: sensible at the edges', () => {
    const [lo, hi] = wilson(20, 20);
    assert.equal(hi, 1);
    assert.ok(lo > 0.8 && lo < 0.86, `${lo}`);
    assert.deepEqual(wilson(0, 0), [0, 1]);
  });
});

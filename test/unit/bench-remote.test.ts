import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeRemote, classCounts } from '../../bench/remote/analyze.js';
import { niceStep, renderLineChart } from '../../bench/remote/chart.js';
import { compareStoredSizes, readOutcome } from '../../bench/remote/outcome.js';
import { planCases } from '../../bench/remote/plan.js';
import { curveChart, renderRemote } from '../../bench/remote/print.js';
import { remoteRoundsChart } from '../../bench/remote/rounds-chart.js';
import { parseVariant } from '../../bench/remote/tools.js';
import { renderStripChart } from '../../bench/print/strip-chart.js';
import type { CaseSpec, RemoteResult, RemoteRun } from '../../bench/remote/types.js';

const TOOLS = ['s3zipsync', 'rclone', 'rclone-fast-list'];

function run(caseId: string, tool: string, round: number, wallSeconds: number, extra: Partial<RemoteRun> = {}): RemoteRun {
  return {
    case: caseId,
    tool,
    round,
    position: 0,
    warmup: round === 0,
    exitCode: 0,
    wallSeconds,
    cpuSeconds: 1,
    peakRssMiB: 60,
    requests: { byOperation: { ListObjectsV2: 20 }, errors: {}, total: 20 },
    slowDowns: { put: 0, get: 0, list: 0 },
    failedEntries: 0,
    stored: null,
    problems: [],
    stderrTail: undefined,
    ...extra,
  };
}

const spec = (id: string, extra: Partial<CaseSpec>): CaseSpec => ({ id, scenario: 'c', title: `(${id})`, files: 20000, folders: 1, phase: 'no-change', throttled: false, tools: TOOLS, ...extra });

function result(cases: CaseSpec[], runs: RemoteRun[]): RemoteResult {
  return {
    server: 'test',
    latency: 'default 20 ms',
    throttle: '300 PUT/s',
    putRate: 300,
    tools: TOOLS.map((name) => ({ name, isS3ZipSync: name === 's3zipsync', isRclone: name.startsWith('rclone'), version: '1', note: '' })),
    cases,
    runs,
    rounds: 3,
    seed: 1,
    listingSlack: 5,
    skipped: [],
  };
}

describe('bench:remote analysis', () => {
  it('leaves the warm-up round out of the medians and divides by the faster rclone', () => {
    const c = spec('c', {});
    const figures = analyzeRemote(
      result(
        [c],
        [
          run('c', 's3zipsync', 0, 100), // warm-up: would move the median if kept
          run('c', 's3zipsync', 1, 1),
          run('c', 's3zipsync', 2, 3),
          run('c', 'rclone', 1, 4),
          run('c', 'rclone', 2, 4),
          run('c', 'rclone-fast-list', 1, 8),
          run('c', 'rclone-fast-list', 2, 8),
        ],
      ),
    );
    const ours = figures.cases[0]!.tools.find((t) => t.tool === 's3zipsync')!;
    assert.equal(ours.runs, 2);
    assert.equal(ours.wallSeconds, 2);
    assert.equal(figures.cases[0]!.fasterRclone, 'rclone');
    assert.equal(ours.ratio, 0.5);
    const verdict = figures.targets.find((t) => t.case === 'c' && t.target.startsWith('no-change re-sync, one folder'))!;
    assert.equal(verdict.pass, false, '0.5 > 0.45');
  });

  it('passes the ratio target at or under its limit, and says n/a without an rclone run', () => {
    const b = spec('b', { scenario: 'b', folders: 200 });
    const passing = analyzeRemote(result([b], [run('b', 's3zipsync', 1, 4, { warmup: false }), run('b', 'rclone', 1, 4, { warmup: false })]));
    assert.equal(passing.targets.find((t) => t.case === 'b' && t.target.startsWith('no-change'))!.pass, true, '1.00× ≤ 1.0×');
    const alone = analyzeRemote(result([b], [run('b', 's3zipsync', 1, 4, { warmup: false })]));
    assert.equal(alone.targets.find((t) => t.case === 'b' && t.target.startsWith('no-change'))!.pass, null);
  });

  it('checks listing requests against ⌈N/1000⌉ + K with the most any run sent', () => {
    const c = spec('c', { files: 20001 });
    const list = (n: number) => ({ requests: { byOperation: { ListObjectsV2: n }, errors: {}, total: n } });
    const figures = analyzeRemote(result([c], [run('c', 's3zipsync', 1, 1, list(26)), run('c', 's3zipsync', 2, 1, list(27))]));
    const verdict = figures.targets.find((t) => t.target.startsWith('listing'))!;
    assert.equal(verdict.limit, '≤ ⌈N/1000⌉ + 5 = 26');
    assert.equal(verdict.measured, '27');
    assert.equal(verdict.pass, false);
  });

  it('judges a throttled first sync: lost files, exit code, wall against N/rate, and 503s against the faster rclone', () => {
    const d = spec('d-3000', { scenario: 'd', files: 3000, folders: 200, phase: 'first-sync', throttled: true });
    const stored = (missing: number) => ({ stored: { keysListed: 3000 - missing, missing, wrongSize: 0, extra: 0, examples: [] } });
    const slow = (put: number) => ({ slowDowns: { put, get: 0, list: 0 } });
    const figures = analyzeRemote(
      result(
        [d],
        [
          run('d-3000', 's3zipsync', 1, 11.4, { ...stored(0), ...slow(10) }),
          run('d-3000', 's3zipsync', 2, 11.6, { ...stored(2), ...slow(12), exitCode: 1, failedEntries: 2 }),
          run('d-3000', 'rclone', 1, 11, { ...stored(0), ...slow(40) }),
          run('d-3000', 'rclone', 2, 11, { ...stored(0), ...slow(40) }),
        ],
      ),
    );
    const verdict = (what: string) => figures.targets.find((t) => t.target.endsWith(what))!;
    assert.equal(verdict('failed entries').pass, false);
    assert.equal(verdict('exit code').pass, false);
    assert.equal(verdict('wall').pass, true, '11.5 s ≤ 1.15 × 10 s');
    assert.equal(verdict('503 SlowDown answers').pass, true, '11 < 40');
  });

  it('does not judge a tool whose runs have problems', () => {
    const c = spec('c', {});
    const figures = analyzeRemote(result([c], [run('c', 's3zipsync', 1, 1, { problems: ['wrote on a no-change sync'] }), run('c', 'rclone', 1, 10)]));
    assert.equal(figures.targets.find((t) => t.case === 'c' && t.target.startsWith('no-change'))!.pass, null);
    assert.match(renderRemote(result([c], []), figures), /s3zipsync \(UNTRUSTED\)/);
  });

  it('groups requests by S3 rate class', () => {
    assert.deepEqual(classCounts({ PutObject: 3, HeadObject: 2, ListObjectsV2: 1, HeadBucket: 1, UploadPart: 4 }), { put: 7, get: 2, list: 1, other: 1 });
  });
});

describe('bench:remote plan', () => {
  it('plans one case per scenario, one per throttled size, two per curve point', () => {
    const cases = planCases({ scenarios: ['a', 'b', 'c', 'd', 'e'], files: 100, folders: 10, throttledFiles: [50, 60], curveSizes: [10, 20], tools: ['s3zipsync', 'rclone', 'aws'], curveTools: ['s3zipsync', 'rclone'] });
    assert.deepEqual(cases.map((c) => c.id), ['a', 'b', 'c', 'd-50', 'd-60', 'e-one-10', 'e-many-10', 'e-one-20', 'e-many-20']);
    assert.deepEqual(cases.find((c) => c.id === 'c')!.folders, 1);
    assert.deepEqual(cases.find((c) => c.id === 'e-many-20')!.tools, ['s3zipsync', 'rclone']);
    assert.equal(cases.filter((c) => c.throttled).length, 2);
  });
});

describe('bench:remote outcomes', () => {
  it("reads failed entries from s3zipsync's summary and its refusal of unknown flags", () => {
    const s3zipsync = { isS3ZipSync: true, name: 's3zipsync' };
    const summary = '{"v":1,"type":"summary","counts":{"new":8,"failed":2,"notStarted":1},"requests":{},"totalRequests":10,"failures":[]}\n';
    assert.equal(readOutcome(s3zipsync, 1, summary, '').failedEntries, 3);
    const refused = readOutcome(s3zipsync, 2, '{"v":1,"type":"error","code":"USAGE","message":"Unknown argument: pacer","exitCode":2}\n', '');
    assert.equal(refused.usageError, 'Unknown argument: pacer');
  });

  it("reads rclone's last error count and aws-cli's failed uploads", () => {
    assert.equal(readOutcome({ isS3ZipSync: false, name: 'rclone' }, 1, '', 'ERROR : Attempt 3/3 failed\nFailed to sync with 7 errors: last error was: x').failedEntries, 7);
    assert.equal(readOutcome({ isS3ZipSync: false, name: 'aws' }, 1, '', 'upload failed: a to s3://b/a\nupload failed: c to s3://b/c\n').failedEntries, 2);
    assert.equal(readOutcome({ isS3ZipSync: false, name: 'aws' }, 255, '', 'Traceback').failedEntries, null);
    assert.equal(readOutcome({ isS3ZipSync: false, name: 'rclone' }, 0, '', '').failedEntries, 0);
  });

  it('compares listed sizes with the fixture: missing, wrong size and unexpected keys', () => {
    const files = [{ name: 'a', size: 1 }, { name: 'b', size: 2 }, { name: 'c', size: 3 }];
    const check = compareStoredSizes(new Map([['p/a', 1], ['p/b', 5], ['p/z', 1]]), 'p/', files);
    assert.deepEqual({ ...check, examples: check.examples.length }, { keysListed: 3, missing: 1, wrongSize: 1, extra: 1, examples: 3 });
    assert.deepEqual(compareStoredSizes(new Map([['p/a', 1], ['p/b', 2], ['p/c', 3]]), 'p/', files).examples, []);
  });
});

describe('bench:remote variants', () => {
  it('splits NAME=FLAGS into a name and arguments', () => {
    assert.deepEqual(parseVariant('window=--pacer window  --list-ranges 8'), { name: 'window', args: ['--pacer', 'window', '--list-ranges', '8'] });
    assert.throws(() => parseVariant('--concurrency 128'), /NAME=FLAGS/);
    assert.throws(() => parseVariant('Big=--x'), /NAME=FLAGS/);
    assert.throws(() => parseVariant('empty='), /no flags/);
  });
});

describe('bench:remote curve chart', () => {
  it('draws one line per tool and layout, with a point per size', () => {
    const cases = [10, 20].flatMap((files) => [spec(`e-one-${files}`, { scenario: 'e', files }), spec(`e-many-${files}`, { scenario: 'e', files, folders: 200 })]);
    const runs = cases.flatMap((c) => TOOLS.map((tool) => run(c.id, tool, 1, c.files / 10)));
    const chart = curveChart(analyzeRemote(result(cases, runs)))!;
    assert.equal(chart.series.length, 6);
    assert.deepEqual(chart.series.find((s) => s.name === 's3zipsync (200 folders)')!, { name: 's3zipsync (200 folders)', dashed: true, points: [{ x: 10, y: 1 }, { x: 20, y: 2 }] });
    const svg = renderLineChart({ ...chart, title: 'a <b> & c' });
    assert.equal(svg.match(/<polyline /g)?.length, 6);
    assert.match(svg, /a &lt;b&gt; &amp; c/);
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  });

  it('steps the y axis by 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceStep(9), 2);
    assert.equal(niceStep(23), 5);
    assert.equal(niceStep(0.4), 0.1);
    assert.equal(niceStep(0), 1);
  });
});

describe('remote rounds chart', () => {
  it('draws each tool\'s rounds after the warm-up, wall and CPU per case', () => {
    const runs = [0, 1, 2].flatMap((round) => TOOLS.map((tool, i) => run('c', tool, round, 10 + i + round, { cpuSeconds: round === 2 ? null : 2 })));
    const chart = remoteRoundsChart(result([spec('c', { title: 'no change, one folder' })], runs));
    assert.deepEqual(chart.panels.map((p) => p.title), ['(c) no change, one folder: wall s', '(c) no change, one folder: CPU s']);
    assert.deepEqual(chart.panels[0]!.rows.find((r) => r.name === 'rclone')!.values, [12, 13], 'round 0 is the warm-up');
    assert.deepEqual(chart.panels[1]!.rows.find((r) => r.name === 'rclone')!.values, [2], 'a CPU time that could not be read is left out');
    const svg = renderStripChart(chart);
    assert.match(svg, /<g data-series="\(c\) no change, one folder: wall s:s3zipsync" data-count="2"/);
  });
});

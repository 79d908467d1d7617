import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzePeers } from '../../bench/peers/analyze.js';
import { peersRoundsChart } from '../../bench/peers/chart.js';
import { renderStripChart } from '../../bench/print/strip-chart.js';
import { renderPeers } from '../../bench/peers/print.js';
import type { PeersResult, PhaseRun } from '../../bench/peers/types.js';

function run(tool: string, phase: PhaseRun['phase'], round: number, wallSeconds: number, byOperation: Record<string, number>, problems: string[] = []): PhaseRun {
  const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
  return { tool, timed: true, round, position: 0, phase, exitCode: 0, wallSeconds, cpuSeconds: 1, peakRssMiB: 80, requests: { byOperation, errors: {}, total }, problems, stderrHead: undefined };
}

/** A timed run straight to the server (no requests seen) and the counted run through the proxy. */
const timedRun = (tool: string, phase: PhaseRun['phase'], round: number, wallSeconds: number): PhaseRun => run(tool, phase, round, wallSeconds, {});
const countedRun = (tool: string, phase: PhaseRun['phase'], wallSeconds: number, byOperation: Record<string, number>, problems: string[] = []): PhaseRun => ({
  ...run(tool, phase, 0, wallSeconds, byOperation, problems),
  timed: false,
});

const info = (name: string, isS3ZipSync: boolean) => ({ name, isS3ZipSync, note: `${name} note`, version: '1.0', commandLine: name });

const result: PeersResult = {
  tools: [info('s3zipsync', true), info('peer', false), info('broken', false)],
  rounds: 3,
  seed: 7,
  fixture: 'fixture: test',
  runs: [
    run('s3zipsync', 'initial', 0, 2, { PutObject: 10, HeadObject: 10 }),
    run('s3zipsync', 'initial', 1, 4, { PutObject: 10, HeadObject: 10 }),
    run('s3zipsync', 'initial', 2, 3, { PutObject: 10, HeadObject: 10 }),
    run('s3zipsync', 'resync', 0, 1, { HeadObject: 10 }),
    run('peer', 'initial', 0, 6, { PutObject: 10, ListObjectsV2: 1 }),
    run('peer', 'initial', 1, 9, { PutObject: 10, ListObjectsV2: 2 }),
    run('peer', 'initial', 2, 12, { PutObject: 10, ListObjectsV2: 1 }),
    run('peer', 'resync', 0, 0.5, { ListObjectsV2: 1 }),
    run('broken', 'initial', 0, 0.1, { PutObject: 10 }, ['stored wrong content: 10 objects differ']),
  ],
};

describe('peers analysis', () => {
  const figures = analyzePeers(result);

  it('takes medians and divides by the first s3zipsync tool', () => {
    const peer = figures.find((f) => f.tool === 'peer')!;
    assert.equal(peer.phases.initial!.medianSeconds, 9);
    assert.equal(peer.phases.initial!.ratio, 3);
    assert.equal(peer.phases.resync!.ratio, 0.5);
    assert.equal(figures.find((f) => f.tool === 's3zipsync')!.isReference, true);
  });

  it('reports the spread of request counts across rounds', () => {
    const peer = figures.find((f) => f.tool === 'peer')!.phases.initial!;
    assert.equal(peer.requestsMin, 11);
    assert.equal(peer.requestsMax, 12);
    assert.equal(peer.requestsTotal, 11);
  });

  it('marks a tool that stored wrong bytes as untrusted, whatever its time', () => {
    const broken = figures.find((f) => f.tool === 'broken')!;
    assert.equal(broken.untrusted, true);
    const text = renderPeers(result, figures, 'text');
    assert.match(text, /broken \(UNTRUSTED, see below\)/);
    assert.match(text, /PROBLEM broken initial: round 1: stored wrong content/);
  });

  it('times from the timed rounds, requests and problems from the counted run', () => {
    const split: PeersResult = {
      ...result,
      tools: [info('s3zipsync', true), info('peer', false)],
      runs: [
        countedRun('s3zipsync', 'initial', 50, { PutObject: 10, ListObjectsV2: 1 }),
        timedRun('s3zipsync', 'initial', 0, 2),
        timedRun('s3zipsync', 'initial', 1, 4),
        countedRun('peer', 'initial', 99, { PutObject: 10, HeadObject: 10 }, ['exit code 1: boom']),
        timedRun('peer', 'initial', 0, 6),
        timedRun('peer', 'initial', 1, 6),
      ],
    };
    const [ours, peer] = analyzePeers(split);
    assert.equal(ours!.phases.initial!.medianSeconds, 3, 'the counted run (50 s) is not a timing');
    assert.equal(ours!.phases.initial!.requestsTotal, 11);
    assert.equal(peer!.phases.initial!.ratio, 2);
    assert.equal(peer!.phases.initial!.requestsTotal, 20);
    assert.equal(peer!.untrusted, true);
    assert.deepEqual(peer!.phases.initial!.problems, ['counted run: exit code 1: boom']);
  });

  it('prints the same rows as text and Markdown', () => {
    const text = renderPeers(result, figures, 'text');
    const markdown = renderPeers(result, figures, 'markdown');
    assert.match(text, /^peer\s+9\.00\s+3\.00\s+11 \[11–12\] \(PutObject 10, ListObjectsV2 1\)/m);
    assert.match(markdown, /^\| peer \| 9\.00 \| 3\.00 \| 11 \[11–12\] \(PutObject 10, ListObjectsV2 1\) \|/m);
  });
});

describe('peers rounds chart', () => {
  it('draws every timed round of each tool, wall and CPU per phase, as plain self-contained SVG', () => {
    const chart = peersRoundsChart(result);
    assert.deepEqual(chart.panels.map((p) => p.title), [
      'first sync: wall seconds per round',
      'first sync: CPU seconds per round',
      'no-change re-sync: wall seconds per round',
      'no-change re-sync: CPU seconds per round',
    ]);
    const wall = chart.panels[0]!;
    assert.deepEqual(wall.rows.find((r) => r.name === 'peer')!.values, [6, 9, 12]);
    const svg = renderStripChart(chart);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script|href=|src=|url\(/);
    const group = /<g data-series="first sync: wall seconds per round:peer" data-count="3"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
    assert.ok(group, 'the peer series of the first-sync wall panel');
    assert.equal(group[1]!.match(/<circle /g)?.length, 3);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figure } from '../../bench/figures/mirror.js';
import type { LocalCliRun } from '../../bench/run/s3zipsync-cli.js';

const flags = { archive: 4, old: 6, overlap: 2 };
const archive = ['site/p000/f00000.txt', 'site/p000/f00001.txt', 'site/p000/f00002.txt', 'site/p000/f00003.txt'];
const old = ['site/p000/f00000.txt', 'site/p000/f00001.txt', 'site/old000/f00002.txt', 'site/old000/f00003.txt', 'site/old000/f00004.txt', 'site/old000/f00005.txt'];

function cli(exitCode: number, stdout = ''): LocalCliRun {
  return {
    timed: { exitCode, wallSeconds: 1, peakRssMiB: null, cpuUserSeconds: null, cpuSystemSeconds: null, stdout, stderr: '', rssSource: '' },
    parsed: { summary: undefined, entryLineCounts: {}, problems: [] },
    problems: [],
    cpuSeconds: null,
  };
}

const mirrorOutput = [
  ...old.slice(2).map((key) => `Deleted! ${key}`),
  'New! site/p000/f00002.txt',
  'New! site/p000/f00003.txt',
  'Ignored site/p000/f00000.txt',
  'Updated! site/p000/f00001.txt',
  'Excluded site/.DS_Store',
  'Excluded site/p000/.DS_Store',
  'Excluded site/__MACOSX/p000/._f00000.txt',
].join('\n');

const step = (title: string, run: LocalCliRun, prefixKeys: string[]) => ({ title, args: [], run, prefixKeys, siblingKeys: 100, outsideKept: true });

describe('mirror figure verification', () => {
  it('trusts a refusal that changed nothing followed by an exact mirror', () => {
    const measured = { seedSeconds: 1, steps: [step('refused', cli(2), old), step('mirror', cli(0, mirrorOutput), archive)] };
    assert.deepEqual(figure.verify(measured, flags), []);
  });

  it('names each way the runs can go wrong', () => {
    const measured = {
      seedSeconds: 1,
      steps: [step('refused', cli(0), archive), { ...step('mirror', cli(0, 'Ignored site/p000/f00000.txt'), [...archive, 'site/old000/f00004.txt']), outsideKept: false }],
    };
    const problems = figure.verify(measured, flags);
    assert.ok(problems.includes('refused run: exit 0, expected 2'), problems.join('\n'));
    assert.ok(problems.includes('the refused run changed the prefix'));
    assert.ok(problems.includes('prefix holds 5 keys; expected exactly the 4 archive files'));
    assert.ok(problems.includes('sitemap.xml is gone'));
    assert.ok(problems.includes('Deleted!: 0 lines, expected 4'));
  });
});

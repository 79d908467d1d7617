import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, randomSeed, shuffle } from '../../bench/engine/rng.js';

const draw = (rng: () => number, n: number): number[] => Array.from({ length: n }, () => rng());

describe('createRng', () => {
  it('replays the same sequence for the same seed', () => {
    assert.deepEqual(draw(createRng(42), 100), draw(createRng(42), 100));
  });

  it('gives different sequences for different seeds', () => {
    const a = draw(createRng(1), 20);
    const b = draw(createRng(2), 20);
    assert.notDeepEqual(a, b);
    // Not merely offset by one: almost no positions coincide.
    assert.ok(a.filter((x, i) => x === b[i]).length <= 1);
  });

  it('matches the reference mulberry32 output, so recorded seeds replay across versions', () => {
    // First outputs of bryc's published mulberry32, times 2^32.
    assert.deepEqual(draw(createRng(1), 3).map((x) => x * 4294967296), [2693262067, 11749833, 2265367787]);
    assert.deepEqual(draw(createRng(0xdeadbeef), 3).map((x) => x * 4294967296), [4043151706, 1147597007, 3315858022]);
  });

  it('stays within [0, 1) with a mean near 0.5', () => {
    const xs = draw(createRng(7), 100_000);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  });
});

describe('randomSeed', () => {
  it('returns unsigned 32-bit integers that vary between calls', () => {
    const seeds = Array.from({ length: 8 }, () => randomSeed());
    for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s <= 0xffffffff, String(s));
    assert.ok(new Set(seeds).size > 1);
  });
});

describe('shuffle', () => {
  it('returns a permutation in a new array, leaving the input alone', () => {
    const input = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const out = shuffle(input, createRng(3));
    assert.notEqual(out, input);
    assert.deepEqual([...out].sort((x, y) => x - y), [...input]);
    assert.deepEqual(input, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('is deterministic for a seed', () => {
    const items = ['list', 'head', 'head-batch', 'get'];
    assert.deepEqual(shuffle(items, createRng(99)), shuffle(items, createRng(99)));
  });

  it('handles empty and single-item input', () => {
    assert.deepEqual(shuffle([], createRng(1)), []);
    assert.deepEqual(shuffle(['x'], createRng(1)), ['x']);
  });

  it('produces every ordering of 3 items about equally often', () => {
    const rng = createRng(2024);
    const trials = 60_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < trials; i++) {
      const key = shuffle(['a', 'b', 'c'], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    // Chi-square with 5 degrees of freedom; 20.5 is the 0.999 quantile.
    // A classic off-by-one (j in [0, n) instead of [0, i]) scores in the thousands.
    const expected = trials / 6;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    assert.ok(chi2 < 20.5, `chi2 ${chi2.toFixed(1)} over ${JSON.stringify([...counts])}`);
  });

  it('puts each item first about equally often over a longer list', () => {
    const rng = createRng(5);
    const n = 8;
    const trials = 40_000;
    const firsts = new Array<number>(n).fill(0);
    const items = Array.from({ length: n }, (_, i) => i);
    for (let t = 0; t < trials; t++) {
      const first = shuffle(items, rng)[0] as number;
      firsts[first] = (firsts[first] as number) + 1;
    }
    for (const c of firsts) assert.ok(Math.abs(c / trials - 1 / n) < 0.01, JSON.stringify(firsts));
  });
});

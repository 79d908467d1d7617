import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapMedianCI } from '../../bench/engine/bootstrap.js';
import { createRng } from '../../bench/engine/rng.js';
import { compareVariants } from '../../bench/engine/verdict.js';
import type { Verdict } from '../../bench/engine/types.js';

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** ms per round: `base(round) × factor × lognormal noise`. */
function series(
  rounds: number,
  rng: () => number,
  { factor = 1, sigma = 0.05, base = () => 100 }: { factor?: number; sigma?: number; base?: (round: number) => number } = {},
): Map<number, number> {
  const out = new Map<number, number>();
  for (let r = 0; r < rounds; r++) out.set(r, base(r) * factor * Math.exp(sigma * gaussian(rng)));
  return out;
}

type Different = Extract<Verdict, { faster: string }>;

function expectFaster(v: Verdict): Different {
  assert.equal(v.state, 'different', JSON.stringify(v));
  return v as Different;
}

describe('compareVariants', () => {
  it('finds no difference between identical distributions', () => {
    const data = createRng(1);
    const v = compareVariants(
      { variant: 'list', byRound: series(60, data) },
      { variant: 'head', byRound: series(60, data) },
      createRng(2),
    );
    assert.equal(v.state, 'no-difference', JSON.stringify(v));
    if (v.state !== 'no-difference') return;
    assert.equal(v.variant, 'list');
    assert.equal(v.reference, 'head');
    assert.equal(v.pairs, 60);
    assert.ok(v.ci[0] <= 1 && 1 <= v.ci[1], `ci ${v.ci}`);
    assert.ok(v.ci[0] <= v.ratio && v.ratio <= v.ci[1]);
    assert.ok(Math.abs(v.ratio - 1) < 0.05, `ratio ${v.ratio}`);
    assert.deepEqual(v.warnings, []);
  });

  it('finds a synthetic 1.2× difference with the right direction: the variant takes 1.2× the time of the reference', () => {
    const data = createRng(3);
    const v = expectFaster(
      compareVariants(
        { variant: 'list', byRound: series(60, data, { factor: 1.2 }) },
        { variant: 'head', byRound: series(60, data) },
        createRng(4),
      ),
    );
    assert.equal(v.faster, 'head');
    assert.equal(v.variant, 'list');
    assert.equal(v.reference, 'head');
    assert.ok(Math.abs(v.ratio - 1.2) < 0.04, `ratio ${v.ratio}`);
    assert.ok(v.ci[0] > 1 && v.ci[0] <= v.ratio && v.ratio <= v.ci[1], `ci ${v.ci}`);
    assert.equal(v.pairs, 60);
    assert.deepEqual(v.warnings, []);
  });

  it('finds the variant faster when the reference is 1.2× slower: a ratio below 1, 1/1.2', () => {
    const data = createRng(5);
    const v = expectFaster(
      compareVariants(
        { variant: 'list', byRound: series(60, data) },
        { variant: 'head', byRound: series(60, data, { factor: 1.2 }) },
        createRng(6),
      ),
    );
    assert.equal(v.faster, 'list');
    assert.ok(Math.abs(v.ratio - 1 / 1.2) < 0.03, `ratio ${v.ratio}`);
    assert.ok(v.ci[0] <= v.ratio && v.ratio <= v.ci[1] && v.ci[1] < 1, `ci ${v.ci}`);
  });

  it('compares paired rounds, so drift shared by both variants does not hide a 10% difference', () => {
    const data = createRng(7);
    // The machine slows tenfold over the run (and wobbles); both variants feel it equally per round.
    const base = (r: number): number => 50 + 8 * r + 40 * Math.sin(r);
    const slow = series(60, data, { factor: 1.1, sigma: 0.01, base });
    const fast = series(60, data, { sigma: 0.01, base });

    // Unpaired, the two medians are indistinguishable: their intervals overlap.
    const slowCI = bootstrapMedianCI([...slow.values()], createRng(1));
    const fastCI = bootstrapMedianCI([...fast.values()], createRng(1));
    assert.ok(slowCI[0] < fastCI[1] && fastCI[0] < slowCI[1], `${slowCI} vs ${fastCI}`);

    const v = expectFaster(compareVariants({ variant: 'get', byRound: slow }, { variant: 'head', byRound: fast }, createRng(8)));
    assert.equal(v.faster, 'head');
    assert.equal(v.variant, 'get');
    assert.ok(Math.abs(v.ratio - 1.1) < 0.01, `ratio ${v.ratio}`);
    assert.ok(v.ci[0] > 1.08 && v.ci[1] < 1.12, `ci ${v.ci}`);
  });

  it('pairs by round number, not by map order, and ignores rounds missing on either side', () => {
    const data = createRng(9);
    const base = (r: number): number => 10 * (r + 1);
    const a = series(40, data, { factor: 1.1, sigma: 0.01, base });
    const b = series(40, data, { sigma: 0.01, base });
    // Same entries, reversed insertion order: a zip over iteration order would pair round 0 with round 39.
    const bReversed = new Map([...b.entries()].reverse());
    // Rounds only one side ran (e.g. a crash) must be dropped, not paired with a neighbour.
    a.set(100, 1e6);
    bReversed.set(200, 1e-3);

    const v = expectFaster(compareVariants({ variant: 'a', byRound: a }, { variant: 'b', byRound: bReversed }, createRng(10)));
    assert.equal(v.pairs, 40);
    assert.equal(v.faster, 'b');
    assert.ok(Math.abs(v.ratio - 1.1) < 0.01, `ratio ${v.ratio}`);
  });

  it('reports insufficient below minPairs, naming the count', () => {
    const data = createRng(11);
    const v = compareVariants(
      { variant: 'list', byRound: series(5, data, { factor: 2 }) },
      { variant: 'head', byRound: series(5, data) },
      createRng(12),
    );
    assert.equal(v.state, 'insufficient');
    if (v.state !== 'insufficient') return;
    assert.equal(v.pairs, 5);
    assert.equal(v.variant, 'list');
    assert.equal(v.reference, 'head');
    assert.match(v.reason, /only 5 paired rounds/);
    assert.match(v.reason, /at least 10/);
  });

  it('honours a custom minPairs', () => {
    const data = createRng(13);
    const a = series(5, data, { factor: 2 });
    const b = series(5, data);
    assert.notEqual(compareVariants({ variant: 'a', byRound: a }, { variant: 'b', byRound: b }, createRng(1), { minPairs: 5 }).state, 'insufficient');
    assert.equal(compareVariants({ variant: 'a', byRound: a }, { variant: 'b', byRound: b }, createRng(1), { minPairs: 6 }).state, 'insufficient');
  });

  it('reports insufficient when the variants share no rounds', () => {
    const v = compareVariants(
      { variant: 'a', byRound: new Map([[0, 1], [1, 1]]) },
      { variant: 'b', byRound: new Map([[2, 1], [3, 1]]) },
      createRng(1),
      { minPairs: 1 },
    );
    assert.equal(v.state, 'insufficient');
    assert.equal(v.pairs, 0);
  });

  it('warns when there are fewer than 30 pairs', () => {
    const data = createRng(14);
    const v = compareVariants(
      { variant: 'a', byRound: series(12, data, { factor: 1.5 }) },
      { variant: 'b', byRound: series(12, data) },
      createRng(15),
    );
    assert.notEqual(v.state, 'insufficient');
    if (v.state === 'insufficient') return;
    assert.ok(v.warnings.includes('only 12 paired rounds: run more samples for a tighter interval'), JSON.stringify(v.warnings));
  });

  it('warns when the interval is wider than half the ratio', () => {
    const data = createRng(16);
    const v = compareVariants(
      { variant: 'a', byRound: series(40, data, { sigma: 0.8 }) },
      { variant: 'b', byRound: series(40, data, { sigma: 0.8 }) },
      createRng(17),
    );
    assert.notEqual(v.state, 'insufficient');
    if (v.state === 'insufficient') return;
    assert.ok(v.ci[1] - v.ci[0] > 0.5 * v.ratio, `ci ${v.ci} ratio ${v.ratio}`);
    const spread = v.warnings.find((w) => w.startsWith('the spread is wide ('));
    assert.ok(spread, JSON.stringify(v.warnings));
    assert.match(spread, /\): the machine or network is noisy$/);
    assert.ok(!v.warnings.some((w) => w.startsWith('only ')), 'no few-pairs warning at 40 pairs');
  });

  it('skips rounds with a zero time instead of producing Infinity, and says so', () => {
    const data = createRng(18);
    const a = series(40, data, { factor: 1.2 });
    const b = series(40, data);
    b.set(3, 0);
    const v = expectFaster(compareVariants({ variant: 'a', byRound: a }, { variant: 'b', byRound: b }, createRng(19)));
    assert.equal(v.pairs, 39);
    assert.ok(Number.isFinite(v.ratio) && Number.isFinite(v.ci[1]));
    assert.ok(v.warnings.some((w) => w.includes('1 paired round skipped')), JSON.stringify(v.warnings));
  });

  it('calls a significant difference under the minimum effect negligible, and names the faster side', () => {
    const data = createRng(22);
    // 1.5% slower with very little noise: the interval excludes 1, the effect is below 3%.
    const v = compareVariants(
      { variant: 'list', byRound: series(200, data, { factor: 1.015, sigma: 0.002 }) },
      { variant: 'head', byRound: series(200, data, { sigma: 0.002 }) },
      createRng(23),
    );
    assert.equal(v.state, 'negligible', JSON.stringify(v));
    if (v.state !== 'negligible') return;
    assert.ok(v.ci[0] > 1, `ci ${v.ci}`);
    assert.equal(v.faster, 'head');
    assert.equal(v.minEffect, 0.03);
    // The same data with no minimum effect is a plain difference.
    const strict = compareVariants(
      { variant: 'list', byRound: series(200, createRng(22), { factor: 1.015, sigma: 0.002 }) },
      { variant: 'head', byRound: series(200, createRng(22), { sigma: 0.002 }) },
      createRng(23),
      { minEffect: 0 },
    );
    assert.equal(strict.state, 'different');
  });

  it('says no difference exactly when the interval contains 1', () => {
    const data = createRng(24);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const factor = 1 + (i % 8) * 0.01;
      const v = compareVariants(
        { variant: 'a', byRound: series(30, data, { factor, sigma: 0.05 }) },
        { variant: 'b', byRound: series(30, data, { sigma: 0.05 }) },
        createRng(100 + i),
      );
      assert.notEqual(v.state, 'insufficient');
      if (v.state === 'insufficient') continue;
      seen.add(v.state);
      const containsOne = v.ci[0] <= 1 && 1 <= v.ci[1];
      assert.equal(v.state === 'no-difference', containsOne, JSON.stringify(v));
      if (v.state === 'negligible') assert.ok(Math.abs(Math.log(v.ratio)) < Math.log(1.03), JSON.stringify(v));
      if (v.state === 'different') assert.ok(Math.abs(Math.log(v.ratio)) >= Math.log(1.03) - 1e-12, JSON.stringify(v));
    }
    assert.ok(seen.has('no-difference') && seen.has('different'), `states seen: ${[...seen]}`);
  });

  it('is deterministic for a seed', () => {
    const data = createRng(20);
    const a = { variant: 'a', byRound: series(30, data, { factor: 1.05 }) };
    const b = { variant: 'b', byRound: series(30, data) };
    assert.deepEqual(compareVariants(a, b, createRng(21)), compareVariants(a, b, createRng(21)));
  });
});

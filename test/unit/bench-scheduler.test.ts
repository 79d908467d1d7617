import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeScenario } from '../../bench/engine/analyze.js';
import { createRng } from '../../bench/engine/rng.js';
import { runRounds, type BenchVariant } from '../../bench/engine/scheduler.js';

const noConnections = () => ({ newSockets: 0, reusedSockets: 0 });

function fixedVariant(name: string, ms: number, log?: string[]): BenchVariant {
  return {
    name,
    async sample(timer) {
      await timer.measure(async () => {
        log?.push(name);
        const until = performance.now() + ms;
        while (performance.now() < until) {
          // busy-wait: a timer of a few ms is too coarse for this test
        }
      });
    },
  };
}

describe('runRounds', () => {
  it('runs every variant once per round, in a seeded shuffled order, marking warm-up samples', async () => {
    const log: string[] = [];
    const variants = ['a', 'b', 'c'].map((name) => fixedVariant(name, 0, log));
    const samples = await runRounds({ scenario: 's', variants, samples: 20, warmup: 3, rng: createRng(5), connections: noConnections, requests: () => ({}) });
    assert.equal(samples.length, 3 * 23);
    for (let round = 0; round < 23; round++) {
      const inRound = samples.filter((s) => s.round === round);
      assert.deepEqual(inRound.map((s) => s.variant).sort(), ['a', 'b', 'c']);
      assert.deepEqual(inRound.map((s) => s.position), [0, 1, 2]);
      assert.ok(inRound.every((s) => s.warmup === round < 3));
    }
    const orders = new Set(Array.from({ length: 23 }, (_, r) => log.slice(r * 3, r * 3 + 3).join('')));
    assert.ok(orders.size > 2, `orders vary between rounds: ${[...orders].join(' ')}`);
    const again: string[] = [];
    await runRounds({ scenario: 's', variants: ['a', 'b', 'c'].map((n) => fixedVariant(n, 0, again)), samples: 20, warmup: 3, rng: createRng(5), connections: noConnections, requests: () => ({}) });
    assert.deepEqual(again, log, 'the same seed replays the same order');
  });

  it('times only the measured region and attributes request and socket counts to it', async () => {
    let requests = 0;
    let reused = 0;
    const variant: BenchVariant = {
      name: 'v',
      async sample(timer) {
        requests += 5; // untimed set-up traffic must not be attributed
        await timer.measure(async () => {
          requests += 1;
          reused += 1;
          await new Promise((resolve) => setTimeout(resolve, 15));
        });
        await new Promise((resolve) => setTimeout(resolve, 400)); // untimed clean-up
      },
    };
    const [sample] = await runRounds({
      scenario: 's',
      variants: [variant],
      samples: 1,
      warmup: 0,
      rng: createRng(1),
      connections: () => ({ newSockets: 0, reusedSockets: reused }),
      requests: () => ({ HeadObject: requests }),
    });
    // Wide bounds on purpose (shared, noisy machine): the point is that the 400 ms clean-up is not timed.
    assert.ok(sample!.ms >= 14 && sample!.ms < 400, `timed ${sample!.ms} ms`);
    assert.deepEqual(sample!.requests, { HeadObject: 1 });
    assert.equal(sample!.reusedSockets, 1);
  });

  it('refuses a sample that measures twice or not at all', async () => {
    const twice: BenchVariant = { name: 'twice', sample: async (t) => { await t.measure(async () => {}); await t.measure(async () => {}); } };
    const never: BenchVariant = { name: 'never', sample: async () => {} };
    const base = { scenario: 's', samples: 1, warmup: 0, rng: createRng(1), connections: noConnections, requests: () => ({}) };
    await assert.rejects(runRounds({ ...base, variants: [twice] }), /measured twice/);
    await assert.rejects(runRounds({ ...base, variants: [never] }), /without measuring/);
  });
});

describe('analyzeScenario', () => {
  it('ranks by median, drops warm-up, and compares each variant with the fastest', async () => {
    const samples = await runRounds({
      scenario: 's',
      variants: [fixedVariant('slow', 0), fixedVariant('fast', 0)],
      samples: 30,
      warmup: 2,
      rng: createRng(9),
      connections: noConnections,
      requests: () => ({}),
    });
    // Durations are set, not measured: on a shared machine a busy-wait of a few ms is noise.
    const jitter = createRng(3);
    for (const sample of samples) sample.ms = (sample.variant === 'slow' ? 6 : 2) + jitter() * 0.2;
    const result = analyzeScenario('s', samples, createRng(1));
    assert.deepEqual(result.variants.map((v) => v.variant), ['fast', 'slow']);
    assert.equal(result.variants[0]!.summary.samples, 30);
    assert.equal(result.variants[0]!.warmupDropped, 2);
    assert.equal(result.reference, 'fast');
    const verdict = result.verdicts[0]!;
    assert.equal(verdict.state, 'different');
    assert.equal(verdict.variant, 'slow');
    assert.equal(verdict.state === 'different' && verdict.faster, 'fast');
    assert.ok(verdict.state === 'different' && verdict.ratio > 2.5, 'slow takes ~3× the time of fast');
  });
});

// `npm run bench:concurrency`: sweeps the CLI's --concurrency over a first sync and a no-change re-sync
// of the peers fixture (2,000 small files + three 5 MB files), in interleaved rounds, and reports the
// medians and the smallest value that is as fast as the best.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { recommendConcurrency, sweepMedians, type SweepSample } from '../concurrency/recommend.js';
import { createRng, randomSeed, shuffle } from '../engine/rng.js';
import { median } from '../engine/stats.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture } from '../fixtures/tree-fixture.js';
import { defineFigure } from '../harness/figure.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { renderTable } from '../harness/table.js';
import { runLocalCli, type LocalCliRun } from '../run/s3zipsync-cli.js';

interface Sample extends SweepSample {
  round: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  requests: number;
  problems: string[];
}

interface Measured {
  seed: number;
  spec: string;
  samples: Sample[];
  /** Client CPU of runs that send almost nothing: Node, SDK and CLI start-up, subtracted per request. */
  baseline: Array<{ cpuSeconds: number; requests: number }>;
}

const flags = {
  values: { type: 'integers', min: 1, default: [2, 4, 8, 16, 32, 64], describe: '--concurrency values to sweep' },
  rounds: { type: 'integer', min: 1, default: 3, describe: 'rounds; the values are shuffled in each' },
  seed: { type: 'integer', min: 1, describe: 'seed of the shuffles (default random, printed)' },
  strategy: { type: 'string', describe: "passed to the CLI as --strategy (default: the CLI's)" },
  small: { type: 'integer', min: 1, default: PEERS_FIXTURE.smallFiles, describe: 'small files in the fixture' },
} as const;

const failed = (run: LocalCliRun, want: 'new' | 'ignored', expected: number): string[] => {
  const counts = run.parsed.summary?.counts;
  return [...run.problems, ...(counts && counts[want] !== expected ? [`expected ${expected} ${want}, got ${JSON.stringify(counts)}`] : [])];
};

export const figure = defineFigure({
  name: 'concurrency',
  title: 's3zipsync --concurrency sweep (real CLI, embedded s3rver)',
  flags,
  async run(f, context): Promise<Measured> {
    const seed = f.seed ?? randomSeed();
    const spec = { ...PEERS_FIXTURE, smallFiles: f.small };
    const measured: Measured = { seed, spec: describeSpec(spec), samples: [], baseline: [] };
    await withLocalS3({ buckets: ['concurrency-baseline'], keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      context.log(`writing the fixture (${describeSpec(spec)})`);
      const fixture = await writeTreeFixture(spec, join(s3.workDir, 'fixture.zip'));
      const tiny = await writeTreeFixture({ ...spec, smallFiles: 1, folders: 1, bigFiles: 0 }, join(s3.workDir, 'tiny.zip'));
      for (let i = 0; i < 3; i++) {
        const run = await runLocalCli(s3, [tiny.zipPath, '--bucket', 'concurrency-baseline', '--prefix', `b${i}`], context.signal);
        const requests = run.parsed.summary?.totalRequests;
        if (run.cpuSeconds !== null && requests !== undefined) measured.baseline.push({ cpuSeconds: run.cpuSeconds, requests });
      }
      const rng = createRng(seed);
      for (let round = 0; round < f.rounds; round++) {
        for (const concurrency of shuffle(f.values, rng)) {
          if (context.signal.aborted) return;
          const bucket = `concurrency-r${round}-c${concurrency}`;
          await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
          try {
            for (const phase of ['initial', 'resync'] as const) {
              const args = [fixture.zipPath, '--bucket', bucket, '--concurrency', String(concurrency), ...(f.strategy ? ['--strategy', f.strategy] : [])];
              const run = await runLocalCli(s3, args, context.signal);
              const problems = failed(run, phase === 'initial' ? 'new' : 'ignored', fixture.files.length);
              measured.samples.push({
                round, concurrency, phase, wallSeconds: run.timed.wallSeconds, cpuSeconds: run.cpuSeconds, peakRssMiB: run.timed.peakRssMiB, requests: run.parsed.summary?.totalRequests ?? 0, problems,
              });
              context.log(`round ${round + 1}/${f.rounds} c=${concurrency} ${phase}: ${run.timed.wallSeconds.toFixed(2)} s${problems.length ? ` PROBLEMS: ${problems.join('; ')}` : ''}`);
            }
          } finally {
            rmSync(join(s3.dataDir, bucket), { recursive: true, force: true });
          }
        }
      }
    });
    return measured;
  },
  verify(measured) {
    return measured.samples.flatMap((s) => s.problems.map((p) => `round ${s.round + 1} c=${s.concurrency} ${s.phase}: ${p}`));
  },
  report(measured, f) {
    // A failed run's time is not a sync's time: it is reported as a problem and kept out of the medians.
    const samples = measured.samples.filter((s) => s.problems.length === 0);
    const points = sweepMedians(samples);
    const of = (c: number, phase: Sample['phase'], pick: (s: Sample) => number | null) => {
      const v = samples.filter((s) => s.concurrency === c && s.phase === phase).map(pick).filter((x): x is number => x !== null);
      return v.length ? median(v) : Number.NaN;
    };
    const startupCpu = measured.baseline.length ? median(measured.baseline.map((b) => b.cpuSeconds)) : Number.NaN;
    const startupRequests = measured.baseline.length ? median(measured.baseline.map((b) => b.requests)) : 0;
    /** Client CPU per request once start-up is taken out: what limits a latency-bound sync. */
    const cpuPerRequestMs = (cpuSeconds: number, requests: number) => ((cpuSeconds - startupCpu) * 1000) / (requests - startupRequests);
    const rows = points.map((p) => {
      const cpu = of(p.concurrency, 'initial', (s) => s.cpuSeconds);
      const requests = of(p.concurrency, 'initial', (s) => s.requests);
      return [
        String(p.concurrency),
        p.initialSeconds.toFixed(2),
        p.resyncSeconds.toFixed(2),
        of(p.concurrency, 'initial', (s) => s.peakRssMiB).toFixed(0),
        cpu.toFixed(2),
        cpuPerRequestMs(cpu, requests).toFixed(2),
        `${requests} / ${of(p.concurrency, 'resync', (s) => s.requests)}`,
      ];
    });
    const out = [
      `- ${measured.spec}; ${f.rounds} rounds, values shuffled per round (seed ${measured.seed}); medians; fresh bucket per run; strategy ${f.strategy ?? 'default'}`,
      '',
      ...renderTable(['concurrency', 'first sync s', 'no-change s', 'peak RSS MiB (first)', 'client CPU s (first)', 'client CPU ms/request (first, start-up excluded)', 'requests first / no-change'], rows),
      '',
    ];
    if (points.length) {
      const rec = recommendConcurrency(points);
      out.push(`- recommendation for this machine: --concurrency ${rec.concurrency}: ${rec.reason}`);
      // Against AWS a request waits on the network, not on a local server: one client core is saturated
      // once concurrency ≈ round trip / client CPU per request. That model is what the default must cover.
      const perRequest = median(samples.filter((s) => s.cpuSeconds !== null && s.requests > startupRequests).map((s) => cpuPerRequestMs(s.cpuSeconds!, s.requests)));
      const saturating = [10, 30, 100].map((rtt) => `${rtt} ms RTT → ~${Math.max(1, Math.round(rtt / perRequest))}`);
      out.push(
        `- here s3rver (one process) shares the 2 cores with the client, so the gains flatten once both are busy. ` +
          `Against AWS each request waits ~10–100 ms on the network instead; with the measured ${perRequest.toFixed(2)} ms of client CPU per request ` +
          `(median over all runs, start-up of ${startupCpu.toFixed(2)} s CPU excluded), one client core is saturated at about: ${saturating.join(', ')} requests in flight.`,
      );
    }
    return out.join('\n');
  },
});

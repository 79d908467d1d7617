// `npm run bench:concurrency`: sweeps the CLI's --concurrency over a first sync and a no-change re-sync
// of the peers fixture (2,000 small files + three 5 MB files), in interleaved rounds, and prints the
// medians and the smallest value that is as fast as the best.
//
//   node dist/bench/concurrency.js [--values 2,4,8,16,32,64] [--rounds 3] [--seed N] [--strategy head] [--small 2000] [--markdown]
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalS3, type LocalS3 } from '../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../src/s3/create-client.js';
import { recommendConcurrency, sweepMedians, type SweepSample } from './concurrency/recommend.js';
import { createRng, randomSeed, shuffle } from './engine/rng.js';
import { median } from './engine/stats.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture } from './fixtures/tree-fixture.js';
import { describeMachine } from './run/machine.js';
import { CLI_PATH, localCliEnv, parseCliOutput } from './run/s3zipsync-cli.js';
import { runTimedProcess } from './run/timed-process.js';

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    values: { type: 'string', default: '2,4,8,16,32,64' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string' },
    strategy: { type: 'string' },
    small: { type: 'string', default: String(PEERS_FIXTURE.smallFiles) },
    markdown: { type: 'boolean', default: false },
  },
  strict: true,
});
function fail(message: string): never {
  process.stderr.write(`bench concurrency: ${message}\n`);
  process.exit(2);
}
function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got "${value}"`);
  return n;
}
const log = (message: string) => process.stderr.write(`[concurrency] ${message}\n`);
const values = flags.values.split(',').map((v) => positiveInteger(v.trim(), '--values'));
const rounds = positiveInteger(flags.rounds, '--rounds');
const seed = flags.seed === undefined ? randomSeed() : positiveInteger(flags.seed, '--seed');
const spec = { ...PEERS_FIXTURE, smallFiles: positiveInteger(flags.small, '--small') };

interface Sample extends SweepSample {
  round: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  requests: number;
}

const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-concurrency-'));
const samples: Sample[] = [];
const problems: string[] = [];
/** Client CPU of a run that sends almost nothing: Node, SDK and CLI start-up, subtracted per request below. */
const baseline: Array<{ cpuSeconds: number; requests: number }> = [];
let server: LocalS3 | undefined;
try {
  log(`writing the fixture (${describeSpec(spec)})`);
  const fixture = await writeTreeFixture(spec, join(workDir, 'fixture.zip'));
  const expected = fixture.files.length;
  const dataDir = join(workDir, 's3');
  mkdirSync(dataDir);
  server = await startLocalS3({ directory: dataDir });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  const tiny = await writeTreeFixture({ ...spec, smallFiles: 1, folders: 1, bigFiles: 0 }, join(workDir, 'tiny.zip'));
  await client.send(new CreateBucketCommand({ Bucket: 'concurrency-baseline' }));
  for (let i = 0; i < 3; i++) {
    const run = await runTimedProcess(
      process.execPath,
      [CLI_PATH, tiny.zipPath, '--bucket', 'concurrency-baseline', '--prefix', `b${i}`, '--json', '--no-progress', '--endpoint-url', server.endpoint, '--force-path-style'],
      { env: localCliEnv(), cwd: workDir },
    );
    const requests = parseCliOutput(run.stdout).summary?.totalRequests;
    if (run.cpuUserSeconds !== null && run.cpuSystemSeconds !== null && requests !== undefined) baseline.push({ cpuSeconds: run.cpuUserSeconds + run.cpuSystemSeconds, requests });
  }
  const rng = createRng(seed);
  for (let round = 0; round < rounds; round++) {
    for (const concurrency of shuffle(values, rng)) {
      const bucket = `concurrency-r${round}-c${concurrency}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      try {
        for (const phase of ['initial', 'resync'] as const) {
          const run = await runTimedProcess(
            process.execPath,
            [
              CLI_PATH, fixture.zipPath, '--bucket', bucket, '--concurrency', String(concurrency), ...(flags.strategy ? ['--strategy', flags.strategy] : []),
              '--json', '--no-progress', '--endpoint-url', server.endpoint, '--force-path-style',
            ],
            { env: localCliEnv(), cwd: workDir },
          );
          const parsed = parseCliOutput(run.stdout);
          const want = phase === 'initial' ? 'new' : 'ignored';
          const runProblems = [...parsed.problems];
          if (run.exitCode !== 0) runProblems.push(`exit code ${run.exitCode}; stderr: ${run.stderr.trim().split('\n').slice(0, 3).join(' | ').slice(0, 400)}`);
          if (parsed.summary && parsed.summary.counts[want] !== expected) runProblems.push(`expected ${expected} ${want}, got ${JSON.stringify(parsed.summary.counts)}`);
          problems.push(...runProblems.map((p) => `round ${round + 1} c=${concurrency} ${phase}: ${p}`));
          const cpuSeconds = run.cpuUserSeconds === null || run.cpuSystemSeconds === null ? null : run.cpuUserSeconds + run.cpuSystemSeconds;
          // A failed run's time is not a sync's time: it is reported below and kept out of the medians.
          if (runProblems.length === 0) samples.push({ round, concurrency, phase, wallSeconds: run.wallSeconds, cpuSeconds, peakRssMiB: run.peakRssMiB, requests: parsed.summary?.totalRequests ?? 0 });
          log(`round ${round + 1}/${rounds} c=${concurrency} ${phase}: ${run.wallSeconds.toFixed(2)} s${runProblems.length ? ` PROBLEMS: ${runProblems.join('; ')}` : ''}`);
        }
      } finally {
        rmSync(join(dataDir, bucket), { recursive: true, force: true });
      }
    }
  }
  client.destroy();
} catch (error) {
  process.stderr.write(`bench concurrency: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const points = sweepMedians(samples);
const of = (c: number, phase: Sample['phase'], pick: (s: Sample) => number | null) => {
  const v = samples.filter((s) => s.concurrency === c && s.phase === phase).map(pick).filter((x): x is number => x !== null);
  return v.length ? median(v) : Number.NaN;
};
const startupCpu = baseline.length ? median(baseline.map((b) => b.cpuSeconds)) : Number.NaN;
const startupRequests = baseline.length ? median(baseline.map((b) => b.requests)) : 0;
/** Client CPU per request once start-up is taken out: what limits a latency-bound sync. */
const cpuPerRequestMs = (cpuSeconds: number, requests: number) => ((cpuSeconds - startupCpu) * 1000) / (requests - startupRequests);
const header = ['concurrency', 'first sync s', 'no-change s', 'peak RSS MiB (first)', 'client CPU s (first)', 'client CPU ms/request (first, start-up excluded)', 'requests first / no-change'];
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
const out: string[] = [
  `concurrency sweep: ${describeSpec(spec)}; ${rounds} rounds, values shuffled per round (seed ${seed}); medians; fresh bucket per run; strategy ${flags.strategy ?? 'default'}`,
  `machine: ${describeMachine()}, s3rver on the same host`,
  `command: node dist/bench/concurrency.js ${process.argv.slice(2).join(' ')}`.trimEnd(),
  '',
];
if (flags.markdown) out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`));
else {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}
out.push('');
if (points.length) {
  const rec = recommendConcurrency(points);
  out.push(`- recommendation for this machine: --concurrency ${rec.concurrency}: ${rec.reason}`);
  // Against AWS a request waits on the network, not on a local server: one client core is saturated
  // once concurrency ≈ round trip / client CPU per request. That model is what the default must cover.
  const perRequest = median(
    samples.filter((s) => s.cpuSeconds !== null && s.requests > startupRequests).map((s) => cpuPerRequestMs(s.cpuSeconds!, s.requests)),
  );
  const saturating = [10, 30, 100].map((rtt) => `${rtt} ms RTT → ~${Math.max(1, Math.round(rtt / perRequest))}`);
  out.push(
    `- here s3rver (one process, ~0.8 core) is the bottleneck, so past a few requests in flight more concurrency only queues at the server. ` +
      `Against AWS each request waits ~10–100 ms on the network instead; with the measured ${perRequest.toFixed(2)} ms of client CPU per request ` +
      `(median over all runs, start-up of ${startupCpu.toFixed(2)} s CPU excluded), one client core is saturated at about: ${saturating.join(', ')} requests in flight.`,
  );
}
for (const p of problems) out.push(`- PROBLEM ${p}`);
process.stdout.write(`${out.join('\n')}\n`);
if (problems.length) process.exitCode ||= 1;

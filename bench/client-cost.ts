/**
 * `npm run bench:client-cost`: s3zipsync (the built CLI) against a bare signed-request floor
 * (client-cost/floor.ts) doing the same job on the embedded server, in one run: a first sync and a
 * no-change re-sync of a generated 2,000-file zip of 1–8 KB files, interleaved rounds. Prints wall
 * and CPU (user+sys of the child, GNU time) ratios to the floor, and writes them with a CPU profile
 * of one s3zipsync first sync to bench/results/client-cost.md.
 * Options (env): ROUNDS (3), PROFILE (1; 0 skips the profile), BASELINE_CLI (path of another built
 * s3zipsync CLI, e.g. of main, measured in the same rounds as `baseline`), S3ZIPSYNC_BENCH_SERVER_DATA
 * (memory or disk: where s3rver keeps objects, harness/server-data.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONCURRENCY } from '../src/option-defaults.js';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';
import { summarizeCpuProfile } from './client-cost/cpu-profile-summary.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture } from './fixtures/tree-fixture.js';
import { NODE_SETTINGS_OF_THIS_SHELL } from './run/s3zipsync-cli.js';
import { median } from './engine/stats.js';
import { describeMachine } from './harness/machine.js';
import { gitCommit } from './harness/provenance.js';
import { describeServerData, makeServerDataDir, serverDataPlaceFromEnv } from './harness/server-data.js';
import { CLI_PATH, parseCliOutput } from './run/s3zipsync-cli.js';
import { runTimedProcess, type TimedProcessResult } from './run/timed-process.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const profile = process.env.PROFILE !== '0';
const baselineCli = process.env.BASELINE_CLI;
const baselineLabel = process.env.BASELINE_LABEL ?? baselineCli;
const here = dirname(fileURLToPath(import.meta.url));
const FLOOR_PATH = join(here, 'client-cost', 'floor.js');
// A bucket per tool and round: s3rver walks a bucket's whole folder to list it, so runs sharing one
// would each be slower than the last, and the order of the tools, not the tools, would set the ratios.
const bucketOf = (tool: string, round: number | string) => `cost-${tool}-${round}`;
const spec = { ...PEERS_FIXTURE, bigFiles: 0 };
const TARGETS = { first: { cpu: 2.0, wall: 1.3 }, resync: { cpu: 2.0, wall: 1.5 } } as const;

type Job = 'first' | 'resync';
type Tool = 's3zipsync' | 'floor' | 'baseline';
interface Sample {
  tool: Tool;
  job: Job;
  round: number;
  wall: number;
  cpu: number;
  requests?: number;
}

const machineBefore = describeMachine();
const work = mkdtempSync(join(tmpdir(), 's3zipsync-cost-'));
const allTools = ['s3zipsync', 'floor', ...(baselineCli ? ['baseline'] : [])];
const buckets = [bucketOf('s3zipsync', 'profile'), ...allTools.flatMap((tool) => Array.from({ length: rounds }, (_, i) => bucketOf(tool, i + 1)))];
const serverData = serverDataPlaceFromEnv();
const serverDataDir = makeServerDataDir(serverData, work);
const server = await startLocalS3({ directory: serverDataDir, buckets });
const env = {
  // As the other benches: no Node settings of this shell (NODE_EXTRA_CA_CERTS makes every start slower).
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !NODE_SETTINGS_OF_THIS_SHELL.includes(name))),
  NODE_OPTIONS: '',
  AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: '',
  AWS_SDK_JS_SUPPRESS_VERSION_WARNING: '1',
};
const samples: Sample[] = [];
let profileLines: string[] = [];
try {
  const fixture = await writeTreeFixture(spec, join(work, 'fixture.zip'));
  const cliArgs = (bucket: string, prefix: string, cli = CLI_PATH) => [cli, fixture.zipPath, '--bucket', bucket, '--prefix', prefix, '--endpoint-url', server.endpoint, '--force-path-style', '--region', 'us-east-1', '--json', '--no-progress', '--concurrency', String(DEFAULT_CONCURRENCY)];
  const run = async (tool: Tool, job: Job, round: number): Promise<void> => {
    const prefix = 'p/';
    const bucket = bucketOf(tool, round);
    const result: TimedProcessResult =
      tool === 'floor'
        ? await runTimedProcess(process.execPath, [FLOOR_PATH, fixture.zipPath, server.endpoint, bucket, prefix, String(DEFAULT_CONCURRENCY)], { env })
        : await runTimedProcess(process.execPath, cliArgs(bucket, prefix, tool === 'baseline' ? baselineCli : CLI_PATH), { env });
    if (result.exitCode !== 0) throw new Error(`${tool} ${job} round ${round} exited ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`);
    const sample: Sample = { tool, job, round, wall: result.wallSeconds, cpu: (result.cpuUserSeconds ?? NaN) + (result.cpuSystemSeconds ?? NaN) };
    if (tool !== 'floor') {
      const { summary, problems } = parseCliOutput(result.stdout);
      const expected = job === 'first' ? 'new' : 'ignored';
      if (!summary || problems.length || summary.counts[expected] !== spec.smallFiles) throw new Error(`${tool} ${job} round ${round}: expected ${spec.smallFiles} ${expected}, got ${JSON.stringify(summary?.counts)} ${problems.join('; ')}`);
      sample.requests = summary.totalRequests;
    }
    samples.push(sample);
    process.stderr.write(`round ${round} ${tool} ${job}: ${sample.wall.toFixed(2)} s wall, ${sample.cpu.toFixed(2)} s CPU${sample.requests ? `, ${sample.requests} requests` : ''}\n`);
  };
  for (let round = 1; round <= rounds; round++) {
    // Alternate who goes first, so neither always meets a fresher server or a cooler machine.
    const tools: Tool[] = baselineCli ? ['s3zipsync', 'floor', 'baseline'] : ['s3zipsync', 'floor'];
    const order = tools.map((_, i) => tools[(i + round - 1) % tools.length]!);
    for (const tool of order) await run(tool, 'first', round);
    for (const tool of order) await run(tool, 'resync', round);
  }
  if (profile) profileLines = await profileFirstSync(cliArgs(bucketOf('s3zipsync', 'profile'), 'p/'));
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(serverDataDir, { recursive: true, force: true });
}

const report = render();
process.stdout.write(report);
const resultsDir = join(here, '..', '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'client-cost.md'), report);

async function profileFirstSync(args: string[]): Promise<string[]> {
  const dir = join(work, 'profile');
  const result = await runTimedProcess(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { env });
  if (result.exitCode !== 0) return [`(profiling run failed: ${result.stderr.trim().slice(0, 300)})`];
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return ['(no profile written)'];
  const { byPackage, byFunction } = summarizeCpuProfile(join(dir, file));
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    `One first sync of s3zipsync under \`node --cpu-prof\` (${result.cpuUserSeconds !== null ? ((result.cpuUserSeconds ?? 0) + (result.cpuSystemSeconds ?? 0)).toFixed(2) : '?'} s CPU), self time of the samples:`,
    '',
    '| where (package) | share |',
    '|---|---|',
    ...byPackage.map((line) => `| ${line.name} | ${percent(line.share)} |`),
    '',
    '| function (self time) | share |',
    '|---|---|',
    ...byFunction.map((line) => `| ${line.name.replace(/\|/g, '\\|')} | ${percent(line.share)} |`),
  ];
}

function render(): string {
  const commit = gitCommit();
  const of = (tool: Tool, job: Job) => samples.filter((sample) => sample.tool === tool && sample.job === job);
  const lines = [
    '# Client cost: s3zipsync against a bare signed-request floor',
    '',
    `Command: \`npm run bench:client-cost\` (ROUNDS=${rounds})  `,
    `Machine: ${machineBefore} at the start; load ${describeMachine().replace(/.*load /, '')} at the end  `,
    `Commit: ${commit}, ${new Date().toISOString()}  `,
    ...(baselineCli ? [`Baseline: ${baselineLabel}, measured in the same rounds  `] : []),
    `Job: ${describeSpec(spec)}; s3rver on 127.0.0.1 (its own process, ${describeServerData(serverData)}), a fresh bucket per tool and round, concurrency ${DEFAULT_CONCURRENCY} for all (s3zipsync's default). Wall: spawn to exit; CPU: user+sys of the child (GNU time). Medians of ${rounds} interleaved rounds (the order rotates each round). The floor lists the prefix, reads each entry whole and sends one signed PUT per missing key, without validation, retries or output (client-cost/floor.ts).`,
    '',
    '| job | s3zipsync wall s | floor wall s | wall ratio (target) | s3zipsync CPU s | floor CPU s | CPU ratio (target) | s3zipsync requests |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const job of ['first', 'resync'] as const) {
    const mine = of('s3zipsync', job);
    const floor = of('floor', job);
    const wall = median(mine.map((s) => s.wall));
    const floorWall = median(floor.map((s) => s.wall));
    const cpu = median(mine.map((s) => s.cpu));
    const floorCpu = median(floor.map((s) => s.cpu));
    const verdict = (ratio: number, target: number) => `${ratio.toFixed(2)}× (≤ ${target}× ${ratio <= target ? 'met' : 'NOT met'})`;
    lines.push(
      `| ${job === 'first' ? 'first sync' : 'no-change re-sync'} | ${wall.toFixed(2)} | ${floorWall.toFixed(2)} | ${verdict(wall / floorWall, TARGETS[job].wall)} | ${cpu.toFixed(2)} | ${floorCpu.toFixed(2)} | ${verdict(cpu / floorCpu, TARGETS[job].cpu)} | ${median(mine.map((s) => s.requests ?? 0))} |`,
    );
  }
  if (baselineCli) {
    lines.push('', '| job | baseline wall s | baseline CPU s | baseline requests | s3zipsync vs baseline (wall / CPU) |', '|---|---|---|---|---|');
    for (const job of ['first', 'resync'] as const) {
      const base = of('baseline', job);
      const mine = of('s3zipsync', job);
      const wall = median(base.map((s) => s.wall));
      const cpu = median(base.map((s) => s.cpu));
      lines.push(
        `| ${job === 'first' ? 'first sync' : 'no-change re-sync'} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${median(base.map((s) => s.requests ?? 0))} | ${(median(mine.map((s) => s.wall)) / wall).toFixed(2)} / ${(median(mine.map((s) => s.cpu)) / cpu).toFixed(2)} |`,
      );
    }
  }
  lines.push('', 'Every run (wall s / CPU s):', '');
  for (const sample of samples) lines.push(`- round ${sample.round} ${sample.tool} ${sample.job}: ${sample.wall.toFixed(2)} / ${sample.cpu.toFixed(2)}`);
  if (profileLines.length) lines.push('', '## Where the CPU of a first sync goes', '', ...profileLines);
  return `${lines.join('\n')}\n`;
}

// `npm run bench:lambda-cost`: what the Lambda handler costs per 10,000 files when it syncs a zip that
// lives in S3: GB-seconds (configured memory × invocation time, what Lambda bills) and client CPU,
// for this tree's build ("after") and, with --baseline, an older build ("before"), side by side.
//
// A zip of small text-like files is stored in the embedded s3rver's `incoming` bucket. Each run starts
// the handler in a child process (bench/lambda-child.ts) configured only by environment variables, as
// in Lambda, pinned to one core with taskset to stand in for one Lambda vCPU, talking to the server
// through the counting proxy. Per round and build: a first sync into a fresh bucket (then every stored
// object read back, untimed) and a no-change re-run. Builds alternate which goes first.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCountingProxy, type CountingProxy } from '../../tools/s3-proxy/counting-proxy.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture, type TreeFixtureSpec } from '../fixtures/tree-fixture.js';
import { verifyStoredFiles } from '../fixtures/verify-stored.js';
import { defineFigure } from '../harness/figure.js';
import { BenchUsageError } from '../harness/flags.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { gitCommit } from '../harness/provenance.js';
import { JOBS, analyzeLambdaCost, checkRun, roundOrder, type BuildInfo, type CostResult, type CostRun, type Job } from '../lambda-cost/analyze.js';
import { renderLambdaCost } from '../lambda-cost/print.js';

const CHILD_PATH = fileURLToPath(new URL('../lambda-child.js', import.meta.url));
const OWN_HANDLER = fileURLToPath(new URL('../../src/lambda/handler.js', import.meta.url));
const SOURCE = { bucket: 'incoming', key: 'drops/bench.zip' };
/** TARGET_PREFIX `extracted/{stem}/` for the key above. */
const TARGET_PREFIX = 'extracted/drops/bench/';

export interface LambdaCostMeasured {
  result: CostResult;
  fixture: string;
  zipBytes: number;
  /** Per first sync: what reading every stored object back found wrong (empty: all right). */
  storedChecks: Array<{ build: string; round: number; objects: number; problems: string[] }>;
}

const flags = {
  files: { type: 'integer', min: 1, default: 10_000, describe: 'small text-like files (1–8 KB, deflated) in the zip' },
  rounds: { type: 'integer', min: 1, default: 3, describe: 'rounds; each runs every build once (first sync + no-change), the order rotating' },
  warmup: { type: 'integer', min: 0, default: 0, describe: 'first rounds left out of the medians (still printed per round)' },
  baseline: { type: 'string', describe: 'built handler of the "before" code (e.g. /work/wt-base/dist/src/lambda/handler.js); without it only "after" is measured' },
  'memory-mb': { type: 'integer', min: 128, default: 1769, describe: 'configured Lambda memory the GB-seconds are computed at (1769 MB = one full vCPU)' },
  core: { type: 'integer', min: 0, default: 1, describe: 'the core each handler child is pinned to (taskset -c)' },
  'no-pin': { type: 'boolean', describe: 'run the handler children unpinned' },
  json: { type: 'string', describe: 'also write the raw result (every run) and the derived figures to this file' },
} as const;

export const figure = defineFigure({
  name: 'lambda-cost',
  title: 's3zipsync Lambda handler: GB-seconds and client CPU per 10,000 files, zip in S3 (embedded s3rver), before vs after',
  flags,
  async run(f, context): Promise<LambdaCostMeasured> {
    if (f.warmup >= f.rounds) throw new BenchUsageError(`--warmup (${f.warmup}) must be less than --rounds (${f.rounds})`);
    const builds: BuildInfo[] = [];
    if (f.baseline !== undefined) {
      const handlerPath = resolve(f.baseline);
      if (!existsSync(handlerPath)) throw new BenchUsageError(`--baseline: no such file ${handlerPath} (build the baseline checkout first)`);
      builds.push({ name: 'before', handlerPath, commit: commitOf(dirname(handlerPath)) });
    }
    builds.push({ name: 'after', handlerPath: OWN_HANDLER, commit: gitCommit() });
    const pin = choosePin(f.core, f['no-pin'], context.log);
    const spec: TreeFixtureSpec = { ...PEERS_FIXTURE, smallFiles: f.files, bigFiles: 0 };

    return withLocalS3({ buckets: [SOURCE.bucket], keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      context.log(`writing the fixture (${describeSpec(spec)})`);
      const fixture = await writeTreeFixture(spec, join(s3.workDir, 'bench.zip'));
      // The handler reads only S3, as in Lambda: the local copy goes once stored.
      await s3.client.send(new PutObjectCommand({ Bucket: SOURCE.bucket, Key: SOURCE.key, Body: readFileSync(fixture.zipPath) }));
      rmSync(fixture.zipPath);
      context.log(`stored as s3://${SOURCE.bucket}/${SOURCE.key} (${fixture.zipBytes} bytes)`);

      const proxy = await startCountingProxy(s3.endpoint);
      const result: CostResult = { files: f.files, memoryMb: f['memory-mb'], rounds: f.rounds, warmup: f.warmup, builds, runs: [], pin };
      const storedChecks: LambdaCostMeasured['storedChecks'] = [];
      try {
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: s3.server.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.server.credentials.secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_S3: proxy.endpoint,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          TARGET_PREFIX: 'extracted/{stem}/',
        };
        rounds: for (let round = 0; round < f.rounds; round++) {
          for (const [position, build] of roundOrder(builds, round).entries()) {
            const bucket = `cost-r${round}-${build.name}`;
            await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
            try {
              for (const job of JOBS) {
                if (context.signal.aborted) break rounds;
                const run = await runJob({ build, job, round, position, files: f.files, env: { ...env, TARGET_BUCKET: bucket }, proxy, pin, signal: context.signal });
                result.runs.push(run);
                context.log(
                  `round ${round + 1}/${f.rounds} ${build.name} ${job}: invocation ${run.invocationSeconds.toFixed(2)} s, CPU ${run.cpuInvocationSeconds.toFixed(2)} s, ` +
                    `RSS ${run.peakRssMiB.toFixed(0)} MiB, ${run.requests.total} requests${run.problems.length ? `, PROBLEMS: ${run.problems.join('; ')}` : ''}`,
                );
                if (job === 'first') {
                  const check = await verifyStoredFiles(s3.client, bucket, TARGET_PREFIX, fixture.files);
                  storedChecks.push({ build: build.name, round, objects: check.keysListed, problems: check.problems });
                  context.log(`  stored: ${check.keysListed} objects${check.ok ? ' read back, all right' : `, WRONG: ${check.problems.join('; ')}`}`);
                }
              }
            } finally {
              // s3rver lists by walking the bucket's folder: dropping finished buckets keeps every run's walk the same.
              rmSync(join(s3.dataDir, bucket), { recursive: true, force: true });
            }
          }
        }
        const measured = { result, fixture: describeSpec(spec), zipBytes: fixture.zipBytes, storedChecks };
        if (f.json) writeFileSync(f.json, `${JSON.stringify({ ...measured, figures: analyzeLambdaCost(result) }, null, 2)}\n`);
        return measured;
      } finally {
        await proxy.close();
      }
    });
  },
  verify(measured, f) {
    const { result } = measured;
    const problems = result.runs.flatMap((run) => run.problems.map((p) => `round ${run.round + 1} ${run.build} ${run.job}: ${p}`));
    const expectedRuns = f.rounds * result.builds.length * JOBS.length;
    if (result.runs.length !== expectedRuns) problems.push(`${result.runs.length} runs measured, ${expectedRuns} planned`);
    for (const check of measured.storedChecks) {
      if (check.problems.length) problems.push(`round ${check.round + 1} ${check.build}: stored objects: ${check.problems.join('; ')}`);
    }
    const firstSyncs = result.runs.filter((run) => run.job === 'first').length;
    if (measured.storedChecks.length !== firstSyncs) problems.push(`${measured.storedChecks.length} stored checks for ${firstSyncs} first syncs`);
    return problems;
  },
  report(measured) {
    return renderLambdaCost(measured.result, { fixture: measured.fixture, zipBytes: measured.zipBytes, storedChecks: measured.storedChecks });
  },
});

function commitOf(dir: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The core to pin to, or why the children run unpinned; taskset is tried once so a missing one is said, not failed on. */
function choosePin(core: number, noPin: boolean, log: (message: string) => void): CostResult['pin'] {
  if (noPin) return { unpinned: '--no-pin' };
  if (core >= os.cpus().length) throw new BenchUsageError(`--core ${core}: this machine has ${os.cpus().length} cores`);
  const probe = spawnSync('taskset', ['-c', String(core), process.execPath, '-e', ''], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? `taskset not available (${probe.error.message})` : `taskset -c ${core} exited with ${probe.status}`;
    log(`${why}: the handler children run unpinned`);
    return { unpinned: why };
  }
  return { core };
}

interface ChildOutput {
  result: {
    complete?: boolean;
    archives?: Array<{ complete?: boolean; report?: { counts: Record<string, number>; requests: Record<string, number> }; error?: unknown }>;
  };
  maxRssKiB: number;
  initMs: number;
  invocationMs: number;
  cpu: { invocationSeconds: number; processSeconds: number };
  cpusAllowed: string | null;
}

async function runJob(options: {
  build: BuildInfo;
  job: Job;
  round: number;
  position: number;
  files: number;
  env: NodeJS.ProcessEnv;
  proxy: CountingProxy;
  pin: CostResult['pin'];
  signal: AbortSignal;
}): Promise<CostRun> {
  const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: SOURCE.bucket }, object: { key: SOURCE.key } } }] };
  const nodeArgs = [CHILD_PATH, JSON.stringify(event), options.build.handlerPath];
  const [file, args] = 'core' in options.pin ? ['taskset', ['-c', String(options.pin.core), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  options.proxy.take();
  const started = performance.now();
  const child = spawn(file, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGTERM' });
  child.on('error', () => {}); // an abort shows as the exit code
  let last = '';
  let buffered = '';
  let stderr = '';
  // Only the last line matters; the handler's 10,000 entry lines are scanned and dropped, not kept.
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{"type":"bench-result"')) last = line;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const [exitCode] = (await once(child, 'close')) as [number | null];
  const processWallSeconds = (performance.now() - started) / 1000;
  const requests = options.proxy.take();
  const base = { build: options.build.name, job: options.job, round: options.round, position: options.position, processWallSeconds, requests };
  if (!last) {
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    return { ...base, invocationSeconds: Number.NaN, initSeconds: Number.NaN, cpuInvocationSeconds: Number.NaN, cpuProcessSeconds: Number.NaN, peakRssMiB: Number.NaN, counts: null, problems: [`child exited with ${exitCode}, no result${tail ? `: ${tail}` : ''}`] };
  }
  const output = JSON.parse(last) as ChildOutput;
  const archive = output.result.archives?.[0];
  const report = archive?.report;
  const problems = checkRun({
    job: options.job,
    files: options.files,
    exitCode,
    complete: output.result.complete === true && archive?.complete === true,
    counts: report?.counts ?? null,
    reportedRequests: report?.requests ?? null,
    proxied: requests,
    pinnedCore: 'core' in options.pin ? options.pin.core : null,
    cpusAllowed: output.cpusAllowed,
  });
  if (archive?.error) problems.push(`archive error: ${JSON.stringify(archive.error)}`);
  return {
    ...base,
    invocationSeconds: output.invocationMs / 1000,
    initSeconds: output.initMs / 1000,
    cpuInvocationSeconds: output.cpu.invocationSeconds,
    cpuProcessSeconds: output.cpu.processSeconds,
    peakRssMiB: output.maxRssKiB / 1024,
    counts: report?.counts ?? null,
    problems,
  };
}

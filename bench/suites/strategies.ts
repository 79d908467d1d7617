import { BenchError } from '../bench-error.js';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { PER_KEY_STRATEGIES, S3ZipSyncError, sdkRequests, type CheckTarget, type ExistenceCheck } from '../../src/internal.js';
import { analyzeScenario } from '../engine/analyze.js';
import { createRng, randomSeed } from '../engine/rng.js';
import { runRounds, type BenchVariant } from '../engine/scheduler.js';
import type { Sample, ScenarioResult } from '../engine/types.js';
import { describeEnvironment, type Environment } from '../environment.js';
import { requestCost } from '../pricing.js';
import { instrumentedRun } from '../instrumented-run.js';
import { SCENARIOS, type Scenario } from './choices.js';
import { uniqueRunPrefix } from '../s3-prefix.js';


type StrategyFactory = (target: CheckTarget) => ExistenceCheck;

export interface StrategyBenchOptions {
  client: S3Client;
  bucket: string;
  /** Folder under which the run makes its own unique prefix. */
  prefix?: string;
  /** Default: every registered strategy. */
  strategies?: string[];
  /** Where strategies come from; the library's registry unless a test injects its own. */
  registry?: Record<string, StrategyFactory>;
  scenarios?: readonly Scenario[];
  /** A/A: the one strategy (the first given) as two arms, `<name>-A` and `<name>-B`, to see how often noise alone is called a difference. */
  aa?: boolean;
  samples?: number;
  durationMs?: number;
  warmup?: number;
  seed?: number;
  onProgress?: (progress: { scenario: string; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface StrategyScenarioResult extends ScenarioResult {
  /** USD per 1,000 samples of this scenario (check, plus upload where the scenario uploads). */
  costPer1000: Record<string, number>;
}

export interface StrategyBenchReport {
  suite: 'strategies';
  environment: Environment;
  seed: number;
  runPrefix: string;
  samplesRequested: number;
  warmup: number;
  scenarios: StrategyScenarioResult[];
  samples: Sample[];
  cleanup: { deleted: number; leftover: number };
}

const SMALL_BODY = Buffer.alloc(1024, 'x');
const PRESENT_POOL = 25;

export async function runStrategyBench(options: StrategyBenchOptions): Promise<StrategyBenchReport> {
  const { client, bucket } = options;
  const registry: Record<string, StrategyFactory> = options.registry ?? PER_KEY_STRATEGIES;
  const given = options.strategies?.length ? options.strategies : Object.keys(registry);
  const names = options.aa ? given.slice(0, 1) : given;
  for (const name of names) {
    if (!Object.hasOwn(registry, name)) {
      throw new S3ZipSyncError('INVALID_OPTION', `unknown strategy ${JSON.stringify(name)}: expected one of ${Object.keys(registry).join(', ')}`);
    }
  }
  const checks = names.map((name) => registry[name]!({ session: sdkRequests(client), bucket }));
  const arms: Arm[] = options.aa ? aaArms(checks[0]!) : checks.map((check) => ({ name: check.strategy, check }));
  const seed = options.seed ?? randomSeed();
  const rng = createRng(seed);
  const samplesWanted = options.samples ?? 200;
  const warmup = options.warmup ?? 10;
  const scenarios = options.scenarios?.length ? options.scenarios : SCENARIOS;
  const runPrefix = uniqueRunPrefix(normalize(options.prefix), 'strategies');

  const environment = await describeEnvironment(client);
  const { result: samples, cleanup } = await instrumentedRun(client, bucket, runPrefix, async (probes) => {
    const collected: Sample[] = [];
    await sanityCheck(checks, client, bucket, `${runPrefix}sanity/`);
    for (const scenario of scenarios) {
      const variants = await prepareScenario(scenario, arms, client, bucket, `${runPrefix}${scenario}/`);
      collected.push(
        ...(await runRounds({
          scenario,
          variants,
          samples: samplesWanted,
          ...(options.durationMs !== undefined ? { durationMs: options.durationMs / scenarios.length } : {}),
          warmup,
          rng,
          ...probes,
          onProgress: (done, total) => options.onProgress?.({ scenario, done, total }),
          ...(options.signal ? { signal: options.signal } : {}),
        })),
      );
    }
    return collected;
  });
  return {
    suite: 'strategies',
    environment,
    seed,
    runPrefix,
    samplesRequested: samplesWanted,
    warmup,
    scenarios: scenarios.map((scenario) => withCost(analyzeScenario(scenario, samples, rng))),
    samples,
    cleanup,
  };
}

function withCost(result: ScenarioResult): StrategyScenarioResult {
  const costPer1000: Record<string, number> = {};
  for (const variant of result.variants) {
    costPer1000[variant.variant] = (requestCost(variant.requests) / Math.max(1, variant.summary.samples)) * 1000;
  }
  return { ...result, costPer1000 };
}

/** What one variant times: a strategy, under the name it reports. */
interface Arm {
  name: string;
  check: ExistenceCheck;
}

/** The same check twice: any difference the bench reports between the arms is noise. */
export function aaArms(check: ExistenceCheck): Arm[] {
  return [`${check.strategy}-A`, `${check.strategy}-B`].map((name) => ({ name, check }));
}

async function prepareScenario(
  scenario: Scenario,
  arms: Arm[],
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<BenchVariant[]> {
  const put = (key: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: SMALL_BODY }));
  const freshKey = (strategy: string, round: number) => `${prefix}${strategy}/${round}-${randomBytes(6).toString('hex')}.bin`;
  if (scenario === 'present') {
    // A pool per arm, cycled, so no arm benefits from another's server-side caching of a key.
    const pools = new Map<string, string[]>();
    for (const { name } of arms) {
      const pool = Array.from({ length: PRESENT_POOL }, (_, i) => `${prefix}${name}/pool-${i}.bin`);
      for (const key of pool) await put(key);
      pools.set(name, pool);
    }
    return arms.map(({ name, check }) => ({
      name,
      sample: async (timer, round) => {
        const pool = pools.get(name)!;
        await timer.measure(() => check.check(pool[round % pool.length]!));
      },
    }));
  }
  return arms.map(({ name, check }) => ({
    name,
    sample: async (timer, round) => {
      const key = freshKey(name, round);
      await timer.measure(async () => {
        await check.check(key);
        if (scenario === 'absent-then-upload') await put(key);
      });
    },
  }));
}

/**
 * Every strategy must answer right on a present key, a missing key, a missing key that is a strict
 * prefix of a present one, and a present key that other keys extend; timings of a wrong answer mean
 * nothing, so the bench refuses to run.
 */
export async function sanityCheck(checks: ExistenceCheck[], client: S3Client, bucket: string, prefix: string): Promise<void> {
  const objects: Record<string, string> = {
    'present.txt': 'present',
    'a.txt.bak': 'backup',
    'dir': 'dir',
    'dir/child': 'child!',
  };
  for (const [name, body] of Object.entries(objects)) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body }));
  }
  const expectations: Array<[string, number | null, string]> = [
    ['present.txt', 7, 'a present key'],
    ['missing.txt', null, 'a missing key'],
    ['a.txt', null, 'a missing key that is a strict prefix of a present key (a.txt.bak)'],
    ['dir', 3, 'a present key that other keys extend (dir/child)'],
  ];
  const problems: string[] = [];
  for (const check of checks) {
    for (const [name, expected, what] of expectations) {
      let answer: string;
      try {
        const remote = await check.check(`${prefix}${name}`);
        if ((remote?.size ?? null) === expected) continue;
        answer = remote ? `present (${remote.size} bytes)` : 'absent';
      } catch (error) {
        answer = `an error (${error instanceof Error ? error.message : String(error)})`;
      }
      problems.push(`strategy ${check.strategy} answered ${answer} for ${what}, expected ${expected === null ? 'absent' : `present (${expected} bytes)`}`);
    }
  }
  if (problems.length > 0) {
    throw new BenchError('SANITY_CHECK_FAILED', `sanity check failed, nothing was timed: ${problems.join('; ')}`);
  }
}

function normalize(prefix: string | undefined): string {
  if (!prefix) return '';
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

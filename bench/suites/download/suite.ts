import type { S3Client } from '@aws-sdk/client-s3';
import { analyzeScenario } from '../../engine/analyze.js';
import { createRng, randomSeed } from '../../engine/rng.js';
import { runRounds } from '../../engine/scheduler.js';
import type { Sample, ScenarioResult } from '../../engine/types.js';
import { describeEnvironment, type Environment } from '../../environment.js';
import { instrumentedRun } from '../../instrumented-run.js';
import { uniqueRunPrefix } from '../../s3-prefix.js';
import { createFixtures, sanityCheckMethods } from './fixtures.js';
import { clientConfigOf, credentialsOf, measureMemory, type MemoryMeasurement } from './measure-memory.js';
import { createMethods } from './methods.js';
import type { DownloadMethod, MethodFamily } from './types.js';

const MiB = 1024 * 1024;

export interface DownloadBenchOptions {
  client: S3Client;
  bucket: string;
  prefix?: string;
  /** Default: every family. */
  families?: MethodFamily[];
  /** Stored object sizes; default 1 MiB and 18 MiB (the seed's range). */
  sizes?: number[];
  /** Concurrent range requests of `ranged-parallel`. */
  parallel?: number;
  samples?: number;
  durationMs?: number;
  warmup?: number;
  seed?: number;
  /** Measure each method's peak memory in a child process of its own (default true; never with `aa`). */
  memory?: boolean;
  /** A/A: the first method that passes the sanity check as two arms, `<name>-A` and `<name>-B`. */
  aa?: boolean;
  onProgress?: (progress: { scenario: string; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface DownloadScenarioResult extends ScenarioResult {
  storedBytes: number;
  decodedBytes: number;
  /** Decoded MB (10^6 bytes) per second at the median time. */
  throughputMBps: Record<string, number>;
  memory: Record<string, MemoryMeasurement | { error: string }>;
}

export interface DownloadBenchReport {
  suite: 'download';
  environment: Environment;
  seed: number;
  runPrefix: string;
  samplesRequested: number;
  warmup: number;
  parallel: number;
  /** Methods whose output differed from the fixture's bytes: reported, never timed. */
  rejected: Array<{ method: string; fixture: string; problem: string }>;
  scenarios: DownloadScenarioResult[];
  samples: Sample[];
  cleanup: { deleted: number; leftover: number };
}

export async function runDownloadBench(options: DownloadBenchOptions): Promise<DownloadBenchReport> {
  const { client, bucket } = options;
  const seed = options.seed ?? randomSeed();
  const rng = createRng(seed);
  const parallel = options.parallel ?? 4;
  const samplesWanted = options.samples ?? 20;
  const warmup = options.warmup ?? 3;
  const runPrefix = uniqueRunPrefix(options.prefix ? (options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`) : '', 'download');
  const environment = await describeEnvironment(client);
  const methods = createMethods({ ...(options.families ? { families: options.families } : {}), parallel });

  const { result, cleanup } = await instrumentedRun(client, bucket, runPrefix, async (probes) => {
    const samples: Sample[] = [];
    const scenarios: DownloadScenarioResult[] = [];
    const fixtures = await createFixtures(client, bucket, runPrefix, options.sizes ?? [1 * MiB, 18 * MiB]);
    const sanity = await sanityCheckMethods(methods, fixtures);
    for (const fixture of fixtures) {
      const fixtureSamples = await runRounds({
        scenario: fixture.name,
        variants: armsOf(sanity.ok, options.aa ?? false).map(({ name, method }) => ({
          name,
          sample: async (timer) => {
            await timer.measure(() => method.download(fixture.target));
          },
        })),
        samples: samplesWanted,
        ...(options.durationMs !== undefined ? { durationMs: options.durationMs / fixtures.length } : {}),
        warmup,
        rng,
        ...probes,
        onProgress: (done, total) => options.onProgress?.({ scenario: fixture.name, done, total }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      samples.push(...fixtureSamples);
      const analyzed = analyzeScenario(fixture.name, fixtureSamples, rng);
      const throughputMBps: Record<string, number> = {};
      for (const variant of analyzed.variants) {
        throughputMBps[variant.variant] = fixture.target.decodedBytes / 1e6 / (variant.summary.median / 1000);
      }
      const memory: DownloadScenarioResult['memory'] = {};
      if ((options.memory ?? true) && !options.aa) {
        const clientConfig = await clientConfigOf(client);
        const credentials = await credentialsOf(client);
        const { client: _client, ...target } = fixture.target;
        for (const method of sanity.ok) {
          if (options.signal?.aborted) break;
          memory[method.name] = await measureMemory({ method: method.name, parallel, clientConfig, credentials, target }).catch(
            (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
          );
        }
      }
      scenarios.push({
        ...analyzed,
        storedBytes: fixture.target.storedBytes,
        decodedBytes: fixture.target.decodedBytes,
        throughputMBps,
        memory,
      });
    }
    return { samples, scenarios, rejected: sanity.rejected };
  });
  return {
    suite: 'download',
    environment,
    seed,
    runPrefix,
    samplesRequested: samplesWanted,
    warmup,
    parallel,
    rejected: result.rejected,
    scenarios: result.scenarios,
    samples: result.samples,
    cleanup,
  };
}

/** Each method under its own name, or for A/A the first one twice: a difference between its arms is noise. */
function armsOf(methods: DownloadMethod[], aa: boolean): Array<{ name: string; method: DownloadMethod }> {
  if (!aa) return methods.map((method) => ({ name: method.name, method }));
  const first = methods[0];
  return first ? [`${first.name}-A`, `${first.name}-B`].map((name) => ({ name, method: first })) : [];
}

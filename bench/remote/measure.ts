import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CountingPlugin } from '../../tools/s3-proxy/counting-proxy.js';
import { requestClassOf, type ThrottlePlugin } from '../../tools/s3-proxy/throttle-plugin.js';
import { shuffle } from '../engine/rng.js';
import { listSizes } from '../harness/listing.js';
import type { SyncTarget, Tool } from '../peers/peers.js';
import { runTimedProcess } from '../run/timed-process.js';
import type { FixtureStore, FolderFixture } from './fixtures.js';
import { compareStoredSizes, readOutcome } from './outcome.js';
import { fixtureKey } from './plan.js';
import type { BenchServer } from './server.js';
import { s3zipsyncTool } from './tools.js';
import type { CaseSpec, RemoteRun, StoredSizesCheck } from './types.js';

export interface RemoteProxy {
  endpoint: string;
  counting: CountingPlugin;
  throttle: ThrottlePlugin;
}

export interface MeasureRemoteOptions {
  cases: readonly CaseSpec[];
  tools: ReadonlyMap<string, Tool>;
  rounds: number;
  rng: () => number;
  server: BenchServer;
  proxy: RemoteProxy;
  fixtures: FixtureStore;
  /** Prefix of every bucket name of this run (lower-case, short). */
  runId: string;
  workDir: string;
  signal: AbortSignal;
  log: (message: string) => void;
}

const PREFIX = 'site/';

/**
 * Case by case, rounds in which every tool of the case runs once, in an order shuffled per round.
 * A first sync goes into a fresh bucket, whose objects are then listed straight from the server; a
 * no-change run re-syncs one prefix filled (untimed, without the proxy) before the case's rounds, so
 * every tool meets the same objects. Everything a tool sends goes through the proxy, which delays
 * it and, in the throttled cases, answers 503 SlowDown over the rate.
 */
export async function measureRemote(options: MeasureRemoteOptions): Promise<RemoteRun[]> {
  const runs: RemoteRun[] = [];
  const filled = new Map<string, string>();
  const lastUse = new Map(options.cases.map((c, i) => [fixtureKey(c), i]));
  const toolIndex = new Map([...options.tools.keys()].map((name, i) => [name, i]));
  try {
    for (const [caseIndex, spec] of options.cases.entries()) {
      if (options.signal.aborted) break;
      const fixture = await options.fixtures.get(spec);
      let bucket: string | undefined;
      if (spec.phase === 'no-change') {
        bucket = filled.get(fixtureKey(spec)) ?? (await fillBucket(spec, fixture, options));
        filled.set(fixtureKey(spec), bucket);
      }
      options.proxy.throttle.setEnabled(spec.throttled);
      for (let round = 0; round < options.rounds; round++) {
        for (const [position, name] of shuffle(spec.tools, options.rng).entries()) {
          if (options.signal.aborted) break;
          const tool = options.tools.get(name)!;
          const runBucket = bucket ?? `${options.runId}-${spec.id}-r${round}-t${toolIndex.get(name)}`;
          if (!bucket) await options.server.client.send(new CreateBucketCommand({ Bucket: runBucket }));
          try {
            const run = await runOnce(tool, spec, fixture, runBucket, round, position, options);
            runs.push(run);
            options.log(describeRun(spec, run, options.rounds));
          } finally {
            if (!bucket) await options.server.dropBucket(runBucket);
          }
        }
      }
      options.proxy.throttle.setEnabled(false);
      if (lastUse.get(fixtureKey(spec)) === caseIndex) {
        options.fixtures.release(spec);
        const done = filled.get(fixtureKey(spec));
        if (done) await options.server.dropBucket(done);
        filled.delete(fixtureKey(spec));
      }
    }
  } finally {
    for (const bucket of filled.values()) await options.server.dropBucket(bucket).catch(() => {});
  }
  return runs;
}

/** Fills the prefix the no-change runs re-sync: s3zipsync straight to the server, then every size checked. */
async function fillBucket(spec: CaseSpec, fixture: FolderFixture, options: MeasureRemoteOptions): Promise<string> {
  const bucket = `${options.runId}-fill-${fixtureKey(spec)}`;
  await options.server.client.send(new CreateBucketCommand({ Bucket: bucket }));
  options.log(`filling ${bucket} with ${spec.files} files (s3zipsync straight to the server, untimed)`);
  const target = targetOf(fixture, bucket, options.server.endpoint, join(options.workDir, 'fill'), options);
  const command = s3zipsyncTool().command(target);
  const result = await runTimedProcess(command.file, command.args, { env: command.env, cwd: target.workDir, signal: options.signal });
  const stored = compareStoredSizes(await listSizes(options.server.client, bucket, PREFIX), PREFIX, fixture.files);
  rmSync(target.workDir, { recursive: true, force: true });
  if (result.exitCode !== 0 || stored.missing || stored.wrongSize || stored.extra) {
    throw new Error(`could not fill ${bucket} for the no-change runs: exit ${result.exitCode}, ${stored.examples.join('; ')} ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  options.log(`filled in ${result.wallSeconds.toFixed(1)} s`);
  return bucket;
}

function targetOf(fixture: FolderFixture, bucket: string, endpoint: string, workDir: string, options: MeasureRemoteOptions): SyncTarget {
  mkdirSync(workDir, { recursive: true });
  return { endpoint, bucket, prefix: PREFIX, folder: fixture.folder, zipPath: fixture.zipPath, workDir, credentials: options.server.credentials };
}

async function runOnce(tool: Tool, spec: CaseSpec, fixture: FolderFixture, bucket: string, round: number, position: number, options: MeasureRemoteOptions): Promise<RemoteRun> {
  const target = targetOf(fixture, bucket, options.proxy.endpoint, join(options.workDir, 'tools', `${spec.id}-${tool.name}`), options);
  const command = tool.command(target);
  options.proxy.counting.take();
  options.proxy.throttle.take();
  const result = await runTimedProcess(command.file, command.args, { env: command.env, cwd: target.workDir, signal: options.signal });
  const requests = options.proxy.counting.take();
  const slowDowns = options.proxy.throttle.take();
  rmSync(target.workDir, { recursive: true, force: true });

  const outcome = readOutcome(tool, result.exitCode, result.stdout, result.stderr);
  const stderrTail = result.stderr.trim().split('\n').at(-1) || undefined;
  const problems: string[] = [];
  const n = fixture.files.length;
  if (outcome.usageError !== undefined) problems.push(`s3zipsync refused the command line (exit ${result.exitCode}): ${outcome.usageError}`);
  else if (result.exitCode !== 0 && !spec.throttled) problems.push(`exit code ${result.exitCode}: ${stderrTail ?? ''}`);
  if (tool.isS3ZipSync && outcome.usageError === undefined) {
    const summary = outcome.summary;
    if (!summary) problems.push('no summary line on stdout');
    else {
      // The CLI counts its own requests, retries included; the proxy must have seen exactly those.
      if (summary.totalRequests !== requests.total) problems.push(`the CLI reports ${summary.totalRequests} requests, the proxy saw ${requests.total}`);
      const want = spec.phase === 'first-sync' ? 'new' : 'ignored';
      if (!spec.throttled && summary.counts[want] !== n) problems.push(`expected ${n} ${want}, the summary says ${JSON.stringify(summary.counts)}`);
    }
  }
  if (spec.phase === 'no-change') {
    const writes = Object.entries(requests.byOperation).filter(([op]) => requestClassOf(op) === 'put');
    if (writes.length) problems.push(`wrote on a no-change sync: ${writes.map(([op, count]) => `${op} ${count}`).join(', ')}`);
  }
  let stored: StoredSizesCheck | null = null;
  if (spec.phase === 'first-sync') {
    stored = compareStoredSizes(await listSizes(options.server.client, bucket, PREFIX), PREFIX, fixture.files);
    // Under throttling a missing file is the outcome being measured; a wrong size never is.
    const wrong = stored.wrongSize + stored.extra + (spec.throttled ? 0 : stored.missing);
    if (wrong) problems.push(`stored objects differ from the fixture: ${stored.examples.join('; ')}`);
  }
  const cpuSeconds = result.cpuUserSeconds === null || result.cpuSystemSeconds === null ? null : result.cpuUserSeconds + result.cpuSystemSeconds;
  return {
    case: spec.id,
    tool: tool.name,
    round,
    position,
    warmup: options.rounds >= 2 && round === 0,
    exitCode: result.exitCode,
    wallSeconds: result.wallSeconds,
    cpuSeconds,
    peakRssMiB: result.peakRssMiB,
    requests,
    slowDowns,
    failedEntries: outcome.failedEntries,
    stored,
    problems,
    stderrTail,
  };
}

function describeRun(spec: CaseSpec, run: RemoteRun, rounds: number): string {
  const slow = run.slowDowns.put + run.slowDowns.get + run.slowDowns.list;
  const parts = [
    `${run.wallSeconds.toFixed(2)} s`,
    `${run.requests.total} requests`,
    ...(spec.throttled ? [`${slow} × 503`] : []),
    ...(run.failedEntries ? [`${run.failedEntries} failed`] : []),
    ...(run.stored ? [run.stored.missing ? `${run.stored.missing} missing` : `${run.stored.keysListed} objects verified`] : []),
    `exit ${run.exitCode}`,
    ...run.problems.map((p) => `PROBLEM ${p}`),
  ];
  return `${spec.id} round ${run.round + 1}/${rounds}${run.warmup ? ' (warm-up)' : ''} ${run.tool}: ${parts.join(', ')}`;
}

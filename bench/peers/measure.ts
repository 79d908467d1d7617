import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { shuffle } from '../engine/rng.js';
import type { TreeFixture } from '../fixtures/tree-fixture.js';
import { verifyStoredFiles } from '../fixtures/verify-stored.js';
import { runTimedProcess } from '../run/timed-process.js';
import { parseCliOutput } from '../run/s3zipsync-cli.js';
import type { CountingProxy } from '../../tools/s3-proxy/counting-proxy.js';
import type { SyncTarget, Tool } from './peers.js';
import type { Phase, PhaseRun } from './types.js';

export interface MeasureOptions {
  tools: readonly Tool[];
  rounds: number;
  rng: () => number;
  fixture: TreeFixture & { folder: string };
  proxy: CountingProxy;
  /** The server itself: timed runs talk to it, not through the proxy (unless timedThroughProxy). */
  serverEndpoint: string;
  timedThroughProxy?: boolean;
  /** Talks to the server directly (not through the proxy), for set-up and the sanity check. */
  directClient: S3Client;
  /** s3rver's data folder: a bucket is removed from disk once its runs are over. */
  dataDir: string;
  workDir: string;
  signal: AbortSignal;
  log: (message: string) => void;
}

const WRITES = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'CopyObject'];

/**
 * First one counted run per tool through the request-counting proxy (first sync and no-change, all
 * checks, times not used), then rounds in which every tool, in a shuffled order, syncs the fixture
 * into a fresh bucket (timed, straight to the server), has every stored object checked against the
 * fixture (untimed), then syncs again with nothing changed (timed). A fresh bucket per run keeps
 * s3rver's folder walks the same size for everyone.
 */
export async function measurePeers(options: MeasureOptions): Promise<PhaseRun[]> {
  const runs: PhaseRun[] = [];
  for (const tool of options.tools) {
    if (options.signal.aborted) return runs;
    runs.push(...(await syncTwice(tool, 'counted', 0, 0, false, options)));
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const [position, tool] of shuffle(options.tools, options.rng).entries()) {
      if (options.signal.aborted) return runs;
      runs.push(...(await syncTwice(tool, `r${round}`, round, position, true, options)));
    }
  }
  return runs;
}

/** A first sync into a fresh bucket, its bytes checked, then the no-change sync. */
async function syncTwice(tool: Tool, label: string, round: number, position: number, timed: boolean, options: MeasureOptions): Promise<PhaseRun[]> {
  const runs: PhaseRun[] = [];
  const prefix = 'site/';
  const what = timed ? `round ${round + 1}/${options.rounds}` : 'counted run';
  const bucket = `peers-${label}-${tool.name}`;
  await options.directClient.send(new CreateBucketCommand({ Bucket: bucket }));
  const toolDir = join(options.workDir, 'tools', `${bucket}`);
  mkdirSync(toolDir, { recursive: true });
  const target: SyncTarget = {
    endpoint: timed && !options.timedThroughProxy ? options.serverEndpoint : options.proxy.endpoint,
    bucket,
    prefix,
    folder: options.fixture.folder,
    zipPath: options.fixture.zipPath,
    workDir: toolDir,
  };
  try {
    const counted = (run: PhaseRun) => (timed ? '' : `, ${run.requests.total} requests`);
    const initial = await runPhase(tool, target, 'initial', round, position, timed, options);
    const check = await verifyStoredFiles(options.directClient, bucket, prefix, options.fixture.files);
    if (!check.ok) initial.problems.push(`stored wrong content: ${check.problems.join('; ')}`);
    runs.push(initial);
    options.log(`${what} ${tool.name}: first sync ${initial.wallSeconds.toFixed(2)} s${counted(initial)}${check.ok ? `, ${check.keysListed} objects verified` : `, WRONG: ${check.problems.join('; ')}`}`);
    const again = await runPhase(tool, target, 'resync', round, position, timed, options);
    runs.push(again);
    options.log(`${what} ${tool.name}: no-change ${again.wallSeconds.toFixed(2)} s${counted(again)}${again.problems.length ? `, PROBLEMS: ${again.problems.join('; ')}` : ''}`);
  } finally {
    rmSync(join(options.dataDir, bucket), { recursive: true, force: true });
    rmSync(toolDir, { recursive: true, force: true });
  }
  return runs;
}

async function runPhase(tool: Tool, target: SyncTarget, phase: Phase, round: number, position: number, timed: boolean, options: MeasureOptions): Promise<PhaseRun> {
  const command = tool.command(target);
  const throughProxy = target.endpoint === options.proxy.endpoint;
  options.proxy.take();
  const result = await runTimedProcess(command.file, command.args, { env: command.env, cwd: target.workDir, signal: options.signal });
  const requests = throughProxy ? options.proxy.take() : { byOperation: {}, errors: {}, total: 0 };
  const problems: string[] = [];
  if (result.exitCode !== 0) problems.push(`exit code ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  const expected = options.fixture.files.length;
  if (tool.isS3ZipSync) {
    const parsed = parseCliOutput(result.stdout);
    problems.push(...parsed.problems);
    const want = phase === 'initial' ? 'new' : 'ignored';
    const counts = parsed.summary?.counts;
    if (counts && counts[want] !== expected) problems.push(`expected ${expected} ${want}, the summary says ${JSON.stringify(counts)}`);
    // The CLI counts its own requests; the proxy must have seen exactly those.
    if (throughProxy && parsed.summary && parsed.summary.totalRequests !== requests.total) {
      problems.push(`the CLI reports ${parsed.summary.totalRequests} requests, the proxy saw ${requests.total}`);
    }
  }
  if (phase === 'resync' && throughProxy) {
    const writes = WRITES.filter((op) => requests.byOperation[op]);
    if (writes.length) problems.push(`wrote on a no-change sync: ${writes.map((op) => `${op} ${requests.byOperation[op]}`).join(', ')}`);
  }
  const cpuSeconds = result.cpuUserSeconds === null || result.cpuSystemSeconds === null ? null : result.cpuUserSeconds + result.cpuSystemSeconds;
  return {
    tool: tool.name,
    timed,
    round,
    position,
    phase,
    exitCode: result.exitCode,
    wallSeconds: result.wallSeconds,
    cpuSeconds,
    peakRssMiB: result.peakRssMiB,
    requests,
    problems,
    stderrHead: result.stderr.trim().split('\n')[0] || undefined,
  };
}

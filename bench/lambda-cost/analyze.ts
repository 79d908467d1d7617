// The pure half of `bench:lambda-cost`: what one handler run measured, and how medians, GB-seconds
// per 10,000 files and after/before ratios are derived from the runs. No I/O here, so it is unit-tested.
import { median } from '../engine/stats.js';
import type { RequestTally } from '../../tools/s3-proxy/counting-proxy.js';

export const BUILDS = ['before', 'after'] as const;
export type BuildName = (typeof BUILDS)[number];

export const JOBS = ['first', 'no-change'] as const;
export type Job = (typeof JOBS)[number];

export const JOB_TITLES: Record<Job, string> = { first: 'first sync (all new)', 'no-change': 'no-change re-run (all ignored)' };

/** Cost is quoted per this many files, whatever the fixture held. */
export const PER_FILES = 10_000;

export interface BuildInfo {
  name: BuildName;
  /** The built handler module the child imported. */
  handlerPath: string;
  /** Short commit of the checkout it was built from, or `unknown`. */
  commit: string;
}

export interface CostRun {
  build: BuildName;
  job: Job;
  /** 0-based. */
  round: number;
  /** 0 when this build ran first in its round. */
  position: number;
  /** The handler call, as Lambda bills a warm invocation. */
  invocationSeconds: number;
  /** Importing the handler module (Lambda's init phase), without Node's own start-up. */
  initSeconds: number;
  /** Spawn to exit of the child, Node start-up included. */
  processWallSeconds: number;
  /** user + sys of the child during the handler call, and over the child's whole life. */
  cpuInvocationSeconds: number;
  cpuProcessSeconds: number;
  peakRssMiB: number;
  /** What the counting proxy saw between the child and the server. */
  requests: RequestTally;
  /** The handler's own counts for the archive, if it returned a report. */
  counts: Record<string, number> | null;
  /** What makes this run's numbers untrustworthy; empty when its checks passed. */
  problems: string[];
}

export interface CostResult {
  files: number;
  memoryMb: number;
  rounds: number;
  /** Rounds at the start left out of the medians (still in `runs`). */
  warmup: number;
  builds: BuildInfo[];
  runs: CostRun[];
  /** The core the children were pinned to, or why they were not. */
  pin: { core: number } | { unpinned: string };
}

/** What Lambda bills for one invocation: configured memory (MB, 1024 to the GB) × duration rounded up to 1 ms. */
export function gbSeconds(memoryMb: number, seconds: number): number {
  return (memoryMb / 1024) * (Math.ceil(seconds * 1000 - 1e-9) / 1000);
}

export function perFiles(value: number, files: number): number {
  if (!(files > 0)) throw new RangeError(`files must be positive, got ${files}`);
  return (value * PER_FILES) / files;
}

export interface JobFigures {
  runs: number;
  invocationSeconds: number;
  initSeconds: number;
  processWallSeconds: number;
  cpuInvocationSeconds: number;
  cpuProcessSeconds: number;
  peakRssMiB: number;
  /** From the median invocation time at the configured memory, per 10,000 files. */
  gbSecondsPer10k: number;
  /** Median CPU of the handler call, per 10,000 files. */
  cpuSecondsPer10k: number;
  /**
   * GB-s per 10,000 files of an invocation lasting only its CPU time: on one core (pinned) it cannot
   * be shorter, so this is what is left when S3 answers instantly, whatever the server here costs.
   */
  cpuBoundGbSecondsPer10k: number;
  /** The run whose request total is the median one (totals can differ by a retry). */
  requests: RequestTally;
  requestsMin: number;
  requestsMax: number;
}

export interface JobComparison {
  job: Job;
  before: JobFigures | null;
  after: JobFigures | null;
  /** after / before of the medians; null without both builds. */
  gbSecondsRatio: number | null;
  cpuRatio: number | null;
  /** after / before within each round, the two runs measured side by side, in round order. */
  pairedGbSecondsRatios: number[];
  pairedCpuRatios: number[];
}

function figuresOf(runs: readonly CostRun[], result: CostResult): JobFigures | null {
  if (runs.length === 0) return null;
  const totals = runs.map((run) => run.requests.total);
  const medianTotal = median(totals);
  const representative = runs.reduce((best, run) => (Math.abs(run.requests.total - medianTotal) < Math.abs(best.requests.total - medianTotal) ? run : best));
  const invocationSeconds = median(runs.map((run) => run.invocationSeconds));
  const cpuInvocationSeconds = median(runs.map((run) => run.cpuInvocationSeconds));
  return {
    runs: runs.length,
    invocationSeconds,
    initSeconds: median(runs.map((run) => run.initSeconds)),
    processWallSeconds: median(runs.map((run) => run.processWallSeconds)),
    cpuInvocationSeconds,
    cpuProcessSeconds: median(runs.map((run) => run.cpuProcessSeconds)),
    peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
    gbSecondsPer10k: perFiles(gbSeconds(result.memoryMb, invocationSeconds), result.files),
    cpuSecondsPer10k: perFiles(cpuInvocationSeconds, result.files),
    cpuBoundGbSecondsPer10k: perFiles(gbSeconds(result.memoryMb, cpuInvocationSeconds), result.files),
    requests: representative.requests,
    requestsMin: Math.min(...totals),
    requestsMax: Math.max(...totals),
  };
}

/** Medians per build and job over the rounds after the warm-up; runs with problems are counted like the others (verify refuses the whole figure then). */
export function analyzeLambdaCost(result: CostResult): JobComparison[] {
  const counted = result.runs.filter((run) => run.round >= result.warmup);
  return JOBS.map((job) => {
    const of = (build: BuildName) => counted.filter((run) => run.job === job && run.build === build);
    const before = figuresOf(of('before'), result);
    const after = figuresOf(of('after'), result);
    const paired = (value: (run: CostRun) => number) => {
      const ratios: number[] = [];
      for (const round of [...new Set(counted.map((run) => run.round))].sort((a, b) => a - b)) {
        const b = of('before').find((run) => run.round === round);
        const a = of('after').find((run) => run.round === round);
        if (a && b) ratios.push(value(a) / value(b));
      }
      return ratios;
    };
    return {
      job,
      before,
      after,
      gbSecondsRatio: before && after ? after.gbSecondsPer10k / before.gbSecondsPer10k : null,
      cpuRatio: before && after ? after.cpuSecondsPer10k / before.cpuSecondsPer10k : null,
      // GB-s is linear in the invocation time at a fixed memory, so its per-round ratio is the time ratio.
      pairedGbSecondsRatios: paired((run) => gbSeconds(result.memoryMb, run.invocationSeconds)),
      pairedCpuRatios: paired((run) => run.cpuInvocationSeconds),
    };
  });
}

/** The order of the builds in round `round`: rotated by one each round, so neither always runs first. */
export function roundOrder<T>(builds: readonly T[], round: number): T[] {
  if (builds.length === 0) return [];
  const shift = round % builds.length;
  return [...builds.slice(shift), ...builds.slice(0, shift)];
}

/**
 * The checks one handler run must pass before its timings mean anything: the handler's counts (every
 * file new on the first sync, every file ignored on the re-run, nothing failed), its request total
 * equal to what the proxy saw, no write on a no-change run, and the pin in effect.
 */
export function checkRun(input: {
  job: Job;
  files: number;
  exitCode: number | null;
  complete: boolean | undefined;
  counts: Record<string, number> | null;
  reportedRequests: Record<string, number> | null;
  proxied: RequestTally;
  pinnedCore: number | null;
  cpusAllowed: string | null;
}): string[] {
  const problems: string[] = [];
  if (input.exitCode !== 0) problems.push(`child exited with ${input.exitCode}`);
  if (!input.counts) return [...problems, 'no report from the handler'];
  const expected = input.job === 'first' ? 'new' : 'ignored';
  const unexpected = Object.entries(input.counts).filter(([name, n]) => name !== expected && n !== 0);
  if (input.counts[expected] !== input.files || unexpected.length) problems.push(`expected ${input.files} ${expected}, the handler counted ${JSON.stringify(input.counts)}`);
  if (input.complete !== true) problems.push('the handler reports the archive incomplete');
  if (input.reportedRequests) {
    const reported = Object.values(input.reportedRequests).reduce((sum, n) => sum + n, 0);
    if (reported !== input.proxied.total) problems.push(`the handler reports ${reported} requests, the proxy saw ${input.proxied.total}`);
  }
  const errors = Object.entries(input.proxied.errors).filter(([name]) => !name.endsWith(' 404'));
  if (errors.length) problems.push(`error answers: ${errors.map(([name, n]) => `${name} × ${n}`).join(', ')}`);
  if (input.job === 'no-change') {
    const writes = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'CopyObject', 'DeleteObjects'].filter((op) => input.proxied.byOperation[op]);
    if (writes.length) problems.push(`wrote on a no-change run: ${writes.map((op) => `${op} ${input.proxied.byOperation[op]}`).join(', ')}`);
  }
  if (input.pinnedCore !== null && input.cpusAllowed !== String(input.pinnedCore)) problems.push(`pinned to core ${input.pinnedCore}, but the child may run on ${input.cpusAllowed ?? 'unknown cores'}`);
  return problems;
}

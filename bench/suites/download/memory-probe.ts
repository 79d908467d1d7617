/**
 * Child-process entry: measures one download method on one object, alone in a fresh process.
 *
 * A method's peak memory can only be read honestly in isolation: in the bench process, the buffers and
 * uncollected garbage of the methods timed before it would be counted against it. Started by
 * measure-memory.ts as `node --expose-gc memory-probe.js '<json>'`, with credentials in the environment.
 * Prints exactly one JSON line (a ProbeResult) on stdout; exits 0 even when the download failed or
 * returned wrong bytes, so the parent can tell a failing method from a crashed probe (exit 1).
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createS3Client } from '../../../src/internal.js';
import { createMethods } from './methods.js';
import type { DownloadTarget } from './types.js';

/** The target travels as data: the child builds its own client from `client`. */
export interface ProbeInput extends Omit<DownloadTarget, 'client'> {
  method: string;
  parallel: number;
  client: { endpoint?: string; region: string; forcePathStyle?: boolean };
  /**
   * Scavenge the young generation before each sample (default true), so the peaks are of memory the
   * download keeps alive. Without it, a streaming method's spent chunks stay counted until V8 happens
   * to collect them: streaming 4 MB then reads as ~2× the object in arrayBuffers, more than a method
   * that buffers it, because the short-lived socket buffers do not fill the young generation enough
   * to trigger a scavenge and V8 collects for external memory only past ~64 MB.
   */
  scavengeEachSample?: boolean;
}

export interface ProbeResult {
  ok: boolean;
  problem?: string;
  /** Peak resident set size during the download minus the baseline RSS, floored at 0. */
  peakRssGrowthBytes: number;
  /** Peak `process.memoryUsage().arrayBuffers` (sampled) minus the baseline: Buffers held by JS objects. */
  peakArrayBuffersGrowthBytes: number;
  /** Peak `process.memoryUsage().heapUsed` (sampled) minus the baseline; old-generation garbage included. */
  peakHeapGrowthBytes: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  ms: number;
}

// Anything the SDK or a method prints must not corrupt the one line the parent parses.
const writeResultLine = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const SAMPLE_INTERVAL_MS = 1;

/** Linux only: the kernel's exact RSS high-water mark of this process, in bytes. */
function readVmHwmBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resets VmHWM to the current RSS so that start-up (module loading, the pre-GC heap) is not taken for
 * the download's peak. Returns false where that is impossible (not Linux, or /proc read-only).
 */
function resetVmHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  // S3 answers HEAD errors without a body, so the SDK's message alone ("UnknownError") says nothing.
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return `${message.replace(/\s+/g, ' ').trim() || 'unknown error'}${status ? ` (HTTP ${status})` : ''}`;
}

function parseInput(raw: string | undefined): ProbeInput {
  if (!raw) throw new Error('expected one JSON argument');
  const input = JSON.parse(raw) as Partial<ProbeInput>;
  const fields: [keyof ProbeInput, string][] = [
    ['method', 'string'],
    ['parallel', 'number'],
    ['client', 'object'],
    ['bucket', 'string'],
    ['key', 'string'],
    ['storedBytes', 'number'],
    ['decodedBytes', 'number'],
    ['decodedSha256', 'string'],
    ['gzipped', 'boolean'],
  ];
  for (const [field, type] of fields) {
    if (typeof input[field] !== type || input[field] === null) throw new Error(`input: ${field} must be a ${type}`);
  }
  if (input.scavengeEachSample !== undefined && typeof input.scavengeEachSample !== 'boolean') {
    throw new Error('input: scavengeEachSample must be a boolean');
  }
  if (typeof input.client!.region !== 'string') throw new Error('input: client.region must be a string');
  return input as ProbeInput;
}

function credentialsFromEnv() {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set');
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

async function probe(input: ProbeInput): Promise<ProbeResult> {
  if ((input.scavengeEachSample ?? true) && !global.gc) throw new Error('scavengeEachSample needs node --expose-gc');
  const client = createS3Client({
    region: input.client.region,
    ...(input.client.endpoint ? { endpoint: input.client.endpoint } : {}),
    ...(input.client.forcePathStyle !== undefined ? { forcePathStyle: input.client.forcePathStyle } : {}),
    // Static credentials skip the provider chain, so a profile in the inherited environment cannot win.
    credentials: credentialsFromEnv(),
    // Default 64; a ranged method asking for more must not queue on the agent.
    maxSockets: Math.max(64, input.parallel),
  });
  const methods = createMethods({ parallel: input.parallel });
  const method = methods.find((candidate) => candidate.name === input.method);
  if (!method) {
    throw new Error(`no method named ${input.method} (have ${methods.map((m) => m.name).join(', ') || 'none'})`);
  }
  const target: DownloadTarget = {
    client,
    bucket: input.bucket,
    key: input.key,
    storedBytes: input.storedBytes,
    decodedBytes: input.decodedBytes,
    decodedSha256: input.decodedSha256,
    gzipped: input.gzipped,
  };

  const empty = { peakRssGrowthBytes: 0, peakArrayBuffersGrowthBytes: 0, peakHeapGrowthBytes: 0, cpuUserMs: 0, cpuSystemMs: 0, ms: 0 };
  try {
    // The SDK loads its middleware, serializers and credentials lazily on a client's first request and
    // every method goes through it; a HEAD pays that once so it is not billed to whichever method runs.
    await client.send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key }));
  } catch (error) {
    client.destroy();
    return { ok: false, problem: `warm-up HEAD failed: ${oneLine(error)}`, ...empty };
  }

  // Twice: the first full GC can leave weak/finalizable objects that only the second frees.
  global.gc?.();
  global.gc?.();
  const baseline = process.memoryUsage();
  const hwmReset = resetVmHwm();
  const maxRssBeforeBytes = process.resourceUsage().maxRSS * 1024;

  let peakRss = baseline.rss;
  let peakArrayBuffers = baseline.arrayBuffers;
  let peakHeap = baseline.heapUsed;
  const scavenge = input.scavengeEachSample ?? true;
  const sample = () => {
    // A scavenge of a young generation holding only the last millisecond's garbage takes well under
    // a millisecond, so it hardly moves ms or CPU; it does make the RSS peak that of a process that
    // collects promptly, which is the point.
    if (scavenge) global.gc!({ type: 'minor' });
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) peakRss = usage.rss;
    if (usage.arrayBuffers > peakArrayBuffers) peakArrayBuffers = usage.arrayBuffers;
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
  };
  // Synchronous stretches (hashing, concatenation) cannot be sampled; the kernel's RSS high-water mark
  // still sees them, which is why RSS is read from there and the sampled RSS is only a lower bound.
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);

  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let problem: string | undefined;
  try {
    const output = await method.download(target);
    sample();
    if (output.bytes !== input.decodedBytes) problem = `returned ${output.bytes} bytes, expected ${input.decodedBytes}`;
    else if (output.sha256 !== input.decodedSha256) problem = `returned sha256 ${output.sha256}, expected ${input.decodedSha256}`;
  } catch (error) {
    sample();
    problem = `download failed: ${oneLine(error)}`;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(timer);

  const peakRssBytes = kernelPeakRss(hwmReset, maxRssBeforeBytes, peakRss);
  client.destroy();
  return {
    ok: problem === undefined,
    ...(problem !== undefined ? { problem } : {}),
    peakRssGrowthBytes: Math.max(0, peakRssBytes - baseline.rss),
    peakArrayBuffersGrowthBytes: Math.max(0, peakArrayBuffers - baseline.arrayBuffers),
    peakHeapGrowthBytes: Math.max(0, peakHeap - baseline.heapUsed),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    ms,
  };
}

/**
 * The exact RSS peak of the download, where the kernel can tell it.
 *
 * getrusage's maxRSS alone is not enough on Linux: a spawned child inherits, through the fork that
 * precedes exec, the parent's resident size as its own maxRSS, so under a bench process holding a few
 * hundred MB it reads as that figure whatever the method does. VmHWM belongs to the exec'd image only
 * and can be reset after the baseline. Without it, maxRSS is exact only if it rose during the download
 * (the download set a new lifetime peak); otherwise the download's peak is below an older peak and the
 * sampled RSS is the best lower bound there is.
 */
function kernelPeakRss(hwmReset: boolean, maxRssBeforeBytes: number, sampledPeakRss: number): number {
  if (hwmReset) {
    const hwm = readVmHwmBytes();
    if (hwm !== undefined) return Math.max(hwm, sampledPeakRss);
  }
  const maxRssAfterBytes = process.resourceUsage().maxRSS * 1024;
  return maxRssAfterBytes > maxRssBeforeBytes ? maxRssAfterBytes : sampledPeakRss;
}

try {
  const result = await probe(parseInput(process.argv[2]));
  // Exiting from the write callback: sockets or timers a method left behind must not keep the probe
  // alive, and a pipe on some platforms is written asynchronously, so an earlier exit could cut the line.
  writeResultLine(`${JSON.stringify(result)}\n`, () => process.exit(0));
} catch (error) {
  process.stderr.write(`memory-probe: ${oneLine(error)}\n`, () => process.exit(1));
}

/**
 * Parent side of the memory probe: runs one method on one object in a fresh Node process (see
 * memory-probe.ts for why) and returns what it measured.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeInput, ProbeResult } from './memory-probe.js';
import type { DownloadTarget } from './types.js';

/** One method's cost for one download, measured alone in a child process against its own baseline. */
export type MemoryMeasurement = ProbeResult;

export interface ClientConfig {
  endpoint?: string;
  region: string;
  forcePathStyle?: boolean;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface MemoryMeasurementRequest {
  /** A variant name as `createMethods` names it, e.g. `whole`, `chunks-natural`. */
  method: string;
  parallel: number;
  clientConfig: ClientConfig;
  credentials: StaticCredentials;
  target: Omit<DownloadTarget, 'client'>;
  /** See ProbeInput.scavengeEachSample; default true. */
  scavengeEachSample?: boolean;
  /** Kill the probe after this long (default 10 minutes), so a hung download cannot hang the bench. */
  timeoutMs?: number;
}

const STDERR_TAIL_CHARS = 4000;

// Under tsx (tests, `node --import tsx bench/...`) this module is a .ts file and there is no compiled
// probe next to it; the child then needs the same loader. tsx is resolved here, not by the child,
// because the child's cwd need not be the project.
const runningFromSources = import.meta.url.endsWith('.ts');
const probePath = fileURLToPath(new URL(runningFromSources ? './memory-probe.ts' : './memory-probe.js', import.meta.url));

function probeArgs(input: ProbeInput): string[] {
  const loader = runningFromSources ? ['--import', import.meta.resolve('tsx')] : [];
  return [...loader, '--expose-gc', probePath, JSON.stringify(input)];
}

/** The environment without any AWS credentials of the bench's own, plus the ones given. */
function probeEnv(credentials: StaticCredentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION']) delete env[name];
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return env;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

function isProbeResult(value: unknown): value is ProbeResult {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const numbers = ['peakRssGrowthBytes', 'peakArrayBuffersGrowthBytes', 'peakHeapGrowthBytes', 'cpuUserMs', 'cpuSystemMs', 'ms'];
  return (
    typeof record.ok === 'boolean' &&
    (record.problem === undefined || typeof record.problem === 'string') &&
    numbers.every((name) => typeof record[name] === 'number' && Number.isFinite(record[name]))
  );
}

/**
 * Runs `request.method` once on `request.target` in a fresh `node --expose-gc` process.
 *
 * Resolves with the probe's measurement, `ok: false` included (a method that failed or returned wrong
 * bytes). Rejects with a one-line error when the probe itself crashed, timed out or printed something
 * that is not a measurement. Credentials travel in the child's environment only.
 */
export function measureMemory(request: MemoryMeasurementRequest): Promise<MemoryMeasurement> {
  const input: ProbeInput = {
    method: request.method,
    parallel: request.parallel,
    client: request.clientConfig,
    bucket: request.target.bucket,
    key: request.target.key,
    storedBytes: request.target.storedBytes,
    decodedBytes: request.target.decodedBytes,
    decodedSha256: request.target.decodedSha256,
    gzipped: request.target.gzipped,
    ...(request.scavengeEachSample !== undefined ? { scavengeEachSample: request.scavengeEachSample } : {}),
  };
  const timeoutMs = request.timeoutMs ?? 10 * 60_000;
  return new Promise<MemoryMeasurement>((resolve, reject) => {
    const child = spawn(process.execPath, probeArgs(input), { env: probeEnv(request.credentials), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const fail = (what: string) => {
      // The probe's own crash line, not whatever warning (e.g. the SDK's about Node versions) came last.
      const detail = lastLine(stderr.split('\n').filter((line) => line.startsWith('memory-probe: ')).join('\n')) || lastLine(stderr);
      reject(new Error(`memory probe of ${request.method} ${what}${detail ? `: ${detail}` : ''}`.replace(/\s+/g, ' ')));
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(`could not start (${error.message})`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return fail(`timed out after ${timeoutMs} ms`);
      if (code !== 0) return fail(signal ? `was killed by ${signal}` : `exited with code ${code}`);
      const line = lastLine(stdout);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return fail(`printed no measurement (stdout: ${JSON.stringify(line.slice(0, 200))})`);
      }
      if (!isProbeResult(parsed)) return fail(`printed a malformed measurement (${line.slice(0, 200)})`);
      resolve(parsed);
    });
  });
}

/**
 * The parts of a client's configuration the probe needs to build an equivalent one. Other settings
 * (maxAttempts, socket limits) are the probe's createS3Client defaults. An endpoint taken from
 * AWS_ENDPOINT_URL_S3 is not in `client.config`; the child inherits that variable instead.
 */
export async function clientConfigOf(client: S3Client): Promise<ClientConfig> {
  const config: ClientConfig = { region: await client.config.region() };
  if (client.config.endpoint) {
    const endpoint = await client.config.endpoint();
    const port = endpoint.port ? `:${endpoint.port}` : '';
    const path = endpoint.path && endpoint.path !== '/' ? endpoint.path : '';
    config.endpoint = `${endpoint.protocol}//${endpoint.hostname}${port}${path}`;
  }
  if (client.config.forcePathStyle !== undefined) config.forcePathStyle = client.config.forcePathStyle;
  return config;
}

/**
 * The client's current credentials, resolved once, for handing to a probe. Temporary credentials
 * are passed as they are now; a probe outliving their expiry would fail its download.
 */
export async function credentialsOf(client: S3Client): Promise<StaticCredentials> {
  const resolved = await client.config.credentials();
  return {
    accessKeyId: resolved.accessKeyId,
    secretAccessKey: resolved.secretAccessKey,
    ...(resolved.sessionToken ? { sessionToken: resolved.sessionToken } : {}),
  };
}

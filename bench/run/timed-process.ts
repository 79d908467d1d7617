import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const TIME_BINARY = '/usr/bin/time';

export interface TimedProcessResult {
  exitCode: number | null;
  /** Spawn to exit, process start-up included: what a user waits for. */
  wallSeconds: number;
  /** Kernel high-water mark of the resident set, in MiB; null if it could not be read. */
  peakRssMiB: number | null;
  cpuUserSeconds: number | null;
  cpuSystemSeconds: number | null;
  stdout: string;
  stderr: string;
  /** How peak RSS was measured, for the report. */
  rssSource: string;
}

export interface TimedProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kills the child when aborted (e.g. on Ctrl-C of the bench). */
  signal?: AbortSignal;
}

export function measuresWithGnuTime(): boolean {
  return existsSync(TIME_BINARY);
}

/**
 * Runs one command to completion and measures it from outside, so any program (Node, Python, Go) is
 * measured the same way. GNU time's "Maximum resident set size" covers the whole process lifetime;
 * without GNU time the child's VmHWM is sampled every 50 ms, which only misses a peak reached in
 * the last interval before exit.
 */
export async function runTimedProcess(command: string, args: string[], options: TimedProcessOptions = {}): Promise<TimedProcessResult> {
  const useGnuTime = measuresWithGnuTime();
  const timeDir = useGnuTime ? mkdtempSync(join(os.tmpdir(), 's3zipsync-time-')) : undefined;
  const timeFile = timeDir ? join(timeDir, 'time.txt') : undefined;
  const [file, fileArgs] = timeFile ? [TIME_BINARY, ['-v', '-o', timeFile, command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(file, fileArgs, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal, killSignal: 'SIGTERM' as const } : {}),
  });
  child.on('error', () => {}); // an abort surfaces as the exit code; a missing binary as exit 127 from time, or below
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  let sampledHwmKiB = null as number | null;
  const sampler = useGnuTime
    ? undefined
    : setInterval(() => {
        try {
          const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (match) sampledHwmKiB = Math.max(sampledHwmKiB ?? 0, Number(match[1]));
        } catch {
          // exited between two samples
        }
      }, 50);
  const [exitCode] = (await once(child, 'close')) as [number | null];
  const wallSeconds = (performance.now() - started) / 1000;
  if (sampler) clearInterval(sampler);

  let peakRssKiB: number | null = sampledHwmKiB;
  let cpuUserSeconds: number | null = null;
  let cpuSystemSeconds: number | null = null;
  if (timeFile && timeDir) {
    const report = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
    rmSync(timeDir, { recursive: true, force: true });
    const parsed = parseGnuTimeReport(report);
    peakRssKiB = parsed.peakRssKiB;
    cpuUserSeconds = parsed.cpuUserSeconds;
    cpuSystemSeconds = parsed.cpuSystemSeconds;
  }
  return {
    exitCode,
    wallSeconds,
    peakRssMiB: peakRssKiB === null ? null : peakRssKiB / 1024,
    cpuUserSeconds,
    cpuSystemSeconds,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    rssSource: useGnuTime ? `${TIME_BINARY} -v (Maximum resident set size)` : '/proc/<pid>/status VmHWM sampled every 50 ms',
  };
}

export function parseGnuTimeReport(report: string): { peakRssKiB: number | null; cpuUserSeconds: number | null; cpuSystemSeconds: number | null } {
  const number = (pattern: RegExp): number | null => {
    const match = pattern.exec(report);
    return match ? Number(match[1]) : null;
  };
  return {
    peakRssKiB: number(/Maximum resident set size \(kbytes\): (\d+)/),
    cpuUserSeconds: number(/User time \(seconds\): ([\d.]+)/),
    cpuSystemSeconds: number(/System time \(seconds\): ([\d.]+)/),
  };
}

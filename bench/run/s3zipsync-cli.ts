import { fileURLToPath } from 'node:url';
import { runTimedProcess, type TimedProcessResult } from './timed-process.js';

/** The CLI as the package ships it: the launcher in dist/cli/ (bench/run/ → cli/). */
export const CLI_PATH = fileURLToPath(new URL('../../cli/launcher.js', import.meta.url));

export interface CliSummary {
  type: 'summary';
  counts: Record<string, number>;
  requests: Record<string, number>;
  totalRequests: number;
  elapsedMs: number;
  bytesUploaded: number;
  failures: Array<{ key: string; code: string; reason: string }>;
}

export interface ParsedCliOutput {
  summary: CliSummary | undefined;
  /** Entry lines on stdout by action (`new`, `ignored`, …), to check against the summary. */
  entryLineCounts: Record<string, number>;
  problems: string[];
}

/** Reads the `--json` (NDJSON) output of one CLI run. */
export function parseCliOutput(stdout: string): ParsedCliOutput {
  const entryLineCounts: Record<string, number> = {};
  const problems: string[] = [];
  let summary: CliSummary | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let parsed: { type?: string; action?: string };
    try {
      parsed = JSON.parse(line) as { type?: string; action?: string };
    } catch {
      problems.push(`stdout line is not JSON: ${line.slice(0, 120)}`);
      continue;
    }
    if (parsed.type === 'entry' && parsed.action) entryLineCounts[parsed.action] = (entryLineCounts[parsed.action] ?? 0) + 1;
    if (parsed.type === 'summary') summary = parsed as CliSummary;
  }
  if (!summary) problems.push('no summary line on stdout');
  else if (summary.failures?.length) problems.push(`failures: ${summary.failures.slice(0, 3).map((f) => `${f.key} ${f.code} ${f.reason}`).join('; ')}`);
  return { summary, entryLineCounts, problems };
}

/**
 * The caller's environment without anything that would steer the CLI elsewhere (S3ZIPSYNC_* flags,
 * AWS profile/endpoint settings, NODE_OPTIONS), plus s3rver's credentials.
 */
/**
 * Node settings of the caller's shell, not of a user's run. NODE_EXTRA_CA_CERTS is read before any
 * code runs: with a 220 KB bundle of CAs (as this workplace sets) every Node start costs 60–90 ms more,
 * whatever the program, while the runs here talk plain HTTP to loopback and use no CA at all.
 */
export const NODE_SETTINGS_OF_THIS_SHELL: readonly string[] = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];

export function localCliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('S3ZIPSYNC_') && !k.startsWith('AWS_') && !NODE_SETTINGS_OF_THIS_SHELL.includes(k)),
  );
  return { ...env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
}

export interface LocalCliRun {
  timed: TimedProcessResult;
  parsed: ParsedCliOutput;
  /** Exit code, stderr and output problems of the run, in one line each. */
  problems: string[];
  /** Client CPU, user + system; null where it could not be read. */
  cpuSeconds: number | null;
}

/**
 * One timed run of the built CLI against a local server: path-style, no progress bar, the server's
 * credentials only; its output as `--json` (read back) unless `text` asks for the human lines.
 */
export async function runLocalCli(
  target: { endpoint: string; cliEnv: NodeJS.ProcessEnv; workDir: string },
  args: string[],
  signal?: AbortSignal,
  output: 'json' | 'text' = 'json',
): Promise<LocalCliRun> {
  const cliArgs = [CLI_PATH, ...args, ...(output === 'json' ? ['--json'] : []), '--no-progress', '--endpoint-url', target.endpoint, '--force-path-style'];
  const timed = await runTimedProcess(process.execPath, cliArgs, { env: target.cliEnv, cwd: target.workDir, ...(signal ? { signal } : {}) });
  const parsed: ParsedCliOutput = output === 'json' ? parseCliOutput(timed.stdout) : { summary: undefined, entryLineCounts: {}, problems: [] };
  const problems = [...parsed.problems];
  const stderr = timed.stderr.trim();
  if (timed.exitCode !== 0) problems.unshift(`exit code ${timed.exitCode}${stderr ? `; stderr: ${stderr.split('\n').slice(0, 3).join(' | ').slice(0, 400)}` : ''}`);
  const cpuSeconds = timed.cpuUserSeconds === null || timed.cpuSystemSeconds === null ? null : timed.cpuUserSeconds + timed.cpuSystemSeconds;
  return { timed, parsed, problems, cpuSeconds };
}

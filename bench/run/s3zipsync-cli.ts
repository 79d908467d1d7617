import { fileURLToPath } from 'node:url';

/** The built CLI, next to this file in dist/ (bench/run/ → bin/). */
export const CLI_PATH = fileURLToPath(new URL('../../bin/s3zipsync.js', import.meta.url));

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
export function localCliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('S3ZIPSYNC_') && !k.startsWith('AWS_') && k !== 'NODE_OPTIONS'),
  );
  return { ...env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
}

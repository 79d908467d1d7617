import type { FixtureFile } from '../fixtures/tree-fixture.js';
import { parseCliOutput, type CliSummary } from '../run/s3zipsync-cli.js';
import type { StoredSizesCheck } from './types.js';

export interface ToolOutcome {
  /** Entries the tool reports as failed; null when its output does not say. */
  failedEntries: number | null;
  /** s3zipsync's summary, when it printed one. */
  summary: CliSummary | undefined;
  /** s3zipsync refused its command line (exit 2, USAGE): a variant with flags this build does not know. */
  usageError: string | undefined;
}

/**
 * What a tool says went wrong, from its exit code and output: s3zipsync's `--json` summary, rclone's
 * "Failed to sync with N errors" (its last attempt's count), aws-cli's "upload failed:" lines.
 */
export function readOutcome(tool: { isS3ZipSync: boolean; name: string }, exitCode: number | null, stdout: string, stderr: string): ToolOutcome {
  if (tool.isS3ZipSync) {
    const usage = /"type":"error","code":"USAGE","message":"((?:[^"\\]|\\.)*)"/.exec(stdout);
    const summary = parseCliOutput(stdout).summary;
    const failed = summary ? (summary.counts.failed ?? 0) + (summary.counts.notStarted ?? 0) : null;
    return { failedEntries: failed, summary, usageError: usage ? (JSON.parse(`"${usage[1]}"`) as string) : undefined };
  }
  if (exitCode === 0) return { failedEntries: 0, summary: undefined, usageError: undefined };
  if (tool.name.startsWith('rclone')) {
    const match = /Failed to sync with (\d+) errors/.exec(stderr);
    return { failedEntries: match ? Number(match[1]) : null, summary: undefined, usageError: undefined };
  }
  const uploadFailures = stderr.match(/^upload failed:/gm)?.length ?? 0;
  return { failedEntries: uploadFailures || null, summary: undefined, usageError: undefined };
}

/** The listed objects (key → size) against the fixture: every file present under the prefix with its size, nothing else. */
export function compareStoredSizes(listed: ReadonlyMap<string, number>, prefix: string, files: readonly Pick<FixtureFile, 'name' | 'size'>[]): StoredSizesCheck {
  const expected = new Set<string>();
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const file of files) {
    const key = prefix + file.name;
    expected.add(key);
    const size = listed.get(key);
    if (size === undefined) missing.push(key);
    else if (size !== file.size) wrong.push(`${key} (${size} B stored, ${file.size} B source)`);
  }
  const extra = [...listed.keys()].filter((key) => !expected.has(key));
  const examples = [
    ...missing.slice(0, 2).map((k) => `missing ${k}`),
    ...wrong.slice(0, 2).map((k) => `wrong size ${k}`),
    ...extra.slice(0, 2).map((k) => `unexpected ${k}`),
  ];
  return { keysListed: listed.size, missing: missing.length, wrongSize: wrong.length, extra: extra.length, examples };
}

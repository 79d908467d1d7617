import type { SyncEvent, SyncReport } from '../../src/internal.js';

/**
 * The `--json` schema version. Bumped only for a change that can break a reader (a field removed,
 * renamed or retyped); new fields and new event types keep it. Documented in docs/json-output.md,
 * machine-checkable in schema/json-output.v1.json.
 */
export const JSON_OUTPUT_VERSION = 1;

/** The event types `--json` prints; progress and per-part transfer events are for the terminal only. */
const PRINTED = new Set<SyncEvent['type']>(['start', 'entry', 'excluded', 'delete', 'warning']);

export function jsonEventLine(event: SyncEvent): string | undefined {
  if (!PRINTED.has(event.type)) return undefined;
  return line({ ...event });
}

export function jsonSummaryLine(report: SyncReport): string {
  return line({ type: 'summary', ...report });
}

/** A run that stopped as a whole (exit 2, or 1 for the unexpected): the same message as on stderr. */
export function jsonErrorLine(error: { code: string; message: string; exitCode: number; option?: string }): string {
  return line({ type: 'error', ...error });
}

function line(fields: Record<string, unknown>): string {
  // "v" first, so a reader (or a person) sees the version before anything else.
  return `${JSON.stringify({ v: JSON_OUTPUT_VERSION, ...fields })}\n`;
}

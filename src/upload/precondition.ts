import type { RemoteObject } from '../check/existence-check.js';
import type { Decision } from '../decide.js';

/**
 * The condition a write carries so that it never overwrites a version this run did not see:
 * `If-None-Match: *` stores only while the key is still absent, `If-Match` only over the version the
 * check saw. S3 answers 412 otherwise, and the entry is reported as a conflict.
 */
export type WritePrecondition = { ifNoneMatch: '*' } | { ifMatch: string };

/**
 * How the server compares If-Match: AWS against the quoted ETag as HTTP says; radosgw 16.2 against
 * the bare value (the quoted one always fails). A run starts `quoted` and learns `unquoted`.
 */
export type IfMatchForm = 'quoted' | 'unquoted';

/**
 * The pure rule. No condition when conditional writes are off, or for an update whose check gave
 * no ETag (nothing to compare against: the write goes unconditional rather than failing).
 */
export function preconditionFor(decision: Decision, remote: RemoteObject | null, enabled: boolean, form: IfMatchForm = 'quoted'): WritePrecondition | undefined {
  if (!enabled || decision.action === 'ignored') return undefined;
  if (decision.action === 'new') return { ifNoneMatch: '*' };
  const etag = remote?.etag;
  if (!etag) return undefined;
  return { ifMatch: form === 'unquoted' ? unquoted(etag) : quoted(etag) };
}

export function quoted(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

export function unquoted(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

/** The same version, whichever way either side quotes its ETag. */
export function sameEtag(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && unquoted(a) === unquoted(b);
}

/** The fields of a PutObject / CompleteMultipartUpload input (SDK names). */
export function sdkPreconditionFields(precondition: WritePrecondition | undefined): { IfNoneMatch?: string; IfMatch?: string } {
  if (!precondition) return {};
  return 'ifNoneMatch' in precondition ? { IfNoneMatch: precondition.ifNoneMatch } : { IfMatch: precondition.ifMatch };
}

/** A 412 from either request path (the signed-HTTP transport's error or the SDK's). */
export function isPreconditionFailedAnswer(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return $metadata?.httpStatusCode === 412 || name === 'PreconditionFailed';
}

/**
 * AWS's 409 ConditionalRequestConflict: another conditional write to the same key was under way.
 * That writer's version is the one kept, so this write lost the race as surely as to a 412.
 */
export function isConditionalRequestConflict(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  return (error as { name?: unknown }).name === 'ConditionalRequestConflict';
}

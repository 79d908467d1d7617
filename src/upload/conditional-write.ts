import type { RemoteObject } from '../check/existence-check.js';
import type { Decision } from '../decide.js';
import { isS3ZipSyncError } from '../errors.js';
import { isConditionalRequestConflict, preconditionFor, sameEtag, unquoted, type IfMatchForm, type WritePrecondition } from './precondition.js';

/** Shared by every entry of a run: whether writes are conditional, and what the run learned about If-Match. */
export interface ConditionalWrites {
  enabled: boolean;
  ifMatchForm: IfMatchForm;
}

export function conditionalWrites(enabled: boolean): ConditionalWrites {
  return { enabled, ifMatchForm: 'quoted' };
}

/**
 * Sends one entry with the precondition its decision calls for. A 412 to `If-Match` is ambiguous
 * on radosgw 16.2, which compares against the bare ETag and so refuses even the right quoted one:
 * the key is HEADed again, and only when it still has the ETag the check saw (nobody changed it) is
 * the write sent once more, with the bare ETag, and the run remembers to send it bare from then on.
 * On AWS a 412 means a changed ETag, so this costs one HEAD per genuine conflict and nothing else;
 * the second write is still conditional, so a change between that HEAD and it is still a conflict.
 */
export async function writeConditionally(input: {
  decision: Decision;
  remote: RemoteObject | null;
  writes: ConditionalWrites;
  send: (precondition: WritePrecondition | undefined) => Promise<void>;
  /** The key's ETag now; undefined when absent. */
  currentEtag: () => Promise<string | undefined>;
}): Promise<void> {
  const { decision, writes, send } = input;
  let remote = input.remote;
  if (writes.enabled && decision.action === 'updated' && remote && !remote.etag) {
    // The check gave no ETag (a listing without one): the key's ETag now, so that the update still
    // cannot overwrite a version written after it. Gone meanwhile: written only while still absent.
    const etag = await input.currentEtag();
    remote = etag === undefined ? null : { ...remote, etag };
  }
  const precondition: WritePrecondition | undefined =
    remote === null && decision.action === 'updated' && writes.enabled ? { ifNoneMatch: '*' } : preconditionFor(decision, remote, writes.enabled, writes.ifMatchForm);
  try {
    await send(precondition);
  } catch (error) {
    const seenEtag = remote?.etag;
    // Decided by what this write sent, not by the run's form now: entries in flight together may all
    // have sent the quoted ETag before the first of them learned that the server wants it bare.
    const sentQuoted = precondition !== undefined && 'ifMatch' in precondition && precondition.ifMatch.startsWith('"');
    // A 409 is another writer's write under way, never radosgw's bare-ETag quirk: no second write.
    const retryBare = isS3ZipSyncError(error) && error.code === 'CONFLICT' && !isConditionalRequestConflict(error.cause) && sentQuoted && seenEtag !== undefined;
    if (!retryBare || !sameEtag(await input.currentEtag(), seenEtag)) throw error;
    writes.ifMatchForm = 'unquoted';
    await send({ ifMatch: unquoted(seenEtag) });
  }
}

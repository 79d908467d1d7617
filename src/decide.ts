import type { RemoteObject } from './check/existence-check.js';
import { headerDifferences } from './headers/header-differences.js';
import type { ObjectHeaders } from './headers/object-headers.js';

export type CompareMode = 'size' | 'crc32';
export const COMPARE_MODES: readonly CompareMode[] = ['size', 'crc32'];

/** Why an entry of unchanged size is uploaded again; absent when the size changed. */
export type SameSizeReason = 'crc32' | 'no-crc32' | 'encoding' | 'headers';

export type Decision =
  | { action: 'new' }
  | { action: 'updated'; remoteSize: number; because?: SameSizeReason; changedHeaders?: string[] }
  | { action: 'ignored' };

export interface DecisionPolicy {
  /** `size` (default): same size → ignored. `crc32`: the stored CRC32 must match too. */
  compare?: CompareMode;
  /** The entry is to be stored gzip-encoded (the `gzip` option's globs match it). */
  gzip?: boolean;
  /** With `compareHeaders`: what the object should be stored with; a same-size object that differs is `headers`. */
  headers?: ObjectHeaders;
}

/**
 * The pure "needs transfer?" rule. Sizes compared are the entry's declared (uncompressed) size and
 * the remote's original size when it is known (gzip-stored objects), else its stored size.
 *
 * With `crc32`, an object without a stored CRC32 (written by another tool) is uploaded again: we
 * cannot know its checksum without reading it, and after one upload it carries ours, so runs converge.
 * An object stored with the other encoding than wanted (gzip vs plain) is uploaded again.
 * With `headers`, a same-size object whose bytes pass is `headers` when its stored headers differ:
 * its bytes stay, only the headers are rewritten (CopyObject onto itself).
 */
export function decide(entry: { size: number; crc32?: number }, remote: RemoteObject | null, policy: DecisionPolicy = {}): Decision {
  if (remote === null) return { action: 'new' };
  const remoteSize = remote.originalSize ?? remote.size;
  if (remoteSize !== entry.size) return { action: 'updated', remoteSize };
  if (remote.metadataKnown && (remote.gzipped ?? false) !== (policy.gzip ?? false)) return { action: 'updated', remoteSize, because: 'encoding' };
  if (policy.compare === 'crc32') {
    if (remote.crc32 === undefined) return { action: 'updated', remoteSize, because: 'no-crc32' };
    if (entry.crc32 === undefined || remote.crc32 >>> 0 !== entry.crc32 >>> 0) return { action: 'updated', remoteSize, because: 'crc32' };
  }
  if (policy.headers && remote.headers) {
    const changedHeaders = headerDifferences(policy.headers, remote.headers);
    if (changedHeaders.length > 0) return { action: 'updated', remoteSize, because: 'headers', changedHeaders };
  }
  return { action: 'ignored' };
}

/**
 * Whether `decide` needs the object's metadata (one HeadObject) that a listing did not give. Only
 * for same-size candidates under `crc32` or with headers to compare (a size change decides alone), and for every present
 * gzip entry (a listing shows the compressed size, which says nothing about the original).
 */
export function needsMetadata(entry: { size: number }, remote: RemoteObject | null, policy: DecisionPolicy = {}): boolean {
  if (remote === null || remote.metadataKnown) return false;
  if (policy.gzip) return true;
  return (policy.compare === 'crc32' || policy.headers !== undefined) && remote.size === entry.size;
}

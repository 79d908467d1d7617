import type { RemoteObject } from './check/existence-check.js';

export type Decision =
  | { action: 'new' }
  | { action: 'updated'; remoteSize: number }
  | { action: 'ignored' };

/** The pure "needs transfer?" rule: compare the entry's declared size with what S3 holds. */
export function decide(entry: { size: number }, remote: RemoteObject | null): Decision {
  if (remote === null) return { action: 'new' };
  if (remote.size !== entry.size) return { action: 'updated', remoteSize: remote.size };
  return { action: 'ignored' };
}

const tolerant = new WeakSet<NodeJS.WritableStream>();

/**
 * Stderr whose reader may go away too: with `s3zipsync … 2>&1 | head -1` both streams are one
 * pipe, and the notice that stdout was closed is itself written into the closed pipe. An 'error'
 * event nobody listens for kills the process mid-sync, leaving uploads unfinished; there is nowhere
 * left to say anything, so the error is swallowed and the sync goes on (a destroyed stream drops
 * later writes without another 'error'). Idempotent: one listener per stream however often called.
 */
export function tolerateClosedStderr<T extends NodeJS.WritableStream>(stderr: T): T {
  if (!tolerant.has(stderr)) {
    tolerant.add(stderr);
    stderr.on('error', () => {});
  }
  return stderr;
}

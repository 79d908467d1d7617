import { Writable } from 'node:stream';

/**
 * Stdout that tolerates its reader going away (`s3zipsync … | head -3`): the first EPIPE is
 * reported once on stderr, later output is dropped, and the run itself goes on. Without this the
 * stream's unhandled 'error' event kills the process mid-sync with a stack trace, leaving uploads
 * unfinished and multipart uploads unaborted.
 */
export function tolerateClosedStdout(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Writable & { isTTY: boolean } {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    const reason = error.code === 'EPIPE' ? 'closed by its reader' : `failed (${error.code ?? error.message})`;
    stderr.write(`s3zipsync: stdout ${reason}; output stops here, the sync goes on to the end (exit code as usual)\n`);
  };
  stdout.on('error', onError);
  const tolerant = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (closed) return callback();
      // Errors arrive through the 'error' listener; the callback must not fail this stream as well.
      stdout.write(chunk, () => callback());
    },
    // Lines written while one write is on its way leave as one write: a run of 2,000 entries that
    // settle in the same tick costs a few system calls instead of one each.
    writev(chunks, callback) {
      if (closed) return callback();
      stdout.write(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)), () => callback());
    },
  });
  // The reporter asks whether stdout is the terminal the progress display is drawn on.
  return Object.assign(tolerant, { isTTY: (stdout as { isTTY?: boolean }).isTTY === true });
}

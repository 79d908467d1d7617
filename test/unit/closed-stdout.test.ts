import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { tolerateClosedStdout } from '../../bin/output/closed-stdout.js';

/** A stdout stand-in that records each write it is given. */
function recorder(isTTY: boolean): Writable & { writes: string[]; isTTY: boolean } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { writes, isTTY });
}

describe('the CLI’s stdout', () => {
  it('to a pipe or file: the lines of one turn of the event loop leave as one write, in order', async () => {
    const target = recorder(false);
    const stdout = tolerateClosedStdout(target, recorder(false));
    for (let i = 0; i < 3; i++) stdout.write(`line ${i}\n`);
    assert.deepEqual(target.writes, [], 'nothing before the turn ends');
    await nextTurn();
    stdout.write('line 3\n');
    await nextTurn();
    assert.deepEqual(target.writes, ['line 0\nline 1\nline 2\n', 'line 3\n']);
  });

  it('flush() writes what waits at once (main calls it before it returns)', () => {
    const target = recorder(false);
    const stdout = tolerateClosedStdout(target, recorder(false));
    stdout.write('a\n');
    stdout.write('b\n');
    stdout.flush();
    assert.deepEqual(target.writes, ['a\nb\n']);
    stdout.flush();
    assert.deepEqual(target.writes, ['a\nb\n'], 'nothing written twice');
  });

  it('to a terminal: each line at once, so it stays in order with stderr', () => {
    const target = recorder(true);
    const stdout = tolerateClosedStdout(target, recorder(false));
    stdout.write('a\n');
    stdout.write('b\n');
    assert.deepEqual(target.writes, ['a\n', 'b\n']);
    assert.equal(stdout.isTTY, true);
  });

  it('a reader that went away is said once on stderr, and later lines are dropped', async () => {
    const target = recorder(false);
    const stderr = recorder(false);
    const stdout = tolerateClosedStdout(target, stderr);
    target.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    target.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    stdout.write('lost\n');
    await nextTurn();
    assert.deepEqual(target.writes, []);
    assert.deepEqual(stderr.writes, ['s3zipsync: stdout closed by its reader; output stops here, the sync goes on to the end (exit code as usual)\n']);
  });
});

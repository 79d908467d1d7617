import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { ProgressDisplay } from '../../bin/output/progress-display.js';
import type { SyncEvent } from '../../src/internal.js';

const MiB = 1024 * 1024;

/** A terminal that keeps what was drawn on it. */
function fakeTerminal() {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: true, columns: 200, rows: 40 },
  );
  return { stream, lastFrame: () => stripVTControlCharacters(text).split(/\r|\n/).filter((line) => line.includes('files |')).at(-1) ?? '', all: () => stripVTControlCharacters(text) };
}

const entry = (key: string, size: number, action: 'new' | 'ignored' | 'updated', extra: object = {}): SyncEvent =>
  ({ type: 'entry', dryRun: false, key, entry: key, size, action, ...(action === 'updated' ? { remoteSize: size } : {}), ...extra }) as SyncEvent;

describe('ProgressDisplay', () => {
  // It redraws on its own timer (every 100 ms): a longer wait, set after it, always lets one redraw happen first.
  const redrawn = () => sleep(250);

  it('counts files and bytes done, in-flight bytes as parts are acknowledged, and restarts an entry on retry', async () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay(terminal.stream);
    try {
      display.onEvent({ type: 'start', bucket: 'b', prefix: '', strategy: 'auto', strategyDetail: '', files: 3, bytes: 30 * MiB, dryRun: false });
      display.onEvent(entry('same.txt', 10 * MiB, 'ignored'));
      display.onEvent({ type: 'upload-start', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, attempt: 1 });
      display.onEvent({ type: 'upload-progress', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, bytes: 8 * MiB });
      await redrawn();
      assert.match(terminal.lastFrame(), /1\/3 files \| 18 MB\/30 MB \| .* \| 1 in flight/);
      assert.match(terminal.all(), /big\.bin 8 MB\/20 MB/, 'the entry has a bar of its own');

      // The entry fails and is sent again: what its first attempt moved no longer counts.
      display.onEvent({ type: 'upload-start', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, attempt: 2 });
      display.onEvent({ type: 'upload-progress', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, bytes: 0 });
      await redrawn();
      assert.match(terminal.lastFrame(), /1\/3 files \| 10 MB\/30 MB/);
      display.onEvent({ type: 'upload-progress', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, bytes: 16 * MiB });
      display.onEvent(entry('big.bin', 20 * MiB, 'new'));
      display.onEvent(entry('hdr.html', 0, 'updated', { because: 'headers', changedHeaders: ['Cache-Control'] }));
      await redrawn();
      assert.match(terminal.lastFrame(), /100% \| 3\/3 files \| 30 MB\/30 MB \| .* \| 0 in flight/);
    } finally {
      display.stop();
    }
  });

  it('lines logged above the bars are flushed when it stops', () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay(terminal.stream);
    display.onEvent({ type: 'start', bucket: 'b', prefix: '', strategy: 'auto', strategyDetail: '', files: 1, bytes: 1, dryRun: false });
    display.log('New! a.txt (1 bytes)');
    display.stop();
    assert.match(terminal.all(), /New! a\.txt \(1 bytes\)/);
  });
});

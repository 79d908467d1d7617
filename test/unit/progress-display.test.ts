import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { ProgressDisplay } from '../../bin/output/progress-display.js';
import { formatBytes } from '../../bin/output/format-bytes.js';
import { StderrNotices } from '../../bin/output/notices.js';
import { textReporter } from '../../bin/output/reporter.js';
import type { SyncEvent } from '../../src/internal.js';
import { screenOf } from '../helpers/screen.js';

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
  return { stream, lastFrame: () => stripVTControlCharacters(text).split(/\r|\n/).filter((line) => /\d+\/\d+ files/.test(line)).at(-1) ?? '', all: () => stripVTControlCharacters(text), raw: () => text };
}

const entry = (key: string, size: number, action: 'new' | 'ignored' | 'updated' | 'failed', extra: object = {}): SyncEvent =>
  ({ type: 'entry', dryRun: false, key, entry: key, size, action, ...(action === 'updated' ? { remoteSize: size } : {}), ...extra }) as SyncEvent;

describe('formatBytes', () => {
  it('labels 1024-based sizes as such (MiB, GiB), as aws-cli does', () => {
    assert.equal(formatBytes(56), '56 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(150_000_000), '143.1 MiB');
    assert.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
  });
});

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
      assert.match(terminal.lastFrame(), /1\/3 files \| 18.0 MiB\/30.0 MiB \| .* \| 1 in flight/);
      assert.match(terminal.all(), /big\.bin 8.0 MiB\/20.0 MiB/, 'the entry has a bar of its own');

      // The entry fails and is sent again: what its first attempt moved no longer counts.
      display.onEvent({ type: 'upload-start', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, attempt: 2 });
      display.onEvent({ type: 'upload-progress', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, bytes: 0 });
      await redrawn();
      assert.match(terminal.lastFrame(), /1\/3 files \| 10.0 MiB\/30.0 MiB/);
      display.onEvent({ type: 'upload-progress', key: 'big.bin', entry: 'big.bin', size: 20 * MiB, bytes: 16 * MiB });
      display.onEvent(entry('big.bin', 20 * MiB, 'new'));
      display.onEvent(entry('hdr.html', 0, 'updated', { because: 'headers', changedHeaders: ['Cache-Control'] }));
      await redrawn();
      assert.match(terminal.lastFrame(), /100% \| 3\/3 files \| 30.0 MiB\/30.0 MiB \| .* \| 0 in flight/);
    } finally {
      display.stop();
    }
  });

  it('shows no ETA while it would mean nothing (the first seconds of a run)', async () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay(terminal.stream);
    try {
      display.onEvent({ type: 'start', bucket: 'b', prefix: '', strategy: 'auto', strategyDetail: '', files: 1500, bytes: 600 * MiB, dryRun: false });
      display.onEvent(entry('small.txt', 4096, 'new'));
      await redrawn();
      assert.match(terminal.lastFrame(), /1\/1500 files \| .* \| elapsed \d+s$/);
      assert.doesNotMatch(terminal.all(), /ETA/);
    } finally {
      display.stop();
    }
  });

  it('an aborted (Failed) entry is not done: what it had sent leaves the count, and it is counted as failed', async () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay(terminal.stream);
    try {
      display.onEvent({ type: 'start', bucket: 'b', prefix: '', strategy: 'auto', strategyDetail: '', files: 3, bytes: 100 * MiB, dryRun: false });
      display.onEvent(entry('small.txt', 10 * MiB, 'new'));
      for (const key of ['big1.bin', 'big2.bin']) {
        display.onEvent({ type: 'upload-start', key, entry: key, size: 45 * MiB, attempt: 1 });
        display.onEvent({ type: 'upload-progress', key, entry: key, size: 45 * MiB, bytes: 8 * MiB });
      }
      await redrawn();
      assert.match(terminal.lastFrame(), / 26% \| 1\/3 files \|/);
      // Ctrl-C: both uploads are aborted and reported Failed; the bar must not climb to 100%.
      display.onEvent(entry('big1.bin', 45 * MiB, 'failed', { reason: 'aborted', code: 'ABORTED' }));
      display.onEvent(entry('big2.bin', 45 * MiB, 'failed', { reason: 'aborted', code: 'ABORTED' }));
      await redrawn();
      assert.match(terminal.lastFrame(), / 10% \| 1\/3 files \(2 failed\) \|/);
      assert.match(terminal.lastFrame(), /\| 0 in flight/);
    } finally {
      display.stop();
    }
  });

  it('a notice such as "SIGINT received" stays on the screen: printed above the bars, not under the next redraw', async () => {
    const notice = 's3zipsync: SIGINT received, stopping: in-flight uploads are aborted…';
    const start: SyncEvent = { type: 'start', bucket: 'b', prefix: '', strategy: 'auto', strategyDetail: '', files: 2, bytes: 40 * MiB, dryRun: false };
    // Two big entries in flight, as when Ctrl-C comes; their bytes keep moving until the aborts land.
    const progress = (bytes: number): SyncEvent[] =>
      ['big1.bin', 'big2.bin'].map((key) => ({ type: 'upload-progress', key, entry: key, size: 20 * MiB, bytes }) as SyncEvent);

    // What happened before: a line written straight to the terminal is gone at the next redraw.
    const direct = fakeTerminal();
    const bare = new ProgressDisplay(direct.stream);
    bare.onEvent(start);
    for (const event of progress(5 * MiB)) bare.onEvent(event);
    await redrawn();
    direct.stream.write(`${notice}\n`);
    for (const event of progress(9 * MiB)) bare.onEvent(event);
    await redrawn();
    const hidden = screenOf(direct.raw());
    bare.stop();
    assert.ok(!hidden.includes(notice), `the emulated screen shows the bug: ${JSON.stringify(hidden)}`);

    const terminal = fakeTerminal();
    const notices = new StderrNotices(terminal.stream);
    const reporter = textReporter({ stdout: terminal.stream, stderr: terminal.stream, notices }, { progress: true, verbosity: 'normal' });
    reporter.onEvent(start);
    for (const event of progress(5 * MiB)) reporter.onEvent(event);
    await redrawn();
    notices.print(notice);
    for (const event of progress(9 * MiB)) reporter.onEvent(event);
    await redrawn();
    const screen = screenOf(terminal.raw());
    reporter.finish({
      counts: { new: 0, updated: 0, ignored: 0, failed: 0, conflict: 0, skipped: 0, notStarted: 2 },
      requests: {},
      totalRequests: 0,
      bucket: 'b',
      prefix: '',
      bytesUploaded: 0,
      elapsedMs: 1,
      strategy: 'auto',
      strategyDetail: '',
      compare: 'size',
      metadataChecks: 0,
      aborted: true,
    } as unknown as Parameters<typeof reporter.finish>[0]);
    assert.ok(screen.includes(notice), JSON.stringify(screen));
    assert.ok(screen.findIndex((line) => /\d+\/\d+ files/.test(line)) > screen.indexOf(notice), 'the bars are redrawn below it');
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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Eta, fractionDone } from '../../bin/output/eta.js';

const MiB = 1024 * 1024;

describe('fractionDone', () => {
  it('is the mean of the bytes and the entries done', () => {
    assert.equal(fractionDone({ bytesDone: 50, totalBytes: 100, filesDone: 1, files: 10 }), 0.3);
    assert.equal(fractionDone({ bytesDone: 0, totalBytes: 0, filesDone: 5, files: 10 }), 0.5);
    assert.equal(fractionDone({ bytesDone: 0, totalBytes: 0, filesDone: 0, files: 0 }), 1);
    assert.equal(fractionDone({ bytesDone: -5, totalBytes: 100, filesDone: 20, files: 10 }), 0.5);
  });
});

describe('Eta', () => {
  it('gives no estimate in the first seconds, nor before the first percents', () => {
    const eta = new Eta();
    // One small entry done at once out of 1,500 and 600 MB: the old estimate said 209h.
    assert.equal(eta.update(0.2, { bytesDone: 4096, totalBytes: 600 * MiB, filesDone: 1, files: 1500 }), undefined);
    assert.equal(eta.update(1, { bytesDone: 10 * MiB, totalBytes: 600 * MiB, filesDone: 10, files: 1500 }), undefined);
    assert.equal(eta.update(2.5, { bytesDone: 20 * MiB, totalBytes: 600 * MiB, filesDone: 20, files: 1500 }), undefined, 'under 3 s');
    const slow = new Eta();
    slow.update(0, { bytesDone: 1, totalBytes: 1000, filesDone: 0, files: 1000 });
    assert.equal(slow.update(10, { bytesDone: 10, totalBytes: 1000, filesDone: 10, files: 1000 }), undefined, 'under 2% done');
  });

  it('a steady run: the estimate is the time really left', () => {
    const eta = new Eta();
    let left: number | undefined;
    // 100 files of 1 MiB, 10 a second.
    for (let t = 0; t <= 5; t += 0.5) left = eta.update(t, { bytesDone: t * 10 * MiB, totalBytes: 100 * MiB, filesDone: t * 10, files: 100 });
    assert.ok(left !== undefined && Math.abs(left - 5) < 0.01, String(left));
  });

  it('uses entries as well as bytes: many small files left take their time though few bytes are left', () => {
    // Two big files (90% of the bytes) went first in 9 s; 998 small ones are left.
    const eta = new Eta();
    eta.update(0, { bytesDone: 1, totalBytes: 1000 * MiB, filesDone: 0, files: 1000 });
    let left: number | undefined;
    for (let t = 1; t <= 9; t++) left = eta.update(t, { bytesDone: t * 100 * MiB, totalBytes: 1000 * MiB, filesDone: t === 9 ? 2 : 1, files: 1000 });
    // Bytes alone would say 1 s left; half the run (the entries) is still to do.
    assert.ok(left !== undefined && left > 5, String(left));
  });

  it('is smoothed: one burst does not swing it, and it is 0 when all is done', () => {
    const eta = new Eta();
    let steady: number | undefined;
    for (let t = 0; t <= 20; t += 1) steady = eta.update(t, { bytesDone: t * MiB, totalBytes: 100 * MiB, filesDone: t, files: 100 });
    // 10 files done within the next second (a burst of Ignored ones).
    const burst = eta.update(21, { bytesDone: 31 * MiB, totalBytes: 100 * MiB, filesDone: 31, files: 100 });
    assert.ok(steady !== undefined && burst !== undefined);
    // Unsmoothed, the last second's rate (11%/s) would say ~6 s; at the old steady rate 69 s are left.
    assert.ok(burst > 30 && burst < steady, `${burst} s after the burst, ${steady} s before`);
    assert.equal(eta.update(22, { bytesDone: 100 * MiB, totalBytes: 100 * MiB, filesDone: 100, files: 100 }), 0);
  });
});

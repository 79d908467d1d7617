import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3ZipSyncError } from '../../src/errors.js';
import { chooseRangeCount, MAX_LIST_RANGES, planKeyRanges, rangeCountFor, sortKeysByBytes, type KeyRange } from '../../src/s3/key-ranges.js';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Which range of a plan holds `key`: the one whose bounds enclose it in byte order. */
function rangesHolding(ranges: KeyRange[], key: string): number[] {
  return ranges.flatMap((range, i) =>
    (range.startAfter === undefined || byBytes(key, range.startAfter) > 0) && (range.last === undefined || byBytes(key, range.last) <= 0) ? [i] : [],
  );
}

describe('sortKeysByBytes', () => {
  it('sorts by UTF-8 bytes, not UTF-16 units: a character past U+FFFF after U+E000–U+FFFF', () => {
    const astral = 'p/\u{1F600}'; // UTF-16 D83D DE00 < FF5E, UTF-8 F0 9F 98 80 > EF BD 9E
    const fullwidth = 'p/\uFF5E';
    assert.deepEqual([astral, fullwidth].sort(), [astral, fullwidth], 'JavaScript order puts the astral key first');
    assert.deepEqual(sortKeysByBytes([astral, fullwidth, 'p/é', 'p/z']), ['p/z', 'p/é', fullwidth, astral]);
  });

  it('keeps each key once and only the keys under the prefix', () => {
    assert.deepEqual(sortKeysByBytes(['p/b', 'p/a', 'p/b', 'q/a', 'p'], 'p/'), ['p/a', 'p/b']);
  });
});

describe('planKeyRanges', () => {
  const keys = Array.from({ length: 100 }, (_, i) => `p/${String(i).padStart(3, '0')}`);

  it('splits at quantiles: range 0 from the prefix start, the last to its end, each key in exactly one', () => {
    const ranges = planKeyRanges(keys, 4, 'p/');
    assert.deepEqual(ranges, [
      { last: 'p/024' },
      { startAfter: 'p/024', last: 'p/049' },
      { startAfter: 'p/049', last: 'p/074' },
      { startAfter: 'p/074' },
    ]);
    for (const key of [...keys, 'p/', 'p/0245', 'p/~', 'p/\u{1F600}']) assert.equal(rangesHolding(ranges, key).length, 1, key);
  });

  it('places split keys in byte order, where JavaScript order differs', () => {
    const mixed = ['p/a', 'p/\uFF5E', 'p/\u{1F600}', 'p/\u{1F601}', 'p/é', 'p/z'];
    const ranges = planKeyRanges(mixed, 3, 'p/');
    assert.deepEqual(ranges, [{ last: 'p/z' }, { startAfter: 'p/z', last: 'p/\uFF5E' }, { startAfter: 'p/\uFF5E' }]);
    assert.deepEqual(rangesHolding(ranges, 'p/\u{1F600}'), [2], 'the astral key sorts last in S3');
  });

  it('one key, or no key: one range over the whole prefix', () => {
    assert.deepEqual(planKeyRanges(['p/only'], 8, 'p/'), [{}]);
    assert.deepEqual(planKeyRanges([], 8, 'p/'), [{}]);
  });

  it('collapses for few or duplicate keys: never an empty range between two equal split keys', () => {
    assert.deepEqual(planKeyRanges(['p/a', 'p/a', 'p/a', 'p/b', 'p/b'], 8, 'p/'), [{ last: 'p/a' }, { startAfter: 'p/a' }]);
    const ranges = planKeyRanges(['p/a', 'p/b', 'p/c'], 16, 'p/');
    assert.equal(ranges.length, 3);
  });

  it('keys sharing long prefixes split on their last byte', () => {
    const stem = `p/${'deep/'.repeat(40)}file-`;
    const ranges = planKeyRanges(['a', 'b', 'c', 'd'].map((end) => stem + end), 2, 'p/');
    assert.deepEqual(ranges, [{ last: `${stem}b` }, { startAfter: `${stem}b` }]);
  });
});

describe('planKeyRanges in whole pages', () => {
  it('each range but the last holds a multiple of the page size; the count is at most what was asked', () => {
    const keys = Array.from({ length: 20_500 }, (_, i) => `p/${String(i).padStart(6, '0')}`);
    const ranges = planKeyRanges(keys, 16, 'p/', 1000);
    assert.equal(ranges.length, 11, '2,000 keys per range: 10 ranges and the last 500');
    assert.deepEqual(ranges[0], { last: 'p/001999' });
    assert.deepEqual(ranges[1], { startAfter: 'p/001999', last: 'p/003999' });
    assert.deepEqual(ranges.at(-1), { startAfter: 'p/019999' });
    assert.deepEqual(planKeyRanges(keys.slice(0, 1500), 16, 'p/', 1000), [{ last: 'p/000999' }, { startAfter: 'p/000999' }]);
    assert.deepEqual(planKeyRanges(keys.slice(0, 1000), 16, 'p/', 1000), [{}], 'one page holds them all');
    for (const key of [...keys, 'p/', 'p/~']) assert.equal(rangesHolding(ranges, key).length, 1, key);
  });
});

describe('chooseRangeCount', () => {
  it('one listing when a page holds the keys, then one range per page of keys, at most 16 and the concurrency', () => {
    assert.equal(chooseRangeCount(0), 1);
    assert.equal(chooseRangeCount(1000), 1);
    assert.equal(chooseRangeCount(1001), 2);
    assert.equal(chooseRangeCount(5000), 5);
    assert.equal(chooseRangeCount(20_000), MAX_LIST_RANGES);
    assert.equal(chooseRangeCount(20_000, 8), 8);
    assert.equal(chooseRangeCount(100_000), MAX_LIST_RANGES);
    assert.equal(chooseRangeCount(10_000_000), MAX_LIST_RANGES);
    assert.equal(chooseRangeCount(10_000_000, 3), 3);
  });

  it('an explicit listRanges wins; anything but a positive integer is INVALID_OPTION', () => {
    assert.equal(rangeCountFor(1, 1_000_000), 1);
    assert.equal(rangeCountFor(5, 10), 5);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => rangeCountFor(bad, 10), (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION');
    }
  });
});

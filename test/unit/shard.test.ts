import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3ZipSyncError } from '../../src/errors.js';
import { entriesOfShard, parseShard } from '../../src/shard.js';

function entries(sizes: number[]): Array<{ name: string; size: number }> {
  return sizes.map((size, i) => ({ name: `e${i}`, size }));
}

describe('entriesOfShard', () => {
  const cases: Array<[string, number[]]> = [
    ['equal sizes', Array(100).fill(1000)],
    ['one huge entry among small ones', [10, 20, 5_000_000, 30, 40, 50]],
    ['empty files only', Array(7).fill(0)],
    ['mixed, uneven', Array.from({ length: 257 }, (_, i) => (i * 7919) % 100_003)],
  ];
  for (const [label, sizes] of cases) {
    for (const count of [1, 2, 3, 8, 300]) {
      it(`${label}, ${count} shards: every entry exactly once, in archive order, contiguous`, () => {
        const all = entries(sizes);
        const parts = Array.from({ length: count }, (_, index) => entriesOfShard(all, { index, count }));
        assert.deepEqual(parts.flat(), all, 'shards in order, concatenated, are the archive');
      });
    }
  }

  it('balances bytes: 100 equal entries in 4 shards are 25 each', () => {
    const all = entries(Array(100).fill(1000));
    assert.deepEqual([0, 1, 2, 3].map((index) => entriesOfShard(all, { index, count: 4 }).length), [25, 25, 25, 25]);
  });

  it('is deterministic: the same archive gives the same shards', () => {
    const all = entries([5, 1, 9, 2, 6, 5, 3, 5]);
    assert.deepEqual(entriesOfShard(all, { index: 1, count: 3 }), entriesOfShard(entries([5, 1, 9, 2, 6, 5, 3, 5]), { index: 1, count: 3 }));
  });

  for (const [shard, message] of [
    [{ index: 0, count: 0 }, 'shard count must be a positive integer, got 0'],
    [{ index: 4, count: 4 }, 'shard index must be an integer from 0 to 3, got 4'],
    [{ index: -1, count: 4 }, 'shard index must be an integer from 0 to 3, got -1'],
    [{ index: 0.5, count: 4 }, 'shard index must be an integer from 0 to 3, got 0.5'],
  ] as const) {
    it(`refuses ${JSON.stringify(shard)}`, () => {
      assert.throws(() => entriesOfShard(entries([1]), shard), (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message === message);
    });
  }
});

describe('parseShard', () => {
  it('reads i/n', () => {
    assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
    assert.deepEqual(parseShard(' 0 / 1 '), { index: 0, count: 1 });
  });
  for (const [text, message] of [
    ['2', 'a shard is written i/n (e.g. 0/4), got "2"'],
    ['a/b', 'a shard is written i/n (e.g. 0/4), got "a/b"'],
    ['-1/4', 'a shard is written i/n (e.g. 0/4), got "-1/4"'],
    ['4/4', 'shard index must be an integer from 0 to 3, got 4'],
    ['0/0', 'shard count must be a positive integer, got 0'],
  ]) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseShard(text!), (error: unknown) => error instanceof S3ZipSyncError && error.message === message);
    });
  }
});

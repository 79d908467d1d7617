import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockCache } from '../../src/zip/block-cache.js';

const FILE = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

function cacheOf(blockSize: number, maxBlocks: number, fail?: () => boolean) {
  const fetches: Array<[number, number]> = [];
  const cache = new BlockCache(FILE.length, blockSize, maxBlocks, async (start, end) => {
    fetches.push([start, end]);
    await new Promise((resolve) => setImmediate(resolve));
    if (fail?.()) throw new Error('network down');
    return Buffer.from(FILE.subarray(start, end));
  });
  const read = async (start: number, end: number) => Buffer.concat(await cache.read(start, end));
  return { cache, fetches, read };
}

describe('BlockCache', () => {
  it('returns exactly the bytes asked for, across block boundaries and at the short last block', async () => {
    const { read } = cacheOf(16, 8);
    assert.deepEqual(await read(10, 40), FILE.subarray(10, 40));
    assert.deepEqual(await read(90, 100), FILE.subarray(90, 100));
    assert.deepEqual(await read(5, 5), Buffer.alloc(0));
  });

  it('fetches the missing blocks of one read with one request, and cached blocks with none', async () => {
    const { read, fetches } = cacheOf(16, 8);
    await read(10, 60); // blocks 0..3
    assert.deepEqual(fetches, [[0, 64]]);
    await read(20, 30);
    await read(48, 70); // block 3 cached, block 4 fetched
    assert.deepEqual(fetches, [[0, 64], [64, 80]]);
  });

  it('concurrent readers of a block being fetched share its request', async () => {
    const { read, fetches } = cacheOf(16, 8);
    await Promise.all([read(0, 4), read(4, 8), read(8, 16)]);
    assert.deepEqual(fetches, [[0, 16]]);
  });

  it('keeps at most maxBlocks, dropping the least recently used', async () => {
    const { read, fetches } = cacheOf(10, 2);
    await read(0, 1); // block 0
    await read(10, 11); // block 1
    await read(0, 1); // block 0 used again: block 1 is now the oldest
    await read(20, 21); // block 2 evicts block 1
    await read(0, 1);
    assert.equal(fetches.length, 3);
    await read(10, 11);
    assert.equal(fetches.length, 4, 'block 1 was evicted and fetched again');
  });

  it('a failed fetch is not cached: the next read tries again', async () => {
    let failing = true;
    const { read, fetches } = cacheOf(16, 8, () => failing);
    await assert.rejects(read(0, 4), /network down/);
    failing = false;
    assert.deepEqual(await read(0, 4), FILE.subarray(0, 4));
    assert.equal(fetches.length, 2);
  });

  it('readInto answers from an arrived block without fetching, asynchronously, and keeps the block recently used', async () => {
    const { cache, read, fetches } = cacheOf(10, 2);
    const readInto = (start: number, end: number) =>
      new Promise<{ bytes: Buffer; synchronous: boolean }>((resolve, reject) => {
        const buffer = Buffer.alloc(end - start + 2, 0xff);
        let returned = false;
        cache.readInto(buffer, 1, start, end, (error, n) => (error ? reject(error) : resolve({ bytes: buffer.subarray(1, 1 + n!), synchronous: !returned })));
        returned = true;
      });
    assert.deepEqual((await readInto(3, 8)).bytes, FILE.subarray(3, 8)); // fetched
    const again = await readInto(4, 9); // from the arrived block
    assert.deepEqual(again, { bytes: FILE.subarray(4, 9), synchronous: false });
    assert.deepEqual((await readInto(8, 13)).bytes, FILE.subarray(8, 13)); // across blocks 0 and 1
    assert.equal(fetches.length, 2);
    await readInto(0, 1); // block 0 used again through the quick path: block 1 is now the oldest
    await read(20, 21); // block 2 evicts block 1
    await readInto(0, 1);
    assert.equal(fetches.length, 3, 'block 0 stayed');
    await readInto(10, 11);
    assert.equal(fetches.length, 4, 'block 1 was evicted, and its arrived copy with it');
  });

  it('refuses reads outside the file', async () => {
    const { cache } = cacheOf(16, 8);
    await assert.rejects(cache.read(90, 101), RangeError);
  });
});

describe('BlockCache cuts', () => {
  it('blocks start again at each cut, so a read after a cut fetches nothing before it', async () => {
    const { cache, read, fetches } = cacheOf(16, 8);
    cache.addCuts([37, 70]);
    assert.deepEqual(await read(40, 42), FILE.subarray(40, 42));
    assert.deepEqual(fetches, [[37, 53]]);
    assert.deepEqual(await read(60, 75), FILE.subarray(60, 75)); // [53, 69), [69, 70), then [70, 86)
    assert.deepEqual(fetches, [[37, 53], [53, 86]]);
    assert.deepEqual(await read(95, 100), FILE.subarray(95, 100));
    assert.deepEqual(fetches.at(-1), [86, 100]);
  });

  it('a cut keeps the cached blocks it leaves whole and drops the one it splits', async () => {
    const { cache, read, fetches } = cacheOf(16, 8);
    await read(0, 40); // [0, 48)
    cache.addCuts([20]);
    await read(0, 10); // [0, 16) still cached
    assert.equal(fetches.length, 1);
    assert.deepEqual(await read(18, 22), FILE.subarray(18, 22)); // [16, 20) and [20, 36) are new blocks
    assert.deepEqual(fetches.at(-1), [16, 36]);
  });

  it('ignores cuts outside the file', async () => {
    const { cache, read, fetches } = cacheOf(16, 8);
    cache.addCuts([-5, 0, 100, 250, 1.5]);
    await read(0, 100);
    assert.deepEqual(fetches, [[0, 100]]);
  });
});

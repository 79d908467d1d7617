import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inlineListPageParser, THREAD_PAGE_BYTES, threadedListPageParser, type ListPageParser } from '../../src/s3/transport/list-page-parser.js';
import { parseListObjectsV2 } from '../../src/s3/transport/s3-xml.js';

// The thread runs the built worker, as the package's does (npm test builds first): a worker thread
// does not inherit the TypeScript loader these tests run under.
const workerUrl = new URL('../../dist/src/s3/transport/list-page-worker.js', import.meta.url);

/** A page as radosgw writes it: entities in keys and ETags, non-ASCII keys, objects without an ETag. */
function listingPage(count: number, from = 0): Buffer {
  let xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>';
  for (let i = from; i < from + count; i++) {
    const etag = i % 7 === 0 ? '' : `<ETag>&quot;${i.toString(16).padStart(32, '0')}&quot;</ETag>`;
    xml += `<Contents><Key>p/${i % 5 === 0 ? 'caf\u00e9 &amp; ' : ''}${String(i).padStart(6, '0')}</Key><LastModified>2026-12-06T10:28:59.123Z</LastModified>${etag}<Size>${i * 3}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }
  return Buffer.from(`${xml}<CommonPrefixes><Prefix>p/d/</Prefix></CommonPrefixes><KeyCount>${count}</KeyCount><NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>`);
}

/** Parses pages until one went through the thread (it starts in the background), at most ~5 s. */
async function parseOnThread(parser: ListPageParser, body: Buffer) {
  parser.warmUp();
  for (let tries = 0; tries < 500; tries++) {
    const before = parser.threadPages;
    const page = await parser.parse(body);
    if (parser.threadPages > before) return page;
    await sleep(10);
  }
  throw new Error('the thread never parsed a page');
}

describe('listing-page parser', () => {
  it('on its thread, reads a page exactly as the inline parser does', async () => {
    const body = listingPage(1000);
    assert.ok(body.length >= THREAD_PAGE_BYTES);
    const parser = threadedListPageParser({ useThread: true, workerUrl });
    try {
      const page = await parseOnThread(parser, body);
      assert.deepEqual(page, parseListObjectsV2(body.toString('utf8')));
      assert.equal(page.Contents.length, 1000);
      assert.deepEqual(page.Contents[5], { Key: 'p/caf\u00e9 & 000005', Size: 15, ETag: `"${'5'.padStart(32, '0')}"` });
      assert.deepEqual(page.Contents[7], { Key: 'p/000007', Size: 21 }, 'no ETag: none made up');
      // Pages in flight together come back each to its own caller.
      const bodies = [1, 2, 3, 4].map((n) => listingPage(1000, n * 1000));
      const pages = await Promise.all(bodies.map((b) => parser.parse(b)));
      for (const [n, p] of pages.entries()) assert.equal(p.Contents[1]!.Key, `p/${String((n + 1) * 1000 + 1).padStart(6, '0')}`);
    } finally {
      await parser.close();
    }
  });

  it('small pages stay inline: the trip to the thread would cost more than the parse', async () => {
    const parser = threadedListPageParser({ useThread: true, workerUrl });
    try {
      parser.warmUp();
      await sleep(200);
      const page = await parser.parse(listingPage(3));
      assert.equal(page.Contents.length, 3);
      assert.equal(parser.threadPages, 0);
    } finally {
      await parser.close();
    }
  });

  it('a page the thread cannot parse fails with the inline parser\'s own error', async () => {
    const parser = threadedListPageParser({ useThread: true, workerUrl });
    try {
      await parseOnThread(parser, listingPage(1000));
      const broken = Buffer.concat([listingPage(1000).subarray(0, 40_000), Buffer.from('<Key>unclosed</Contents>')]);
      const inline = await inlineListPageParser().parse(broken).then(() => undefined, (error: Error) => error.message);
      assert.ok(inline, 'the inline parser refuses it');
      await assert.rejects(parser.parse(broken), (error: Error) => error.message === inline);
    } finally {
      await parser.close();
    }
  });

  it('a thread that cannot start leaves every page to the inline parser, each one answered', async () => {
    const parser = threadedListPageParser({ useThread: true, workerUrl: new URL('./no-such-worker.js', import.meta.url) });
    try {
      const pages = await Promise.all([1, 2, 3].map((n) => parser.parse(listingPage(1000, n * 1000))));
      assert.deepEqual(pages.map((p) => p.Contents.length), [1000, 1000, 1000]);
      await sleep(100);
      assert.equal((await parser.parse(listingPage(1000))).Contents.length, 1000);
      assert.equal(parser.threadPages, 0);
    } finally {
      await parser.close();
    }
  });

  it('after close, pages are still parsed, inline', async () => {
    const parser = threadedListPageParser({ useThread: true, workerUrl });
    await parseOnThread(parser, listingPage(1000));
    await parser.close();
    const before = parser.threadPages;
    assert.equal((await parser.parse(listingPage(1000))).Contents.length, 1000);
    assert.equal(parser.threadPages, before);
  });
});

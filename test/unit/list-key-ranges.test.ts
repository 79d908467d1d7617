import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExistenceCheck } from '../../src/check/existence-check.js';
import { createListingCheck } from '../../src/check/listing-check.js';
import { planKeyRanges, sortKeysByBytes } from '../../src/s3/key-ranges.js';
import { askFirstPageEarly } from '../../src/s3/early-first-page.js';
import { describeShape, emptyShape, listKeyRanges } from '../../src/s3/list-key-ranges.js';
import type { ListedPage } from '../../src/s3/list-prefix.js';
import type { ListEarly, ListObjectsV2Input, ListObjectsV2Page, S3Transport } from '../../src/s3/transport/transport.js';

interface FakeOptions {
  /** Serve pages in this order instead of byte order (a server listing out of order), ignoring StartAfter. */
  unordered?: boolean;
  /** Fail the request for which this returns true. */
  fails?: (input: ListObjectsV2Input, index: number) => boolean;
  delayMs?: number;
  /** Held until it resolves, for the requests for which `held` returns true. */
  gate?: { held: (input: ListObjectsV2Input) => boolean; open: Promise<void> };
}

/**
 * An in-memory bucket as S3 lists it: keys in UTF-8 byte order, Prefix, StartAfter, MaxKeys and a
 * continuation token meaning "after this key". Records requests and how many are in flight.
 */
function fakeBucket(keys: string[], options: FakeOptions = {}) {
  const sorted = sortKeysByBytes(keys);
  // A server out of order: every other pair of keys swapped, StartAfter ignored (S3 directory buckets).
  const served = options.unordered ? sorted.map((_, i) => sorted[i % 2 ? i - 1 : Math.min(i + 1, sorted.length - 1)]!).filter((k, i, all) => all.indexOf(k) === i) : sorted;
  const requests: ListObjectsV2Input[] = [];
  const signals: AbortSignal[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport = {
    async listObjectsV2(input: ListObjectsV2Input, signal?: AbortSignal, early?: ListEarly): Promise<ListObjectsV2Page> {
      const index = requests.push(input) - 1;
      early?.onSent?.();
      if (signal) signals.push(signal);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, options.delayMs ?? 2);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        });
        if (options.gate?.held(input)) await options.gate.open;
        if (options.fails?.(input, index)) throw new Error('InternalError');
        const under = served.filter((key) => key.startsWith(input.prefix ?? ''));
        const after = input.continuationToken ?? (options.unordered ? undefined : input.startAfter);
        let from = 0;
        if (after !== undefined) {
          from = options.unordered ? under.indexOf(after) + 1 : under.findIndex((key) => Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0);
          if (from < 0) from = under.length;
        }
        const page = under.slice(from, from + (input.maxKeys ?? 1000));
        const truncated = from + page.length < under.length;
        return {
          Contents: page.map((Key) => ({ Key, Size: Key.length })),
          CommonPrefixes: [],
          IsTruncated: truncated,
          ...(truncated ? { NextContinuationToken: page.at(-1)! } : {}),
        };
      } finally {
        inFlight--;
      }
    },
  } as unknown as S3Transport;
  return { transport, requests, signals, maxInFlight: () => maxInFlight, inFlight: () => inFlight };
}

const client = {} as S3Client;
const numbered = (count: number, prefix = 'p/', width = 6) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(width, '0')}`);

async function listAll(pages: AsyncGenerator<ListedPage>) {
  const keys: string[] = [];
  let inOrder = true;
  let last: ListedPage | undefined;
  for await (const page of pages) {
    keys.push(...page.objects.map((o) => o.key));
    if (!page.inOrder) inOrder = false;
    last = page;
  }
  return { keys, inOrder, lastInOrder: last?.inOrder };
}

describe('listKeyRanges', () => {
  it('sees every object once, archive keys or not, in K ranges at once, within ⌈M/1000⌉ + K requests', async () => {
    const archive = numbered(8000);
    const others = [...numbered(3000, 'p/', 7).map((k) => `${k}-extra`), 'p/', 'p/~last', 'p/\u{1F600}'];
    const bucket = fakeBucket([...archive, ...others, 'q/outside']);
    const shape = emptyShape();
    const ranges = planKeyRanges(archive, 4, 'p/');
    const { keys, inOrder } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges, shape }));
    assert.equal(keys.length, new Set(keys).size, 'no key twice');
    assert.deepEqual(sortKeysByBytes(keys), sortKeysByBytes([...archive, ...others]));
    assert.equal(inOrder, true);
    const total = archive.length + others.length;
    assert.ok(bucket.requests.length <= Math.ceil(total / 1000) + 4, `${bucket.requests.length} requests`);
    assert.deepEqual(shape, { planned: 4, parallel: 4, fellBack: false });
    assert.equal(bucket.maxInFlight(), 4, 'the four ranges were listed at once');
    assert.equal(describeShape(shape), ' in 4 key ranges in parallel');
    assert.deepEqual(bucket.requests[0], { bucket: 'b', prefix: 'p/', maxKeys: 1000 }, 'the first page is the plain first page, read alone');
    assert.deepEqual(
      bucket.requests.filter((r) => r.startAfter !== undefined).map((r) => r.startAfter),
      ranges.slice(1).map((r) => r.startAfter),
    );
  });

  it('a page that runs past its range leaves the keys beyond to the next range; a range ends on its last key', async () => {
    const archive = numbered(3000);
    const bucket = fakeBucket(archive);
    const shape = emptyShape();
    // Split after key 300 and 2,000: the first page (keys 0–999) holds all of range 0 and part of range 1.
    const ranges = [{ last: archive[300]! }, { startAfter: archive[300]!, last: archive[2000]! }, { startAfter: archive[2000]! }];
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges, shape }));
    assert.equal(keys.length, new Set(keys).size, 'no key twice');
    assert.deepEqual(keys.sort(), archive);
    assert.equal(shape.parallel, 3);
    assert.equal(bucket.requests.length, 4, 'pages 0–999, 301–1300, 1301–2000 (its last key: no page after it), 2001–2999');
  });

  it('ranges of whole pages: ⌈M/1000⌉ requests when the bucket holds the archive\'s keys', async () => {
    const archive = numbered(20_000);
    const bucket = fakeBucket(archive);
    const ranges = planKeyRanges(archive, 16, 'p/', 1000);
    assert.equal(ranges.length, 10, '2,000 keys per range');
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges }));
    assert.equal(keys.length, 20_000);
    assert.equal(bucket.requests.length, 20);
  });

  it('16 ranges at once print no MaxListenersExceededWarning (one abort listener per request in flight)', async () => {
    const archive = numbered(16_000);
    const bucket = fakeBucket(archive);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 16, 'p/', 1000), headStartMs: 0 }));
      assert.equal(keys.length, 16_000);
      assert.equal(bucket.maxInFlight(), 16);
      // Node emits process warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('an early first page of the listing\'s own prefix is its first page: not asked for again', async () => {
    const archive = numbered(4000);
    const bucket = fakeBucket(archive);
    const early = askFirstPageEarly(bucket.transport, 'b', 'p/', new AbortController().signal);
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 4, 'p/', 1000), firstPage: early }));
    assert.equal(keys.length, 4000);
    assert.equal(bucket.requests.length, 4, 'four ranges of one page each, the first asked for early');
    assert.deepEqual(bucket.requests[0], { bucket: 'b', prefix: 'p/', maxKeys: 1000 });
  });

  it('an early page of the run\'s wider prefix stands for the narrower listing\'s first page; range 0 goes on after its last key', async () => {
    const archive = numbered(4000, 'p/files/f-');
    const bucket = fakeBucket(archive);
    const early = askFirstPageEarly(bucket.transport, 'b', 'p/', new AbortController().signal);
    // Range 0 holds two pages: its second is asked for after the early page's last key, with the narrower prefix.
    const ranges = planKeyRanges(archive, 2, 'p/files/f-', 1000);
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/files/f-', undefined, { ranges, firstPage: early }));
    assert.deepEqual(sortKeysByBytes(keys), sortKeysByBytes(archive));
    assert.equal(keys.length, new Set(keys).size, 'no key twice');
    assert.equal(bucket.requests.length, 4);
    assert.ok(bucket.requests.some((r) => r.prefix === 'p/files/f-' && r.startAfter === archive[999]), JSON.stringify(bucket.requests));
  });

  it('an early page that cannot stand for the listing (objects sort before its prefix) costs one request, and nothing is missed', async () => {
    const archive = numbered(3000, 'p/files/f-');
    const bucket = fakeBucket([...archive, 'p/aaa-other']);
    const early = askFirstPageEarly(bucket.transport, 'b', 'p/', new AbortController().signal);
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/files/f-', undefined, { ranges: planKeyRanges(archive, 3, 'p/files/f-', 1000), firstPage: early }));
    assert.deepEqual(sortKeysByBytes(keys), sortKeysByBytes(archive));
    assert.equal(bucket.requests.length, 4, 'the early page, then the three ranges');
  });

  it('one page is the whole listing: the other ranges, asked for beside it, are dropped', async () => {
    const bucket = fakeBucket(numbered(500), { delayMs: 20 });
    const shape = emptyShape();
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(numbered(500), 8, 'p/'), shape, headStartMs: 0 }));
    assert.equal(keys.length, 500);
    assert.equal(keys.length, new Set(keys).size, 'no key twice');
    assert.equal(bucket.requests.length, 8, 'the first page and the seven other ranges\' first pages, at once');
    assert.ok(bucket.signals.slice(1).every((signal) => signal.aborted), 'the ranges\' pages were abandoned');
    assert.equal(shape.parallel, 1);
    assert.equal(describeShape(shape), '');
  });

  it('the first page\'s head start: a server that answers within it is asked for the other ranges after it, and an empty prefix costs one request', async () => {
    const empty = fakeBucket([], { delayMs: 2 });
    const { keys } = await listAll(listKeyRanges(empty.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(numbered(8000), 8, 'p/'), headStartMs: 200 }));
    assert.deepEqual(keys, []);
    assert.equal(empty.requests.length, 1, 'a first sync into an empty prefix: the first page only');

    const archive = numbered(3000);
    const quick = fakeBucket(archive, { delayMs: 2 });
    const shape = emptyShape();
    const listed = await listAll(listKeyRanges(quick.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 3, 'p/'), shape, headStartMs: 200 }));
    assert.deepEqual(listed.keys.sort(), archive);
    assert.equal(quick.requests.length, 3);
    assert.equal(shape.parallel, 3);

    const slow = fakeBucket(archive, { delayMs: 60 });
    const started = Date.now();
    const pages = listKeyRanges(slow.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 3, 'p/'), headStartMs: 5 });
    const first = pages.next();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(slow.requests.length, 3, `the other ranges asked for while the first page was still out (${Date.now() - started} ms)`);
    await first;
    await pages.return(undefined);
  });

  it('a first page out of byte order: one sequential listing from its token, marked out of order', async () => {
    const archive = numbered(2500);
    const bucket = fakeBucket(archive, { unordered: true });
    const shape = emptyShape();
    const { keys, inOrder, lastInOrder } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 4, 'p/'), shape, headStartMs: 0 }));
    assert.deepEqual(keys.sort(), archive);
    assert.equal(inOrder, false);
    assert.equal(lastInOrder, false);
    assert.deepEqual(shape, { planned: 4, parallel: 1, fellBack: true });
    const sequential = bucket.requests.filter((r) => r.startAfter === undefined);
    assert.equal(sequential.length, 3, 'pages 1–3 of one listing');
    assert.equal(bucket.requests.length, 3 + 3, 'and the three other ranges\' first pages, asked for beside the first and dropped');
    assert.match(describeShape(shape), /one listing: the server lists out of S3's byte order/);
  });

  it('a range whose server ignores StartAfter: its keys before the range are dropped and the listing is out of order', async () => {
    const archive = numbered(3000);
    const bucket = fakeBucket(archive);
    const ignoring = {
      listObjectsV2: (input: ListObjectsV2Input, signal?: AbortSignal) => bucket.transport.listObjectsV2({ ...input, startAfter: undefined }, signal),
    } as unknown as S3Transport;
    const { keys, lastInOrder } = await listAll(listKeyRanges(ignoring, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 2, 'p/') }));
    assert.equal(keys.length, new Set(keys).size, 'no key twice');
    assert.deepEqual(keys.sort(), archive);
    assert.equal(lastInOrder, false);
  });

  it('honours a budget: no range asks for a page ahead once more than it was listed, and the consumer stops', async () => {
    const archive = numbered(20_000);
    const bucket = fakeBucket(archive);
    const pages = listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 4, 'p/'), readAheadUpTo: 3000 });
    let listed = 0;
    for await (const page of pages) {
      listed += page.objects.length;
      if (listed > 3000) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(bucket.requests.length <= Math.ceil(3000 / 1000) + 4, `${bucket.requests.length} requests for a budget of 3,000`);
    assert.equal(bucket.inFlight(), 0);
  });

  it('bounded read-ahead: a consumer that does not read leaves each range at most one page ahead', async () => {
    const archive = numbered(40_000);
    const bucket = fakeBucket(archive, { delayMs: 1 });
    const pages = listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 4, 'p/') });
    await pages.next();
    await pages.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The first page, then per range its first page and the one asked for when it arrived.
    assert.ok(bucket.requests.length <= 1 + 4 * 2, `${bucket.requests.length} requests while the consumer waited`);
    await pages.return(undefined);
  });

  it('a range’s failure is thrown to the consumer and stops the other ranges', async () => {
    const archive = numbered(20_000);
    const bucket = fakeBucket(archive, { fails: (input) => input.startAfter === archive[9999] });
    const pages = listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 2, 'p/') });
    await assert.rejects(listAll(pages), /InternalError/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(bucket.inFlight(), 0);
    assert.ok(bucket.requests.length < 10, `${bucket.requests.length} requests`);
  });

  it('the consumer stopping, or the signal, aborts every request in flight', async () => {
    const archive = numbered(20_000);
    const stopped = fakeBucket(archive, { delayMs: 30 });
    const pages = listKeyRanges(stopped.transport, 'b', 'p/', undefined, { ranges: planKeyRanges(archive, 4, 'p/') });
    await pages.next();
    assert.equal(stopped.inFlight(), 4);
    await pages.return(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped.inFlight(), 0);
    assert.ok(stopped.signals.slice(1).every((signal) => signal.aborted));

    const aborted = fakeBucket(archive, { delayMs: 30 });
    const controller = new AbortController();
    const signalled = listKeyRanges(aborted.transport, 'b', 'p/', controller.signal, { ranges: planKeyRanges(archive, 4, 'p/') });
    await signalled.next();
    const next = signalled.next();
    controller.abort();
    await assert.rejects(next, /aborted/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(aborted.inFlight(), 0);
  });

  it('ranges given as a function are planned once the first page has been asked for', async () => {
    const archive = numbered(3000);
    const bucket = fakeBucket(archive);
    let requestsWhenPlanned = -1;
    const ranges = () => {
      requestsWhenPlanned = bucket.requests.length;
      return planKeyRanges(archive, 3, 'p/');
    };
    const shape = emptyShape();
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges, shape }));
    assert.equal(requestsWhenPlanned, 1);
    assert.deepEqual(keys.sort(), archive);
    assert.equal(shape.planned, 3);
  });

  it('one range is listPrefix as it is', async () => {
    const bucket = fakeBucket(numbered(2500));
    const shape = emptyShape();
    const { keys } = await listAll(listKeyRanges(bucket.transport, 'b', 'p/', undefined, { ranges: [{}], shape }));
    assert.equal(keys.length, 2500);
    assert.equal(bucket.requests.length, 3);
    assert.deepEqual(shape, { planned: 1, parallel: 1, fellBack: false });
  });
});

/** A per-key fallback that answers "absent" and records what it was asked. */
const recordingFallback = (asked: string[]): ExistenceCheck => ({
  strategy: 'head',
  start: async () => {},
  check: async (key) => {
    asked.push(key);
    return null;
  },
  describe: () => `HeadObject for ${asked.length} keys`,
});

describe('createListingCheck over key ranges', () => {
  it('answers "absent" for a key once its range has been listed in full, while another range is still listing', async () => {
    const archive = numbered(6000).filter((_, i) => i % 2 === 0);
    const missingEarly = 'p/000011'; // between stored keys, in range 0
    const missingLate = 'p/005001'; // in the last range, held
    const keys = [...archive, missingEarly, missingLate];
    const lastRange = planKeyRanges(keys, 3, 'p/00', 1000).at(-1)!;
    let open!: () => void;
    const gate = { held: (input: ListObjectsV2Input) => input.startAfter === lastRange.startAfter, open: new Promise<void>((resolve) => (open = resolve)) };
    const bucket = fakeBucket(archive, { gate });
    const heads: string[] = [];
    const fallback = recordingFallback(heads);
    const check = createListingCheck({ session: { access: client, transport: bucket.transport }, bucket: 'b' }, { fallback, listRanges: 3 });
    await check.start(keys);
    const early = await Promise.race([check.check(missingEarly), new Promise((resolve) => setTimeout(resolve, 1000, 'still waiting'))]);
    assert.equal(early, null, 'answered while the last range is held');
    let late: unknown = 'pending';
    const lateAnswer = check.check(missingLate).then((answer) => (late = answer));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(late, 'pending', 'a key of the range still listing waits');
    assert.equal(check.stats.state, 'listing');
    open();
    await lateAnswer;
    assert.equal(late, null);
    assert.deepEqual(heads, [], 'no key needed a HEAD');
    assert.deepEqual(await check.check('p/004000'), { size: 8 });
    // Three ranges asked for, cut in whole pages: 2,000 keys in range 0, the rest in range 1.
    assert.match(check.describe(), /: 3000 objects in 4 pages in 2 key ranges in parallel$/);
  });

  it('listRanges must be a positive integer (INVALID_OPTION), checked before anything is listed', () => {
    const bucket = fakeBucket([]);
    for (const listRanges of [0, 2.5, -3]) {
      assert.throws(() => createListingCheck({ session: { access: client, transport: bucket.transport }, bucket: 'b' }, { fallback: recordingFallback([]), listRanges }), {
        name: 'S3ZipSyncError',
        code: 'INVALID_OPTION',
      });
    }
    assert.equal(bucket.requests.length, 0);
  });

  it('a listing out of order settles nothing early: unseen keys go to the fallback', async () => {
    const archive = numbered(2500);
    const bucket = fakeBucket(archive, { unordered: true });
    const heads: string[] = [];
    const fallback = recordingFallback(heads);
    const check = createListingCheck({ session: { access: client, transport: bucket.transport }, bucket: 'b' }, { fallback, listRanges: 4 });
    await check.start([...archive, 'p/0000005x']);
    assert.equal(await check.check('p/0000005x'), null);
    assert.deepEqual(heads, ['p/0000005x']);
    assert.match(check.describe(), /one listing: the server lists out of S3's byte order, out of S3's key order, so keys it did not show were confirmed/);
  });
});

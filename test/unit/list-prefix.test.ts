import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listPrefix, type ListedPage } from '../../src/s3/list-prefix.js';
import type { ListObjectsV2Input, ListObjectsV2Page, S3Transport } from '../../src/s3/transport/transport.js';

/** Three pages of two keys; records each request and whether its signal was aborted. */
function pagedTransport() {
  const requests: { token: string | undefined; signal: AbortSignal | undefined }[] = [];
  const pages: ListObjectsV2Page[] = [
    { Contents: [{ Key: 'p/a', Size: 1 }, { Key: 'p/b', Size: 2 }], CommonPrefixes: [], IsTruncated: true, NextContinuationToken: 't1' },
    { Contents: [{ Key: 'p/c', Size: 3 }, { Key: 'p/d', Size: 4 }], CommonPrefixes: [], IsTruncated: true, NextContinuationToken: 't2' },
    { Contents: [{ Key: 'p/e', Size: 5 }], CommonPrefixes: [], IsTruncated: false },
  ];
  const transport = {
    listObjectsV2(input: ListObjectsV2Input, signal?: AbortSignal) {
      requests.push({ token: input.continuationToken, signal });
      const page = pages[input.continuationToken === undefined ? 0 : Number(input.continuationToken.slice(1))]!;
      return new Promise<ListObjectsV2Page>((resolve, reject) => {
        const timer = setTimeout(() => resolve(page), 5);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
    },
  } as unknown as S3Transport;
  return { transport, requests };
}

describe('listPrefix', () => {
  it('asks for the next page as soon as a page arrives, before the consumer reads it', async () => {
    const { transport, requests } = pagedTransport();
    const pages = listPrefix(transport, 'b', 'p/');
    const first = (await pages.next()).value as ListedPage;
    assert.deepEqual(first.objects.map((o) => o.key), ['p/a', 'p/b']);
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1'], 'page 2 was already asked for');
    const keys = first.objects.map((o) => o.key);
    for await (const page of pages) keys.push(...page.objects.map((o) => o.key));
    assert.deepEqual(keys, ['p/a', 'p/b', 'p/c', 'p/d', 'p/e']);
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1', 't2'], 'one request per page, none after the last');
  });

  it('asks for nothing ahead past readAheadUpTo, so a consumer stopping there costs no request', async () => {
    const { transport, requests } = pagedTransport();
    const pages = listPrefix(transport, 'b', 'p/', undefined, { readAheadUpTo: 1 });
    await pages.next();
    assert.equal(requests.length, 1);
    await pages.return(undefined);
    assert.equal(requests.length, 1);
  });

  it('still reads on when the consumer goes past readAheadUpTo', async () => {
    const { transport, requests } = pagedTransport();
    const keys: string[] = [];
    for await (const page of listPrefix(transport, 'b', 'p/', undefined, { readAheadUpTo: 1 })) keys.push(...page.objects.map((o) => o.key));
    assert.deepEqual(keys, ['p/a', 'p/b', 'p/c', 'p/d', 'p/e']);
    assert.equal(requests.length, 3);
  });

  it('cancels the page asked for ahead when the consumer stops', async () => {
    const { transport, requests } = pagedTransport();
    const pages = listPrefix(transport, 'b', 'p/');
    await pages.next();
    await pages.return(undefined);
    assert.equal(requests.length, 2);
    assert.equal(requests[1]!.signal?.aborted, true);
  });

  it('passes the caller’s abort on to the request in flight', async () => {
    const { transport, requests } = pagedTransport();
    const controller = new AbortController();
    const pages = listPrefix(transport, 'b', 'p/', controller.signal);
    const pending = pages.next();
    controller.abort();
    await assert.rejects(pending, /aborted/);
    assert.equal(requests[0]!.signal?.aborted, true);
  });
});

/** Pages that tell their token early (as the signed transport does), then arrive 20 ms later. */
function earlyTokenTransport(tokens: (string | undefined)[] = ['t1', 't2', undefined]) {
  // How many pages had arrived when each request was made: order, not wall time, so load cannot fail it.
  const requests: { token: string | undefined; pagesArrived: number; signal: AbortSignal | undefined }[] = [];
  let arrived = 0;
  const transport = {
    listObjectsV2(input: ListObjectsV2Input, signal?: AbortSignal, early?: { onNextContinuationToken(token: string): void }) {
      requests.push({ token: input.continuationToken, pagesArrived: arrived, signal });
      const index = input.continuationToken === undefined ? 0 : Number(input.continuationToken.slice(1));
      const token = tokens[index];
      return new Promise<ListObjectsV2Page>((resolve, reject) => {
        setTimeout(() => {
          if (token) early?.onNextContinuationToken(token);
          setTimeout(() => {
            arrived++;
            resolve({ Contents: [{ Key: `p/${index}`, Size: index }], CommonPrefixes: [], IsTruncated: index < 2, ...(index < 2 ? { NextContinuationToken: `t${index + 1}` } : {}) });
          }, 20);
        }, 5);
        signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    },
  } as unknown as S3Transport;
  return { transport, requests };
}

describe('listPrefix with a token told early', () => {
  it('asks for page n+1 before page n has been parsed, one request per page', async () => {
    const { transport, requests } = earlyTokenTransport();
    const pages = listPrefix(transport, 'b', 'p/');
    const first = (await pages.next()).value as ListedPage;
    assert.deepEqual(first.objects.map((o) => o.key), ['p/0']);
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1']);
    assert.equal(requests[1]!.pagesArrived, 0, 'page 2 was asked for before page 1 arrived');
    const keys = first.objects.map((o) => o.key);
    for await (const page of pages) keys.push(...page.objects.map((o) => o.key));
    assert.deepEqual(keys, ['p/0', 'p/1', 'p/2']);
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1', 't2']);
  });

  it('asks for nothing early where a budget stop could come after this page', async () => {
    const { transport, requests } = earlyTokenTransport();
    const pages = listPrefix(transport, 'b', 'p/', undefined, { readAheadUpTo: 500 });
    await pages.next();
    // A full page could take the listing past 500: page 2 waits until page 1 says how many it held.
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1']);
    assert.equal(requests[1]!.pagesArrived, 1, 'page 2 was asked for only once page 1 arrived');
    await pages.return(undefined);
  });

  it('keeps at most one page asked for ahead of the one awaited', async () => {
    const { transport, requests } = earlyTokenTransport(['t1', 't2', 't3', 't4', undefined]);
    const pages = listPrefix(transport, 'b', 'p/');
    await pages.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(requests.map((r) => r.token), [undefined, 't1'], 'page 3 waits until page 2 is the one awaited');
    await pages.return(undefined);
  });

  it('cancels an early request whose token the page does not confirm, and asks with the page’s own', async () => {
    const { transport, requests } = earlyTokenTransport(['wrong', 't2', undefined]);
    const keys: string[] = [];
    for await (const page of listPrefix(transport, 'b', 'p/')) keys.push(...page.objects.map((o) => o.key));
    assert.deepEqual(keys, ['p/0', 'p/1', 'p/2']);
    const early = requests.find((r) => r.token === 'wrong');
    assert.equal(early?.signal?.aborted, true);
    assert.deepEqual(requests.filter((r) => r.token !== 'wrong').map((r) => r.token), [undefined, 't1', 't2']);
  });
});

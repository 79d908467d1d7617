import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncZip, STRATEGY_NAMES, type SyncEvent } from '../../src/index.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { putObjects } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'listing-bucket';
const FILLER = 1100; // keys under p/a/f/: every listing that covers them takes two pages of 1,000
const IN_ZIP = 110; // of which the zip holds the first 110: enough keys for auto to list (≤ 10 objects per key)
const filler = (i: number) => `a/f/${String(i).padStart(4, '0')}`;

// In UTF-8 byte order `a` < `a!b` < `a-b` < `a.b` < `a/b` < `a/f/…`: the exact key first, then the
// keys that only share its start, then those under it as a folder. s3rver lists in filesystem order
// (`a/b` before `a!b`), so which key a page holds, and where a continuation token resumes, is only
// S3's behaviour on a server that sorts as S3 does.
describe('list, bulk and auto over keys sorting around "/", more than a page (radosgw)', { skip: onlyOn('rgw', 'the server must list in UTF-8 byte order, as S3 does') }, () => {
  let s3: TestS3;
  const expected = new Map<string, string>([
    ['a', 'new'], // absent, while 1,104 keys start with it
    ['a!b', 'ignored'],
    ['a-b', 'updated'],
    ['a.b', 'ignored'],
    ['a/b', 'ignored'],
    ['zz', 'new'],
    ...Array.from({ length: IN_ZIP }, (_, i) => [filler(i), 'ignored'] as [string, string]),
  ]);
  let zip: Buffer;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    const stored = new Map<string, string>([['p/a!b', 'xyz'], ['p/a-b', 'xyz'], ['p/a.b', 'xyz'], ['p/a/b', 'xyz']]);
    for (let i = 0; i < FILLER; i++) stored.set(`p/${filler(i)}`, 'xyz');
    await putObjects(s3.client, BUCKET, stored);
    const listed = [...(await listKeys(s3.client, BUCKET, 'p/a')).keys()];
    assert.deepEqual(listed.slice(0, 4), ['p/a!b', 'p/a-b', 'p/a.b', 'p/a/b'], 'the server lists in byte order');
    zip = await makeZip([...expected.keys()].map((name) => ({ name, data: name === 'a-b' ? 'longer' : 'xyz' })));
  });
  after(async () => {
    await s3?.close();
  });

  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: every key is decided as a per-key HEAD would decide it`, async () => {
      const events: SyncEvent[] = [];
      const report = await syncZip({ zip, bucket: BUCKET, prefix: 'p', client: s3.client, strategy, dryRun: true, onEvent: (event) => events.push(event) });
      const decided = new Map(events.flatMap((event) => (event.type === 'entry' ? [[event.entry, event.action] as const] : [])));
      assert.deepEqual(Object.fromEntries([...decided].sort()), Object.fromEntries([...expected].sort()));
      const lists = report.requests.ListObjectsV2 ?? 0;
      // 1,104 objects under p/: two pages, the first of which is also the bucket check.
      if (strategy === 'bulk' || strategy === 'auto') assert.equal(lists, 2, JSON.stringify(report.requests));
      if (strategy === 'auto') assert.equal(report.requests.HeadObject ?? 0, 0, 'auto stayed on its listing');
      // list: Prefix=p/a returns p/a!b first, so finding that p/a is absent pages through 1,104 keys.
      if (strategy === 'list') assert.ok(lists >= expected.size + 2, JSON.stringify(report.requests));
    });
  }

  it('auto then writes exactly the new and updated keys, and a second run ignores everything', async () => {
    const first = await syncZip({ zip, bucket: BUCKET, prefix: 'p', client: s3.client, strategy: 'auto' });
    assert.deepEqual([first.counts.new, first.counts.updated, first.counts.failed], [2, 1, 0]);
    const again = await syncZip({ zip, bucket: BUCKET, prefix: 'p', client: s3.client, strategy: 'auto' });
    assert.equal(again.counts.ignored, expected.size);
    assert.equal((await listKeys(s3.client, BUCKET, 'p/')).size, FILLER + 4 + 2);
  });
});

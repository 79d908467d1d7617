import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHeadCheck } from '../../src/check/head-check.js';
import { createListingCheck } from '../../src/check/listing-check.js';
import { DEFAULT_MAX_DELETE, listAndPlanDeletions } from '../../src/delete/deletion.js';
import { compileEntryFilter } from '../../src/filter/entry-filter.js';
import { syncZip, type SyncEvent } from '../../src/index.js';
import { chooseRangeCount } from '../../src/s3/key-ranges.js';
import { sdkRequests } from '../../src/s3/session.js';
import { SharedListing } from '../../src/s3/shared-listing.js';
import { attachRequestCounter } from '../../src/s3/request-counter.js';
import { startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { putObjects } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'ranges-bucket';
const ARCHIVE = 1100;
const archiveKey = (i: number) => `site/f/${String(i).padStart(5, '0')}`;
// Not in the archive; `a!b` sorts before `a/b` in bytes, s3rver lists `a/b` first (filesystem order).
const OTHERS = ['site/a!b', 'site/a/b', 'site/zz/stale-1', 'site/zz/stale-2', 'site/\u{1F600}'];

describe('a --delete listing in key ranges (library: SharedListing observed by the bulk check)', () => {
  let s3: TestS3;
  const archive = Array.from({ length: ARCHIVE }, (_, i) => archiveKey(i));
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    await putObjects(s3.client, BUCKET, new Map([...archive, ...OTHERS].map((key) => [key, 'x'])));
  });
  after(async () => {
    await s3?.close();
  });

  /** A mirror run's listing: the plan drives it, the bulk check observes it; 4 ranges asked for, 2 of whole pages planned. */
  async function mirrorListing() {
    const counter = attachRequestCounter(s3.client);
    try {
      const session = sdkRequests(s3.client);
      const listing = new SharedListing(session, BUCKET, 'site/', undefined, { listRanges: 4 });
      const check = createListingCheck({ session, bucket: BUCKET }, { shared: listing, fallback: createHeadCheck({ session, bucket: BUCKET }) });
      const started = check.start([...archive, 'site/new']);
      const plan = await listAndPlanDeletions({ listing, keep: new Set([...archive, 'site/new']), filter: compileEntryFilter(), settings: { maxDelete: DEFAULT_MAX_DELETE, deleteExcluded: false } });
      await started;
      return { listing, check, plan, lists: counter.counts.ListObjectsV2 ?? 0, counter };
    } finally {
      counter.detach();
    }
  }

  it('s3rver lists out of byte order: the first page says so, the rest is one listing, and the plan still sees every object', { skip: onlyOn('s3rver', 'it lists in filesystem order') }, async () => {
    const { listing, check, plan, lists } = await mirrorListing();
    assert.deepEqual(listing.shape, { planned: 2, parallel: 1, fellBack: true });
    assert.deepEqual([...plan.keys].sort(), [...OTHERS].sort(), 'every object the archive does not name is a candidate');
    assert.equal(plan.listed, ARCHIVE + OTHERS.length);
    assert.equal(plan.listingInOrder, false, 'so unseen objects are never deleted');
    // One sequential listing of two pages, and the other range's first page when it was asked for
    // before the first page came back (after its 30 ms head start) and dropped.
    assert.ok([2, 3].includes(lists), `${lists} ListObjectsV2`);
    assert.deepEqual(await check.check(archiveKey(7)), { size: 1, etag: '"9dd4e461268c8034f5c8564e155c67a6"' });
    assert.match(check.describe(), /one listing: the server lists out of S3's byte order, shared with the deletion$/);
  });


  it('syncZip --delete (dry run) with enough files for the default ranges falls back on s3rver and plans every object the archive does not name', { skip: onlyOn('s3rver', 'it lists in filesystem order') }, async () => {
    // The objects stored above (1,100 of these files and 5 others), an archive of 5,000 files.
    const files = 5000;
    assert.ok(chooseRangeCount(files, 64) > 1, 'the default would cut this archive into ranges');
    const events: SyncEvent[] = [];
    const zip = await makeZip(Array.from({ length: files }, (_, i) => ({ name: archiveKey(i).slice('site/'.length), data: 'x' })));
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'site', client: s3.client, delete: true, dryRun: true, onEvent: (event) => events.push(event) });
    assert.deepEqual([report.counts.ignored, report.counts.new], [ARCHIVE, files - ARCHIVE]);
    assert.deepEqual(
      events.flatMap((event) => (event.type === 'delete' ? [event.key] : [])).sort(),
      [...OTHERS].sort(),
    );
    assert.equal(report.deletion?.listed, ARCHIVE + OTHERS.length);
    // One sequential listing of two pages, and the four other ranges' first pages when they were
    // asked for before the first page came back (after its 30 ms head start), dropped.
    assert.ok([2, 6].includes(report.requests.ListObjectsV2!), JSON.stringify(report.requests));
    // Out of order, "not listed" proves nothing: the 3,900 keys the listing did not show were asked by HEAD.
    assert.match(report.strategyDetail, /1105 objects in 2 pages, one listing: the server lists out of S3's byte order, shared with the deletion, .* HeadObject for 3900 keys$/);
    assert.ok(events.some((event) => event.type === 'warning' && /out of S3 byte order/.test(event.message)));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHeadCheck } from '../../src/check/head-check.js';
import { createListingCheck } from '../../src/check/listing-check.js';
import { DEFAULT_MAX_DELETE, listAndPlanDeletions } from '../../src/delete/deletion.js';
import { compileEntryFilter } from '../../src/filter/entry-filter.js';
import { syncZip } from '../../src/index.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { chooseRangeCount } from '../../src/s3/key-ranges.js';
import { sdkRequests } from '../../src/s3/session.js';
import { SharedListing } from '../../src/s3/shared-listing.js';
import { sdkTransport } from '../../src/s3/transport/sdk-transport.js';
import type { S3Transport } from '../../src/s3/transport/transport.js';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { putObjects } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'ranges-bucket';
const ARCHIVE = 5000;
const name = (i: number) => `f/${String(i).padStart(5, '0')}`;
// Not in the archive, spread over the ranges: before, between and after the archive's keys.
const OTHERS = ['site/a!b', 'site/a/b', 'site/f/02500-old', 'site/zz/stale', 'site/\u{1F600}'];
// Long enough that the ranges' requests overlap whatever the machine's load.
const LIST_DELAY_MS = 150;

describe('listing in key ranges on a server in S3 byte order (radosgw)', { skip: onlyOn('rgw', 'the server must list in UTF-8 byte order and honour StartAfter') }, () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  const archive = Array.from({ length: ARCHIVE }, (_, i) => `site/${name(i)}`);
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    await putObjects(s3.client, BUCKET, new Map([...archive, ...OTHERS].map((key) => [key, 'x'])));
    proxy = await startFaultProxy(s3.endpoint);
    proxy.setRules([{ match: 'ListObjectsV2', delayMs: LIST_DELAY_MS }]);
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
  });

  it('a --delete listing in 4 ranges runs them at once and sees every object once, archive keys or not', async () => {
    const client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
    try {
      const listsBefore = proxy.stats().byOperation.ListObjectsV2 ?? 0;
      // Counts the listing requests waiting for an answer at once.
      const base = sdkTransport(client);
      let inFlight = 0;
      let mostInFlight = 0;
      const transport: S3Transport = {
        ...base,
        async listObjectsV2(input, signal, early) {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          try {
            return await base.listObjectsV2(input, signal, early);
          } finally {
            inFlight--;
          }
        },
      };
      const listing = new SharedListing({ access: client, transport }, BUCKET, 'site/', undefined, { listRanges: 4 });
      const check = createListingCheck({ session: { access: client, transport }, bucket: BUCKET }, { shared: listing, fallback: createHeadCheck({ session: sdkRequests(client), bucket: BUCKET }) });
      const checkStarted = check.start([...archive, 'site/new']);
      const plan = await listAndPlanDeletions({ listing, keep: new Set([...archive, 'site/new']), filter: compileEntryFilter(), settings: { maxDelete: DEFAULT_MAX_DELETE, deleteExcluded: false } });
      await checkStarted;
      const lists = (proxy.stats().byOperation.ListObjectsV2 ?? 0) - listsBefore;

      // Four asked for, cut in whole pages of the archive's keys: 2,000, 2,000 and 1,000.
      assert.deepEqual(listing.shape, { planned: 3, parallel: 3, fellBack: false });
      assert.deepEqual([...plan.keys].sort(), [...OTHERS].sort(), 'every object the archive does not name, in whichever range');
      assert.equal(plan.listed, ARCHIVE + OTHERS.length, 'no object twice');
      assert.equal(plan.listingInOrder, true);
      assert.ok(lists <= Math.ceil((ARCHIVE + OTHERS.length) / 1000) + 3, `${lists} ListObjectsV2`);
      assert.equal(mostInFlight, 3, 'the three ranges waited on the server at once');
      assert.equal(await check.check('site/new'), null, 'absent: every range listed in order');
      assert.deepEqual(await check.check(archive[4999]!), { size: 1, etag: '"9dd4e461268c8034f5c8564e155c67a6"' });
      assert.match(check.describe(), /: 5005 objects in \d+ pages in 3 key ranges in parallel, shared with the deletion$/);
    } finally {
      client.destroy();
    }
  });

  it('syncZip with delete and bulk uses the default ranges; a dry run plans exactly the objects not in the archive', async () => {
    const zip = await makeZip(Array.from({ length: ARCHIVE }, (_, i) => ({ name: name(i), data: 'x' })));
    const ranges = chooseRangeCount(ARCHIVE, 64);
    assert.ok(ranges > 1, 'the default cuts this archive into ranges');
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'site', client: s3.client, strategy: 'bulk', delete: true, dryRun: true, maxDelete: 10 });
    assert.equal(report.counts.ignored, ARCHIVE);
    assert.deepEqual(report.deletion && { deleted: report.deletion.deleted, listed: report.deletion.listed }, { deleted: OTHERS.length, listed: ARCHIVE + OTHERS.length });
    assert.ok((report.requests.ListObjectsV2 ?? 0) <= Math.ceil((ARCHIVE + OTHERS.length) / 1000) + ranges, JSON.stringify(report.requests));
    assert.match(report.strategyDetail, new RegExp(` in ${ranges} key ranges in parallel, shared with the deletion$`));
  });
});

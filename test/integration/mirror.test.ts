import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { syncZip, type SyncEvent, type SyncOptions } from '../../src/internal.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip, rawZip, type ZipFileSpec } from '../helpers/zip-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { startFaultProxy } from '../../tools/s3-proxy/fault-proxy.js';

const BUCKET = 'mirror-bucket';
const WHOLE = 'whole-bucket';

describe('--delete and --include/--exclude against s3rver', () => {
  let s3: TestS3;
  let dir: string;
  before(async () => {
    s3 = await startTestS3([BUCKET, WHOLE]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-mirror-'));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = async (keys: string[], body = 'old') => {
    const limit = pLimit(16);
    await Promise.all(keys.map((Key) => limit(() => s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: body })))));
  };
  const keysUnder = async (prefix: string, bucket = BUCKET) => [...(await listKeys(s3.client, bucket, prefix)).keys()].sort();
  const sync = async (files: ZipFileSpec[], options: Partial<SyncOptions>) => {
    const events: SyncEvent[] = [];
    const report = await syncZip({ zip: await makeZip(files), bucket: BUCKET, client: s3.client, onEvent: (e) => events.push(e), ...options });
    return { report, events };
  };
  const deletedKeys = (events: SyncEvent[]) => events.flatMap((e) => (e.type === 'delete' && e.action === 'deleted' ? [e.key] : [])).sort();
  const site = [
    { name: 'index.html', data: '<h1>new</h1>' },
    { name: 'css/site.css', data: 'body{}' },
  ];

  it('without delete, extra objects stay; with it, the prefix holds exactly the archive, and nothing outside is touched', async () => {
    const outside = ['site-old/index.html', 'site-old/css/x.css', 'sitemap.xml', 'other/site/stale.html', 'root.txt'];
    await put(['site/stale.html', 'site/css/old.css', 'site/deep/er/gone.txt', 'site/index.html', ...outside]);

    const plain = await sync(site, { prefix: 'site' });
    assert.equal(plain.report.deletion, undefined);
    assert.deepEqual(await keysUnder('site/'), ['site/css/old.css', 'site/css/site.css', 'site/deep/er/gone.txt', 'site/index.html', 'site/stale.html']);

    const { report, events } = await sync(site, { prefix: 'site', delete: true });
    assert.deepEqual(await keysUnder('site/'), ['site/css/site.css', 'site/index.html']);
    assert.deepEqual(deletedKeys(events), ['site/css/old.css', 'site/deep/er/gone.txt', 'site/stale.html']);
    assert.deepEqual(report.deletion, { deleted: 3, failed: 0, protectedByFilter: 0, listed: 5 });
    assert.equal(report.counts.ignored, 2);
    assert.equal(report.requests.DeleteObjects, 1);
    // One listing: the plan reads it, and the default strategy (auto) answers the checks from it.
    assert.equal(report.requests.ListObjectsV2, 1);
    for (const key of outside) assert.ok((await listKeys(s3.client, BUCKET, key)).has(key), `${key} untouched`);
  });

  it('deletes more than 1,000 objects in batches of at most 1,000', async () => {
    // A kept file in the same folder: s3rver then never removes the folder, whose race would add retried requests.
    const extra = Array.from({ length: 1001 }, (_, i) => `batch/old/f${String(i).padStart(4, '0')}.txt`);
    await put(extra);
    const { report } = await sync([{ name: 'old/keep.txt', data: 'k' }], { prefix: 'batch', delete: true, maxDelete: 5000 });
    assert.equal(report.deletion?.deleted, 1001);
    assert.equal(report.requests.DeleteObjects, 2);
    assert.deepEqual(await keysUnder('batch/'), ['batch/old/keep.txt']);
  });

  it('mirrors folders emptied entirely too: s3rver races on removing them and answers 500, the batch is sent again', async () => {
    const extra = Array.from({ length: 200 }, (_, i) => `race/d${i % 10}/f${String(i).padStart(4, '0')}.txt`);
    await put(extra);
    // No SDK retries, so the repeat in deleteObjects is what absorbs the race.
    const { report } = await sync([{ name: 'keep.txt', data: 'k' }], {
      prefix: 'race',
      delete: true,
      client: undefined,
      clientOptions: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 },
    });
    assert.deepEqual(report.deletion, { deleted: 200, failed: 0, protectedByFilter: 0, listed: 200 });
    assert.deepEqual(await keysUnder('race/'), ['race/keep.txt']);
  });

  it('max-delete refuses before the first upload: nothing written, nothing deleted', async () => {
    await put(['limit/a', 'limit/b', 'limit/c']);
    await assert.rejects(sync(site, { prefix: 'limit', delete: true, maxDelete: 2 }), {
      code: 'DELETE_LIMIT_EXCEEDED',
      message: 'refusing to delete 3 objects under s3://mirror-bucket/limit/: more than `maxDelete` 2; nothing was written or deleted',
    });
    assert.deepEqual(await keysUnder('limit/'), ['limit/a', 'limit/b', 'limit/c']);
    // The default is 1,000: three objects are fine.
    const { report } = await sync(site, { prefix: 'limit', delete: true });
    assert.equal(report.deletion?.deleted, 3);
  });

  it('a failed upload prevents any deletion, and says so', async () => {
    await put(['failing/stale.txt']);
    const zip = rawZip([
      { name: 'good.txt', data: 'good' },
      { name: 'bad.txt', data: 'corrupt', crc32Override: 0x12345678 },
    ]);
    const events: SyncEvent[] = [];
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'failing', client: s3.client, delete: true, onEvent: (e) => events.push(e) });
    assert.equal(report.counts.failed, 1);
    assert.deepEqual(report.deletion, { deleted: 0, failed: 0, protectedByFilter: 0, listed: 1, skipped: { reason: '1 entry failed', candidates: 1 } });
    assert.equal(report.requests.DeleteObjects, undefined);
    assert.ok(events.some((e) => e.type === 'warning' && e.message === 'not deleting 1 objects not in the archive: 1 entry failed'));
    assert.deepEqual(await keysUnder('failing/'), ['failing/good.txt', 'failing/stale.txt']);
  });

  it('an interrupted run deletes nothing', async () => {
    await put(['interrupted/stale.txt']);
    const controller = new AbortController();
    let entries = 0;
    const files = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` }));
    const { report } = await sync(files, {
      prefix: 'interrupted',
      delete: true,
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'entry' && ++entries === 3) controller.abort();
      },
    });
    assert.equal(report.aborted, true);
    assert.equal(report.deletion?.skipped?.reason, 'the run was interrupted');
    assert.ok((await listKeys(s3.client, BUCKET, 'interrupted/')).has('interrupted/stale.txt'));
  });

  it('a dry run lists what would be deleted and deletes nothing', async () => {
    await put(['dry/stale.txt', 'dry/index.html']);
    const { report, events } = await sync(site, { prefix: 'dry', delete: true, dryRun: true });
    assert.deepEqual(deletedKeys(events), ['dry/stale.txt']);
    assert.ok(events.every((e) => e.type !== 'delete' || e.dryRun));
    assert.equal(report.deletion?.deleted, 1);
    assert.equal(report.requests.DeleteObjects, undefined);
    assert.deepEqual(await keysUnder('dry/'), ['dry/index.html', 'dry/stale.txt']);
  });

  it('refuses delete on the whole bucket unless told so explicitly', async () => {
    await assert.rejects(sync(site, { delete: true }), { code: 'DELETE_REFUSED', message: /^refusing to delete with an empty prefix: every object in bucket mirror-bucket/ });
    await assert.rejects(sync(site, { prefix: '/', delete: true }), { code: 'DELETE_REFUSED' });
    await s3.client.send(new PutObjectCommand({ Bucket: WHOLE, Key: 'stray/x.txt', Body: 'x' }));
    const report = await syncZip({ zip: await makeZip(site), bucket: WHOLE, client: s3.client, delete: true, deleteWholeBucket: true });
    assert.equal(report.deletion?.deleted, 1);
    assert.deepEqual(await keysUnder('', WHOLE), ['css/site.css', 'index.html']);
  });

  it('junk is left out by default; include/exclude apply in order, last match wins; excluded objects are kept by --delete', async () => {
    const files = [
      { name: 'index.html', data: 'i' },
      { name: 'about.html', data: 'a' },
      { name: 'app.js', data: 'js' },
      { name: 'app.js.map', data: 'map' },
      { name: '.DS_Store', data: 'junk' },
      { name: 'img/.DS_Store', data: 'junk' },
      { name: 'img/Thumbs.db', data: 'junk' },
      { name: '__MACOSX/._index.html', data: 'junk' },
      { name: 'drafts/wip.html', data: 'w' },
    ];
    await put(['filtered/old.html', 'filtered/drafts/published-by-hand.html', 'filtered/.DS_Store', 'filtered/legacy.map']);
    const { report, events } = await sync(files, {
      prefix: 'filtered',
      delete: true,
      filters: [{ exclude: '*.map' }, { exclude: 'drafts/**' }, { include: 'drafts/wip.html' }, { exclude: '*.js' }],
    });
    assert.deepEqual(await keysUnder('filtered/'), [
      'filtered/.DS_Store', // excluded (junk) in the archive, so kept in S3
      'filtered/about.html',
      'filtered/drafts/published-by-hand.html', // excluded by drafts/**, kept
      'filtered/drafts/wip.html', // included again by the later rule
      'filtered/index.html',
      'filtered/legacy.map', // excluded by *.map, kept
    ]);
    assert.equal(report.excluded, 6);
    assert.deepEqual(report.deletion, { deleted: 1, failed: 0, protectedByFilter: 3, listed: 4 });
    const excluded = events.flatMap((e) => (e.type === 'excluded' ? [`${e.entry} ${e.rule}`] : [])).sort();
    assert.deepEqual(excluded, [
      '.DS_Store junk **/.DS_Store',
      '__MACOSX/._index.html junk __MACOSX/**',
      'app.js --exclude *.js',
      'app.js.map --exclude *.map', // *.js does not match app.js.map: globs match whole names
      'img/.DS_Store junk **/.DS_Store',
      'img/Thumbs.db junk **/Thumbs.db',
    ]);
  });

  it('delete-excluded also deletes what the filters exclude; excludeJunk false uploads junk', async () => {
    await put(['junky/.DS_Store', 'junky/a.tmp']);
    const { report } = await sync([{ name: 'a.html', data: 'a' }, { name: 'b.tmp', data: 'b' }], {
      prefix: 'junky',
      delete: true,
      deleteExcluded: true,
      filters: [{ exclude: '*.tmp' }],
    });
    assert.equal(report.deletion?.deleted, 2);
    assert.deepEqual(await keysUnder('junky/'), ['junky/a.html']);
    await sync([{ name: 'Thumbs.db', data: 't' }, { name: 'a.html', data: 'a' }], { prefix: 'junky', excludeJunk: false });
    assert.deepEqual(await keysUnder('junky/'), ['junky/Thumbs.db', 'junky/a.html']);
  });

  it('a listing that fails is one clear error, with nothing written or deleted', async () => {
    await put(['denied/stale.txt']);
    const proxy = await startFaultProxy(s3.endpoint);
    try {
      // With a per-key strategy the bucket check asks for one key, then the plan's listing for 1,000.
      // (With bulk/auto that listing is the bucket check itself, and its error names the bucket problem.)
      proxy.setRules([{ match: (req) => req.operation === 'ListObjectsV2' && req.url.includes('max-keys=1000'), respond: { status: 403, code: 'AccessDenied', message: 'Access Denied' } }]);
      await assert.rejects(
        sync(site, {
          prefix: 'denied',
          delete: true,
          strategy: 'head',
          client: undefined,
          clientOptions: { endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials },
        }),
        { code: 'S3_ERROR', message: 'listing s3://mirror-bucket/denied/ for deletion failed, nothing was written or deleted: AccessDenied (HTTP 403): Access Denied' },
      );
    } finally {
      await proxy.stop();
    }
    assert.deepEqual(await keysUnder('denied/'), ['denied/stale.txt']);
  });

  it('refuses an archive whose files are all excluded, before writing anything', async () => {
    await assert.rejects(sync([{ name: '.DS_Store', data: 'x' }], { prefix: 'alljunk', delete: true }), {
      code: 'EMPTY_ARCHIVE',
      message: 'all 1 files of the archive are excluded by the include/exclude rules',
    });
  });

  describe('CLI', () => {
    const zipFile = async (name: string, files: ZipFileSpec[]) => {
      const path = join(dir, name);
      writeFileSync(path, await makeZip(files));
      return path;
    };

    it('prints Deleted! lines and counts them in the summary', async () => {
      await put(['cli/stale.html', 'cli/index.html']);
      const zip = await zipFile('cli.zip', [...site, { name: '.DS_Store', data: 'j' }]);
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'cli', '--delete'], s3.env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      const lines = run.stdout.trim().split('\n');
      assert.ok(lines.includes('Deleted! cli/stale.html'), run.stdout);
      assert.ok(lines.includes('Excluded cli/.DS_Store (junk **/.DS_Store)'), run.stdout);
      assert.ok(lines.includes('Mirror: 1 deleted, 1 archive files excluded'), run.stdout);
      assert.match(run.stdout, /^Summary: 1 new, 1 updated, 0 ignored, 0 failed$/m);
      assert.match(run.stdout, /DeleteObjects 1/);
    });

    it('--json carries delete and excluded events, and the deletion in the summary', async () => {
      await put(['clijson/stale.html']);
      const zip = await zipFile('json.zip', site);
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'clijson', '--delete', '--json', '--exclude', 'css/*'], s3.env);
      assert.equal(run.code, 0, run.stderr);
      const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(events.find((e) => e.type === 'delete'), { v: 1, type: 'delete', dryRun: false, action: 'deleted', key: 'clijson/stale.html' });
      assert.deepEqual(events.find((e) => e.type === 'excluded'), { v: 1, type: 'excluded', key: 'clijson/css/site.css', entry: 'css/site.css', rule: '--exclude css/*' });
      const summary = events.at(-1)!;
      assert.deepEqual(summary.deletion, { deleted: 1, failed: 0, protectedByFilter: 0, listed: 1 });
      assert.equal(summary.excluded, 1);
    });

    it('--exclude then --include on the command line keeps their order', async () => {
      const zip = await zipFile('order.zip', [{ name: 'a.html', data: 'a' }, { name: 'b.css', data: 'b' }]);
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'order', '--exclude', '*', '--include', '*.html'], s3.env);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await keysUnder('order/'), ['order/a.html']);
      // The reverse order (--include first) excludes everything: the library test above covers that refusal.
    });

    it('--max-delete refusal: exit 2, one line, nothing written or deleted; --dry-run shows candidates', async () => {
      await put(['clilimit/x', 'clilimit/y']);
      const zip = await zipFile('limit.zip', site);
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'clilimit', '--delete', '--max-delete', '1'], s3.env);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, 's3zipsync: refusing to delete 2 objects under s3://mirror-bucket/clilimit/: more than --max-delete 1; nothing was written or deleted\n');
      assert.deepEqual(await keysUnder('clilimit/'), ['clilimit/x', 'clilimit/y']);

      const dry = await runCli([zip, '--bucket', BUCKET, '--prefix', 'clilimit', '--delete', '--dry-run'], s3.env);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^Deleted! clilimit\/x \[dry run\]$/m);
      assert.match(dry.stdout, /^Mirror: 2 deleted \(would be\)$/m);
      assert.deepEqual(await keysUnder('clilimit/'), ['clilimit/x', 'clilimit/y']);

      const whole = await runCli([zip, '--bucket', BUCKET, '--delete'], s3.env);
      assert.equal(whole.code, 2);
      assert.match(whole.stderr, /^s3zipsync: refusing to delete with an empty prefix: .* give --prefix, or --delete-whole-bucket if that is meant\n$/);
    });
  });
});

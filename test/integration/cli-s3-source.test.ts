import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { makeZip } from '../helpers/zip-fixtures.js';

describe('CLI: s3:// zips and --shard', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3(['incoming', 'target']);
    const files = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}\n`.repeat(i + 1) }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'incoming', Key: 'drops/a b.zip', Body: await makeZip(files) }));
  });
  after(async () => {
    await s3?.close();
  });

  it('syncs s3://bucket/key.zip shard by shard; the shards add up to the archive', async () => {
    let total = 0;
    for (const shard of ['0/3', '1/3', '2/3']) {
      const run = await runCli(['s3://incoming/drops/a b.zip', '--bucket', 'target', '--prefix', 'cli', '--shard', shard, '--json'], s3.env);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { counts: { new: number; ignored: number }; requests: Record<string, number> };
      assert.equal(summary.counts.ignored, 0);
      assert.ok(summary.requests.GetObject! >= 1, 'the zip was read with GETs');
      total += summary.counts.new;
    }
    assert.equal(total, 12);
    assert.equal((await listKeys(s3.client, 'target', 'cli/')).size, 12);
  });

  for (const [args, message] of [
    [['s3://incoming/none.zip'], 's3zipsync: zip not found: s3://incoming/none.zip'],
    [['s3://incoming/drops/a b.zip', '--shard', '3/3'], 's3zipsync: shard index must be an integer from 0 to 2, got 3'],
    [['s3://just-a-bucket'], 's3zipsync: an s3 zip must be s3://bucket/key, got "s3://just-a-bucket"'],
  ] as const) {
    it(`exit 2 with one line: ${message}`, async () => {
      const run = await runCli([...args, '--bucket', 'target'], s3.env);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `${message}\n`);
      assert.equal(run.stdout, '');
    });
  }
});

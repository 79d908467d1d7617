/**
 * How long a listing of N keys takes cut into K key ranges read in parallel, against radosgw behind a
 * latency proxy (20 ms per request, 80 ms per ListObjectsV2 page: a remote S3's regime, see
 * shared notes remote-s3.md). Picks the constants of `chooseRangeCount` (src/s3/key-ranges.ts).
 *
 *   bash tools/rgw/start-rgw.sh            # prints FOLDER
 *   source FOLDER/env && node --import tsx bench/list-ranges.ts [rounds]
 *
 * Seeds the bucket once (20,000 and 100,000 keys, in one folder and over 200 folders), then lists
 * each layout with K = 1, 4, 8, 12, 16, the order rotated each round. Prints a Markdown table.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import pLimit from 'p-limit';
import { connectionOfClient } from '../src/s3/connection.js';
import { createS3Client } from '../src/s3/create-client.js';
import { planKeyRanges } from '../src/s3/key-ranges.js';
import { listKeyRanges, type RangedListingShape } from '../src/s3/list-key-ranges.js';
import { listPrefix } from '../src/s3/list-prefix.js';
import { createSignedHttpTransport } from '../src/s3/transport/signed-http-transport.js';
import { startFaultProxy } from '../tools/s3-proxy/fault-proxy.js';

const BUCKET = 'list-ranges';
const COUNTS = [20_000, 100_000];
const RANGES = [1, 4, 8, 12, 16];
const rounds = Number(process.argv[2] ?? 3);
const endpoint = process.env.S3ZIPSYNC_RGW_ENDPOINT;
const accessKeyId = process.env.S3ZIPSYNC_RGW_ACCESS_KEY;
const secretAccessKey = process.env.S3ZIPSYNC_RGW_SECRET_KEY;
if (!endpoint || !accessKeyId || !secretAccessKey) throw new Error('source the env file tools/rgw/start-rgw.sh wrote first');

const layouts = COUNTS.flatMap((count) => [
  { name: `${count} keys, one folder`, prefix: `flat-${count}/`, keys: Array.from({ length: count }, (_, i) => `flat-${count}/f${String(i).padStart(6, '0')}`) },
  {
    name: `${count} keys, 200 folders`,
    prefix: `tree-${count}/`,
    keys: Array.from({ length: count }, (_, i) => `tree-${count}/d${String(i % 200).padStart(3, '0')}/f${String(i).padStart(6, '0')}`),
  },
]);

const direct = createS3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
const seeder = createSignedHttpTransport({ connection: connectionOfClient(direct), maxSockets: 64 });
await direct.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => {});
for (const layout of layouts) {
  let stored = 0;
  for await (const page of listPrefix(seeder, BUCKET, layout.prefix)) stored += page.objects.length;
  if (stored >= layout.keys.length) continue;
  process.stderr.write(`seeding ${layout.name}\n`);
  const limit = pLimit(64);
  await Promise.all(layout.keys.map((key) => limit(() => seeder.putObject({ bucket: BUCKET, key, body: Buffer.from('x') }))));
}
seeder.destroy();

const proxy = await startFaultProxy(endpoint);
proxy.setRules([
  { match: 'ListObjectsV2', delayMs: 80 },
  { match: () => true, delayMs: 20 },
]);
const client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
const transport = createSignedHttpTransport({ connection: connectionOfClient(client), maxSockets: 128 });

interface Sample {
  layout: string;
  ranges: number;
  ms: number;
  requests: number;
  listed: number;
  parallel: number;
}
const samples: Sample[] = [];
const load = execFileSync('uptime', { encoding: 'utf8' }).trim();
for (let round = 0; round < rounds; round++) {
  for (const layout of layouts) {
    const order = RANGES.map((_, i) => RANGES[(i + round) % RANGES.length]!);
    for (const count of order) {
      const shape: RangedListingShape = { planned: 1, parallel: 1, fellBack: false };
      const before = proxy.stats().byOperation.ListObjectsV2 ?? 0;
      const started = performance.now();
      let listed = 0;
      const ranges = planKeyRanges(layout.keys, count, layout.prefix);
      for await (const page of listKeyRanges(transport, BUCKET, layout.prefix, undefined, { ranges, shape })) listed += page.objects.length;
      const ms = performance.now() - started;
      const requests = (proxy.stats().byOperation.ListObjectsV2 ?? 0) - before;
      if (listed !== layout.keys.length) throw new Error(`${layout.name}, K=${count}: listed ${listed}`);
      samples.push({ layout: layout.name, ranges: count, ms, requests, listed, parallel: shape.parallel });
      process.stderr.write(`round ${round + 1} ${layout.name} K=${count}: ${Math.round(ms)} ms, ${requests} requests\n`);
    }
  }
}
transport.destroy();
client.destroy();
direct.destroy();
await proxy.stop();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const lines = [
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load before: ${load}; ${rounds} rounds`,
  '',
  '| layout | K | median ms | min–max ms | × K=1 | LIST requests |',
  '|---|---|---|---|---|---|',
];
for (const layout of layouts) {
  const base = median(samples.filter((s) => s.layout === layout.name && s.ranges === 1).map((s) => s.ms));
  for (const count of RANGES) {
    const of = samples.filter((s) => s.layout === layout.name && s.ranges === count);
    const ms = of.map((s) => s.ms);
    const requests = [...new Set(of.map((s) => s.requests))].join('/');
    lines.push(`| ${layout.name} | ${count} | ${Math.round(median(ms))} | ${Math.round(Math.min(...ms))}–${Math.round(Math.max(...ms))} | ${(median(ms) / base).toFixed(2)} | ${requests} |`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);

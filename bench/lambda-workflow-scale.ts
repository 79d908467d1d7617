// The same 20,000-file archive synced through the local Step Functions workflow with 1, 4 and 16
// shards (tools/local-workflow, the harness the tests use), each into a fresh embedded server:
// bytes of the zip read by all invocations together, requests per shard, and wall time.
//   npm run build && node dist/bench/lambda-workflow-scale.js [--files 20000] [--out bench/results/…md]
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import yazl from 'yazl';
import type { HandlerResult, PlanResult } from '../src/lambda/handler.js';
import { runLocally } from '../tools/local-workflow/local-run.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '20000' }, out: { type: 'string' }, shards: { type: 'string', default: '1,4,16' } } });
const fileCount = Number(values.files);

async function makeArchive(count: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  // 1–8 KB files, as in the lambda-cost figure, of bytes that do not compress: the zip is about as
  // large as its files, so what the shards read can be compared with it.
  for (let i = 0; i < count; i++) zip.addBuffer(randomBytes(1024 + ((i * 7919) % 7168)), `site/d${i % 50}/f-${i}.bin`, { mtime, compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Row {
  shards: number;
  wallMs: number;
  zipBytesRead: number;
  zipGets: number;
  perShard: Array<{ index: number; requests: Record<string, number>; ms: number }>;
  planRequests: Record<string, number>;
  complete: boolean;
}

const zip = await makeArchive(fileCount);
const rows: Row[] = [];
for (const shards of values.shards.split(',').map(Number)) {
  const reads: number[] = [];
  const watch = (client: S3Client) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'GetObjectCommand' && (args.input as { Bucket?: string }).Bucket === 'incoming') {
          reads.push(Number((result.output as { ContentLength?: number }).ContentLength ?? 0));
        }
        return result;
      },
      { step: 'initialize', name: 'countZipBytes' },
    );
  // SHARD_ENTRIES = ⌈files / shards⌉ makes the plan pick this many shards (bytes are far below SHARD_BYTES).
  const run = await runLocally({ zip, key: 'huge/site.zip', planEnv: { SHARD_ENTRIES: String(Math.ceil(fileCount / shards)) }, onClient: watch, retryPauseMs: 0 });
  if (run.error) throw new Error(`${shards} shards: ${run.error.Error}: ${run.error.Cause}`);
  const output = run.output as PlanResult & { results: Array<{ complete: boolean }> };
  if (output.count !== shards) throw new Error(`planned ${output.count} shards, wanted ${shards}`);
  const plan = run.invocations.find((invocation) => invocation.state === 'Plan')!;
  rows.push({
    shards,
    wallMs: run.ms,
    zipBytesRead: reads.reduce((sum, n) => sum + n, 0),
    zipGets: reads.length,
    planRequests: (plan.result as PlanResult).requests,
    perShard: run.invocations
      .filter((invocation) => invocation.state === 'SyncShard')
      .map((invocation) => ({
        index: (invocation.payload as { shard: { index: number } }).shard.index,
        requests: (invocation.result as HandlerResult).archives[0]!.report!.requests,
        ms: invocation.ms,
      }))
      .sort((a, b) => a.index - b.index),
    complete: output.results.every((result) => result.complete),
  });
  process.stderr.write(`${shards} shards: ${run.ms} ms\n`);
}

const range = (numbers: number[]) => (Math.min(...numbers) === Math.max(...numbers) ? `${numbers[0]}` : `${Math.min(...numbers)}–${Math.max(...numbers)}`);
const lines = [
  `| shards | complete | zip bytes read (all invocations) | × archive (${zip.length.toLocaleString('en')} B) | GETs of the zip | plan requests | per shard: GetObject | per shard: HeadObject | per shard: PutObject | per shard: ListObjectsV2 | slowest shard s | wall s |`,
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((row) => {
    const per = (name: string) => range(row.perShard.map((shard) => shard.requests[name] ?? 0));
    return `| ${row.shards} | ${row.complete} | ${row.zipBytesRead.toLocaleString('en')} | ${(row.zipBytesRead / zip.length).toFixed(3)} | ${row.zipGets} | ${Object.entries(row.planRequests).map(([k, v]) => `${k} ${v}`).join(', ')} | ${per('GetObject')} | ${per('HeadObject')} | ${per('PutObject')} | ${per('ListObjectsV2')} | ${(Math.max(...row.perShard.map((shard) => shard.ms)) / 1000).toFixed(1)} | ${(row.wallMs / 1000).toFixed(1)} |`;
  }),
];
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
if (values.out) {
  writeFileSync(values.out, text);
  writeFileSync(values.out.replace(/\.md$/, '.json'), `${JSON.stringify({ files: fileCount, zipBytes: zip.length, rows }, null, 2)}\n`);
}

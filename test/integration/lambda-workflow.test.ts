import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { HandlerResult, PlanResult } from '../../src/lambda/handler.js';
import type { LogLine } from '../../src/lambda/log.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { localFunctions } from '../../tools/local-workflow/local-functions.js';
import { runWorkflow, type Invocation, type WorkflowOptions } from '../../tools/local-workflow/run-workflow.js';
import { ACTIONS_BY_REQUEST } from '../helpers/sam-template.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip, type ZipFileSpec } from '../helpers/zip-fixtures.js';

// examples/lambda/state-machine.asl.json itself, run by an Amazon States Language interpreter, each
// Lambda Task answered by the package's own handlers against the embedded server.
const INCOMING = 'incoming';
const TARGET = 'extracted';

/** EventBridge's "Object Created", the workflow's input in template.yaml. */
function objectCreated(key: string) {
  return { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: INCOMING }, object: { key } } };
}

function files(count: number, seed: string): ZipFileSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `d${i % 7}/f-${i}.txt`, data: `${seed} file ${i}\n`.repeat(1 + (i % 30)) }));
}

interface ZipRead {
  range: string | undefined;
  bytes: number;
}

describe('the Step Functions workflow (examples/lambda) in a local interpreter', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([INCOMING, TARGET]);
  });
  after(async () => {
    await s3?.close();
  });

  /** The package's handlers as the workflow's functions, each invocation with its own client, every GET of the zip recorded. */
  function workflow(env: { sync?: Record<string, string>; plan?: Record<string, string> } = {}) {
    const reads = new Map<S3Client, ZipRead[]>();
    const lines: LogLine[] = [];
    const functions = localFunctions({
      client: () => {
        const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
        const mine: ZipRead[] = [];
        reads.set(client, mine);
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const result = await next(args);
            const input = args.input as { Bucket?: string; Range?: string };
            if (context.commandName === 'GetObjectCommand' && input.Bucket === INCOMING) {
              mine.push({ range: input.Range, bytes: Number((result.output as { ContentLength?: number }).ContentLength ?? 0) });
            }
            return result;
          },
          { step: 'initialize', name: 'recordZipReads' },
        );
        return client;
      },
      syncEnv: { TARGET_BUCKET: TARGET, TARGET_PREFIX: 'out/{stem}/', FAIL_ON_INCOMPLETE: 'true', CONCURRENCY: '8', ...env.sync },
      planEnv: env.plan ?? {},
      log: (line) => lines.push(JSON.parse(JSON.stringify(line)) as LogLine),
    });
    const run = (input: unknown, options: Partial<WorkflowOptions> = {}) => runWorkflow({ input, functions, retryPauseMs: 0, ...options });
    return { run, reads: () => [...reads.values()].flat(), lines };
  }

  const syncs = (invocations: Invocation[]) => invocations.filter((invocation) => invocation.state === 'SyncShard');
  const resultOf = (invocation: Invocation) =>
    invocation.outcome === 'returned' ? (invocation.result as HandlerResult) : undefined;

  it('plans 5 shards for 401 files, syncs each in its own Map item, and the prefix holds every file byte-identical', async () => {
    // A 6 MiB stored entry first: the plan, which reads only the tail of the zip, reads far less than the zip.
    const specs = [{ name: 'big/blob.bin', data: randomBytes(6 * 1024 * 1024), compress: false }, ...files(400, 'map')];
    const zip = await makeZip(specs);
    const key = 'huge/site.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: zip }));
    const { run, reads } = workflow({ plan: { SHARD_ENTRIES: '100' } });

    const execution = await run(objectCreated(key));
    assert.equal(execution.error, undefined, JSON.stringify(execution.error));
    const output = execution.output as Omit<PlanResult, 'requests'> & { results: Array<{ complete: boolean; archives: HandlerResult['archives'] }> };
    assert.equal(output.count, 5, 'one shard per 100 files, 401 files');
    assert.equal(output.files, 401);
    assert.equal(output.bytes, specs.reduce((sum, spec) => sum + Buffer.byteLength(spec.data), 0));
    assert.deepEqual(output.results.map((result) => result.complete), [true, true, true, true, true]);

    const [plan, ...rest] = execution.invocations;
    assert.equal(plan!.state, 'Plan');
    const planned = plan!.result as PlanResult;
    assert.deepEqual(planned.shards.map(({ index, count }) => ({ index, count })), [0, 1, 2, 3, 4].map((index) => ({ index, count: 5 })));
    // Each shard has its run of the central directory: consecutive runs, together every record once, of this very object.
    const parts = planned.shards.map((shard) => shard.directory!);
    for (let i = 1; i < parts.length; i++) assert.equal(parts[i]!.offset, parts[i - 1]!.offset + parts[i - 1]!.size);
    assert.equal(parts.reduce((sum, part) => sum + part.entries, 0), 401);
    assert.equal(new Set(parts.map((part) => part.etag)).size, 1);
    assert.equal(planned.requests.HeadObject, 1);
    assert.deepEqual(Object.keys(planned.requests).sort(), ['GetObject', 'HeadObject']);
    // Each shard was invoked once, with the event the handler reads, and wrote only its own entries.
    assert.equal(rest.length, 5);
    assert.deepEqual(rest.map((invocation) => invocation.payload).sort((a, b) => (a as { shard: { index: number } }).shard.index - (b as { shard: { index: number } }).shard.index),
      planned.shards.map((shard) => ({ bucket: INCOMING, key, shard })));
    const counts = rest.map((invocation) => resultOf(invocation)!.archives[0]!.report!.counts);
    assert.equal(counts.reduce((sum, c) => sum + c.new, 0), 401);
    assert.ok(counts.every((c) => c.new > 0 && c.ignored === 0 && c.failed === 0), JSON.stringify(counts));
    assert.equal(rest.reduce((sum, invocation) => sum + (resultOf(invocation)!.archives[0]!.report!.requests.PutObject ?? 0), 0), 401, 'one PUT per file, no more');
    // Every request the functions sent is one template.yaml's IAM statements are derived from.
    const sent = new Set([...Object.keys(planned.requests), ...rest.flatMap((invocation) => Object.keys(resultOf(invocation)!.archives[0]!.report!.requests))]);
    const known = new Set([...Object.keys(ACTIONS_BY_REQUEST.source), ...Object.keys(ACTIONS_BY_REQUEST.target)]);
    assert.deepEqual([...sent].filter((request) => !known.has(request)), []);

    const stored = await listKeys(s3.client, TARGET, 'out/huge/site/');
    assert.equal(stored.size, 401);
    for (const spec of specs) assert.equal(await objectSha256(s3.client, TARGET, `out/huge/site/${spec.name}`), sha256(spec.data), spec.name);

    // The zip is only ever read by Range, as in production, and all shards together read it about once.
    const all = reads();
    assert.ok(all.every((read) => read.range?.startsWith('bytes=')), 'every GET of the zip is ranged');
    const planBytes = planned.requests.GetObject! > 0 ? all.slice(0, planned.requests.GetObject).reduce((sum, read) => sum + read.bytes, 0) : 0;
    assert.ok(planBytes < zip.length / 2, `the plan read ${planBytes} of ${zip.length} bytes`);
    const total = all.reduce((sum, read) => sum + read.bytes, 0);
    assert.ok(total <= 1.1 * zip.length, `all invocations read ${total} bytes of a ${zip.length}-byte zip: ${JSON.stringify(all.map((read) => read.range))}`);
  });

  it('16 shards read the zip at most 1.1 times in all: each reads its part of the central directory and its own entries', async () => {
    // Small files of random bytes: the directory is large beside each shard's entries, and a whole
    // directory (or a 2 MiB block) read by every shard would take the total far above 1.1×.
    const specs = Array.from({ length: 960 }, (_, i) => ({ name: `s/d${i % 9}/file-${i}.bin`, data: randomBytes(1000 + ((i * 131) % 2000)), compress: false }));
    const zip = await makeZip(specs);
    const key = 'huge/many.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: zip }));
    const { run, reads } = workflow({ plan: { SHARD_ENTRIES: '60' } });
    const execution = await run(objectCreated(key));
    assert.equal(execution.error, undefined, JSON.stringify(execution.error));
    assert.equal((execution.output as PlanResult).count, 16);
    const shards = syncs(execution.invocations);
    assert.equal(shards.reduce((sum, invocation) => sum + resultOf(invocation)!.archives[0]!.report!.counts.new, 0), 960);
    assert.equal((await listKeys(s3.client, TARGET, 'out/huge/many/')).size, 960);
    const total = reads().reduce((sum, read) => sum + read.bytes, 0);
    assert.ok(total <= 1.1 * zip.length, `all invocations read ${total} bytes of a ${zip.length}-byte zip (${(total / zip.length).toFixed(3)}×): ${JSON.stringify(reads().map((read) => read.range))}`);
  });

  it('a small archive runs as one shard', async () => {
    const key = 'huge/small.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(files(30, 'small')) }));
    const execution = await workflow().run(objectCreated(key));
    assert.equal(execution.error, undefined, JSON.stringify(execution.error));
    assert.equal((execution.output as PlanResult).count, 1);
    const shards = syncs(execution.invocations);
    assert.deepEqual(shards.map((invocation) => invocation.payload), [{ bucket: INCOMING, key, shard: { index: 0, count: 1 } }]);
    assert.equal((await listKeys(s3.client, TARGET, 'out/huge/small/')).size, 30);
  });

  it('each shard first runs out of time and throws IncompleteSync; the Retry re-runs it until complete, no file uploaded twice', async () => {
    const specs = files(240, 'deadline');
    const key = 'huge/slow.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(specs) }));
    const { run, lines } = workflow({ plan: { SHARD_ENTRIES: '80' } });
    // A first invocation has time for its first 20 questions, then 10 s left: below the 30 s margin.
    const contextFor: WorkflowOptions['contextFor'] = ({ attempt }) => {
      let asked = 0;
      return { getRemainingTimeInMillis: () => (attempt === 1 && asked++ >= 20 ? 10_000 : 600_000) };
    };

    const execution = await run(objectCreated(key), { contextFor });
    assert.equal(execution.error, undefined, JSON.stringify(execution.error));
    const shards = syncs(execution.invocations);
    const byShard = new Map<number, Invocation[]>();
    for (const invocation of shards) {
      const index = (invocation.payload as { shard: { index: number } }).shard.index;
      byShard.set(index, [...(byShard.get(index) ?? []), invocation]);
    }
    assert.deepEqual([...byShard.keys()].sort(), [0, 1, 2]);
    for (const [index, attempts] of byShard) {
      const first = attempts.find((invocation) => invocation.attempt === 1)!;
      assert.equal(first.outcome, 'threw', `shard ${index}`);
      assert.equal((first.result as Error).name, 'IncompleteSync');
      const last = attempts.at(-1)!;
      assert.equal(last.outcome, 'returned', `shard ${index}`);
      assert.equal(resultOf(last)!.complete, true);
    }
    assert.ok(shards.length >= 6, `${shards.length} invocations`);
    // Every file was written once, by whichever invocation got to it: the retries found the others Ignored.
    const written = lines.filter((line) => line.message === 'entry' && (line.action === 'new' || line.action === 'updated')).map((line) => line.key as string);
    assert.equal(written.length, 240);
    assert.equal(new Set(written).size, 240);
    assert.ok(lines.filter((line) => line.message === 'entry').every((line) => line.action === 'new'), 'nothing updated or failed');
    assert.equal((await listKeys(s3.client, TARGET, 'out/huge/slow/')).size, 240);
  });

  it('a zip missing when the shards run fails the execution with S3ZipSync.INVALID_OPTION, not retried', async () => {
    const key = 'huge/vanishing.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(files(60, 'gone')) }));
    const { run } = workflow({ plan: { SHARD_ENTRIES: '20' } });
    // The object is deleted between the plan and the shards (another writer, a lifecycle rule).
    const execution = await run(objectCreated(key), {
      functions: (() => {
        const fns = localFunctions({
          client: () => createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials }),
          syncEnv: { TARGET_BUCKET: TARGET, TARGET_PREFIX: 'out/{stem}/', FAIL_ON_INCOMPLETE: 'true' },
          planEnv: { SHARD_ENTRIES: '20' },
        });
        return {
          ...fns,
          PlanFunctionArn: async (payload, context) => {
            const planned = await fns.PlanFunctionArn(payload, context);
            await s3.client.send(new DeleteObjectCommand({ Bucket: INCOMING, Key: key }));
            return planned;
          },
        };
      })(),
    });
    assert.equal(execution.error?.Error, 'S3ZipSync.INVALID_OPTION');
    assert.match(JSON.parse(execution.error!.Cause).errorMessage, /zip not found: s3:\/\/incoming\/huge\/vanishing\.zip/);
    // No shard was retried: a Retry on IncompleteSync does not match a failure for good.
    assert.ok(syncs(execution.invocations).every((invocation) => invocation.attempt === 1 && invocation.outcome === 'threw'));

    // And a zip that is missing from the start fails at the plan, once, with the same code.
    const missing = await run(objectCreated('huge/never-there.zip'));
    assert.equal(missing.error?.Error, 'S3ZipSync.INVALID_OPTION');
    assert.deepEqual(missing.invocations.map((invocation) => invocation.state), ['Plan']);
  });

  it('a corrupt entry fails its shard with S3ZipSync.ENTRY_CORRUPT, naming the entry', async () => {
    const specs = files(60, 'corrupt').map((spec, i) => (i === 45 ? { name: 'd3/broken.bin', data: Buffer.from('A'.repeat(5000)), compress: false } : spec));
    const zip = await makeZip(specs);
    // One byte of the stored entry's data changed: the central directory is intact, its CRC32 no longer matches.
    const at = zip.indexOf(Buffer.from('A'.repeat(5000)));
    assert.ok(at > 0);
    zip[at + 2500] = 0x42;
    const key = 'huge/corrupt.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: zip }));
    const execution = await workflow({ plan: { SHARD_ENTRIES: '20' } }).run(objectCreated(key));
    assert.equal(execution.error?.Error, 'S3ZipSync.ENTRY_CORRUPT');
    assert.match(JSON.parse(execution.error!.Cause).errorMessage, /s3:\/\/incoming\/huge\/corrupt\.zip: out\/huge\/corrupt\/d3\/broken\.bin: corrupt entry/);
    const failing = syncs(execution.invocations).filter((invocation) => invocation.outcome === 'threw');
    assert.equal(failing.length, 1, 'the failing shard ran once: no retry');
  });
});

// `npm run bench:lambda`: peak memory and GET requests of the Lambda handler syncing a big zip that
// lives in S3 (the embedded s3rver on this machine), read with ranged GETs, never written to disk.
//
//   node dist/bench/lambda-memory.js [--small N] [--big N] [--big-mb M] [--heap-mb H] [--keep]
//
// --small N   small text-like files, deflated (default 4000, 200 B–20 KiB)
// --big N     large pseudo-random files, stored (default 20)
// --big-mb M  size of each large file in MiB (default 100): the defaults make a 2.1 GB zip
// --heap-mb H run the handler under node --max-old-space-size=H (how small a function it fits)
// --keep      keep the temporary folder (zip and server data)
//
// The zip is streamed to a temporary file, then PUT into the server's `incoming` bucket. The handler
// runs in a child process (bench/lambda-child.ts) configured only by environment variables, as in
// Lambda; its peak RSS is the kernel's high-water mark (getrusage). It runs twice: first sync (all new)
// and no-change re-run (all ignored). Figures are printed only after counts and bytes are checked.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import yazl from 'yazl';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../src/s3/create-client.js';
import { DEFAULT_S3_READER } from '../src/zip/s3-random-access-reader.js';
import { createRng } from './engine/rng.js';

const MiB = 1024 * 1024;
const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    small: { type: 'string', default: '4000' },
    big: { type: 'string', default: '20' },
    'big-mb': { type: 'string', default: '100' },
    'heap-mb': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const smallCount = count(flags.small, '--small');
const bigCount = count(flags.big, '--big');
const bigBytes = count(flags['big-mb'], '--big-mb') * MiB;
const totalFiles = smallCount + bigCount;
const heapMiB = flags['heap-mb'] === undefined ? undefined : count(flags['heap-mb'], '--heap-mb');
const childPath = fileURLToPath(new URL('./lambda-child.js', import.meta.url));

function count(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a non-negative integer, got ${text}`);
  return value;
}

const WORDS = 'the of and to in is for on that with sync zip bucket prefix object key upload stream entry archive server request'.split(' ');

function smallContent(index: number): Buffer {
  const random = createRng(0x1a3b0000 + index);
  const size = 200 + Math.floor(random() * (20 * 1024 - 200));
  let text = '';
  while (text.length < size) text += `${WORDS[Math.floor(random() * WORDS.length)]}${random() < 0.1 ? '\n' : ' '}`;
  return Buffer.from(text.slice(0, size), 'latin1');
}

/** Incompressible, deterministic (AES-128-CTR keystream), hashed as produced. */
function bigContent(index: number, hash: Hash): Readable {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, index + 1), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(MiB);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= bigBytes) return void this.push(null);
      const chunk = cipher.update(zeros.subarray(0, Math.min(MiB, bigBytes - produced)));
      produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

/** Big files spread among the small ones, as in a real build output. */
async function writeZip(path: string): Promise<{ bigHashes: Map<string, Hash>; sizes: Map<string, number> }> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  const bigHashes = new Map<string, Hash>();
  const sizes = new Map<string, number>();
  const every = Math.max(1, Math.floor(smallCount / Math.max(bigCount, 1)));
  let big = 0;
  for (let i = 0; i < smallCount || big < bigCount; i++) {
    if (big < bigCount && (i % every === 0 || i >= smallCount)) {
      const name = `blobs/big-${String(big).padStart(3, '0')}.bin`;
      const hash = createHash('sha256');
      const index = big++;
      bigHashes.set(name, hash);
      sizes.set(name, bigBytes);
      zip.addReadStreamLazy(name, { mtime, compress: false, size: bigBytes }, (cb) => cb(null, bigContent(index, hash)));
    }
    if (i < smallCount) {
      const data = smallContent(i);
      const name = `site/d${String(Math.floor(i / 100)).padStart(3, '0')}/f-${i}.txt`;
      sizes.set(name, data.length);
      zip.addBuffer(data, name, { mtime });
    }
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return { bigHashes, sizes };
}

interface ChildResult {
  wallSeconds: number;
  maxRssKiB: number;
  result: {
    complete: boolean;
    archives: Array<{ report?: { counts: Record<string, number>; requests: Record<string, number>; bytesUploaded: number; elapsedMs: number }; error?: unknown }>;
  };
}

async function runHandler(env: NodeJS.ProcessEnv, event: unknown): Promise<ChildResult> {
  const started = performance.now();
  const nodeOptions = heapMiB === undefined ? [] : [`--max-old-space-size=${heapMiB}`];
  const child = spawn(process.execPath, [...nodeOptions, childPath, JSON.stringify(event)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.includes('"type":"bench-result"')) last = line;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0 || !last) throw new Error(`handler child exited with ${code}`);
  const parsed = JSON.parse(last) as Omit<ChildResult, 'wallSeconds'>;
  return { ...parsed, wallSeconds: (performance.now() - started) / 1000 };
}

async function sha256Of(client: S3Client, bucket: string, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const work = mkdtempSync(join(os.tmpdir(), 's3zipsync-lambda-bench-'));
const server = await startLocalS3({ directory: join(work, 's3'), buckets: ['incoming', 'target'] });
const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
try {
  const zipPath = join(work, 'bench.zip');
  let started = performance.now();
  const { bigHashes, sizes } = await writeZip(zipPath);
  const bytesOfFiles = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  const zipBytes = statSync(zipPath).size;
  process.stderr.write(`zip: ${zipBytes} bytes, ${totalFiles} files, written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  started = performance.now();
  await new Upload({ client, params: { Bucket: 'incoming', Key: 'drops/bench.zip', Body: createReadStream(zipPath), ContentLength: zipBytes }, partSize: 64 * MiB, queueSize: 2 }).done();
  process.stderr.write(`stored as s3://incoming/drops/bench.zip in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  // The handler reads only S3, as in Lambda: the local copy goes before it runs.
  rmSync(zipPath);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: server.endpoint,
    TARGET_BUCKET: 'target',
    TARGET_PREFIX: 'extracted/{stem}/',
  };
  const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'incoming' }, object: { key: 'drops/bench.zip' } } }] };
  const rows: Array<[string, ChildResult]> = [];
  for (const run of ['first (all new)', 'no change (all ignored)']) {
    process.stderr.write(`running the handler: ${run}…\n`);
    rows.push([run, await runHandler(env, event)]);
  }

  const problems: string[] = [];
  const [first, second] = [rows[0]![1], rows[1]![1]];
  const counts = (result: ChildResult) => result.result.archives[0]?.report?.counts ?? {};
  if (!first.result.complete || counts(first).new !== totalFiles) problems.push(`first run: ${JSON.stringify(first.result.archives[0])}`);
  if (!second.result.complete || counts(second).ignored !== totalFiles) problems.push(`re-run: ${JSON.stringify(second.result.archives[0])}`);
  // One HEAD per file rather than a listing: s3rver lists in filesystem order, and its continuation
  // token can then skip keys.
  let stored = 0;
  let storedBytes = 0;
  const limit = pLimit(16);
  await Promise.all(
    [...sizes.keys()].map((name) =>
      limit(async () => {
        const head = await client.send(new HeadObjectCommand({ Bucket: 'target', Key: `extracted/drops/bench/${name}` })).catch(() => undefined);
        if (head?.ContentLength === sizes.get(name)) stored++;
        storedBytes += head?.ContentLength ?? 0;
      }),
    ),
  );
  if (stored !== totalFiles || storedBytes !== bytesOfFiles) problems.push(`target holds ${stored} objects of the right size, ${storedBytes} bytes; expected ${totalFiles}, ${bytesOfFiles}`);
  const [checkName, checkHash] = [...bigHashes][bigHashes.size - 1] ?? [];
  if (checkName && checkHash) {
    const read = await sha256Of(client, 'target', `extracted/drops/bench/${checkName}`);
    if (read !== checkHash.digest('hex')) problems.push(`sha256 of ${checkName} read back differs`);
  }
  if (problems.length) throw new Error(`not trusted: ${problems.join('; ')}`);

  const out: string[] = [];
  out.push(`zip: ${(zipBytes / 1e9).toFixed(2)} GB (${zipBytes} bytes), ${smallCount} small deflated files + ${bigCount} × ${bigBytes / MiB} MiB stored; reader: ${DEFAULT_S3_READER.blockSize / MiB} MiB blocks × ${DEFAULT_S3_READER.cachedBlocks}, ${DEFAULT_S3_READER.streamChunkSize / MiB} MiB stream chunks`);
  out.push(`node ${process.version}${heapMiB === undefined ? '' : ` --max-old-space-size=${heapMiB}`}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, s3rver on the same host`);
  out.push('');
  out.push('| run | wall s | peak RSS MB | GetObject | GET per file | all requests |');
  out.push('|---|---|---|---|---|---|');
  for (const [run, result] of rows) {
    const report = result.result.archives[0]!.report!;
    const gets = report.requests.GetObject ?? 0;
    const all = Object.entries(report.requests).map(([op, n]) => `${op} ${n}`).join(', ');
    out.push(`| ${run} | ${result.wallSeconds.toFixed(1)} | ${(result.maxRssKiB / 1024).toFixed(0)} | ${gets} | ${(gets / totalFiles).toFixed(3)} | ${all} |`);
  }
  out.push('');
  out.push(`verified: counts, ${stored} objects and ${storedBytes} bytes in the target, sha256 of ${checkName} read back`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  client.destroy();
  await server.stop();
  if (flags.keep) process.stderr.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}

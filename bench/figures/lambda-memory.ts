// `npm run bench:lambda`: peak memory and GET requests of the Lambda handler syncing a big zip that
// lives in S3 (the embedded s3rver on this machine), read with ranged GETs, never written to disk.
//
// The zip is streamed to a temporary file, then PUT into the server's `incoming` bucket. The handler
// runs in a child process (bench/lambda-child.ts) configured only by environment variables, as in
// Lambda; its peak RSS is the kernel's high-water mark (getrusage). It runs twice: first sync (all new)
// and no-change re-run (all ignored).
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import yazl from 'yazl';
import { DEFAULT_S3_READER } from '../../src/internal.js';
import { createRng } from '../engine/rng.js';
import { pseudoRandomStream, textLikeBytes } from '../fixtures/content.js';
import { hashObject } from '../fixtures/verify-stored.js';
import { defineFigure } from '../harness/figure.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { formatRequests } from '../harness/requests.js';
import { renderTable } from '../harness/table.js';
import { FIXTURE_MTIME, writeZipFile } from '../harness/zip.js';

const MiB = 1024 * 1024;
const CHILD_PATH = fileURLToPath(new URL('../lambda-child.js', import.meta.url));
const TARGET_PREFIX = 'extracted/drops/bench/';

/** Big files spread among the small ones, as in a real build output; sizes of all, sha256 of the big ones. */
async function writeZip(path: string, smallCount: number, bigCount: number, bigBytes: number): Promise<{ bigHashes: Map<string, Hash>; sizes: Map<string, number> }> {
  const zip = new yazl.ZipFile();
  const bigHashes = new Map<string, Hash>();
  const sizes = new Map<string, number>();
  const every = Math.max(1, Math.floor(smallCount / Math.max(bigCount, 1)));
  let big = 0;
  for (let i = 0; i < smallCount || big < bigCount; i++) {
    if (big < bigCount && (i % every === 0 || i >= smallCount)) {
      const name = `blobs/big-${String(big).padStart(3, '0')}.bin`;
      const hash = createHash('sha256');
      const seed = 1 + big++;
      bigHashes.set(name, hash);
      sizes.set(name, bigBytes);
      zip.addReadStreamLazy(name, { mtime: FIXTURE_MTIME, compress: false, size: bigBytes }, (cb) => cb(null, pseudoRandomStream(bigBytes, seed, (chunk) => hash.update(chunk))));
    }
    if (i < smallCount) {
      const data = textLikeBytes(200 + Math.floor(createRng(0x1a3b0000 + i)() * (20 * 1024 - 200)), 0x1a3c0000 + i);
      const name = `site/d${String(Math.floor(i / 100)).padStart(3, '0')}/f-${i}.txt`;
      sizes.set(name, data.length);
      zip.addBuffer(data, name, { mtime: FIXTURE_MTIME });
    }
  }
  await writeZipFile(zip, path);
  return { bigHashes, sizes };
}

interface HandlerRun {
  run: string;
  wallSeconds: number;
  maxRssKiB: number;
  result: {
    complete: boolean;
    archives: Array<{ report?: { counts: Record<string, number>; requests: Record<string, number>; bytesUploaded: number; elapsedMs: number }; error?: unknown }>;
  };
}

async function runHandler(run: string, env: NodeJS.ProcessEnv, event: unknown, heapMiB: number | undefined): Promise<HandlerRun> {
  const started = performance.now();
  const nodeOptions = heapMiB === undefined ? [] : [`--max-old-space-size=${heapMiB}`];
  const child = spawn(process.execPath, [...nodeOptions, CHILD_PATH, JSON.stringify(event)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const parsed = JSON.parse(last) as Omit<HandlerRun, 'wallSeconds' | 'run'>;
  return { ...parsed, run, wallSeconds: (performance.now() - started) / 1000 };
}

interface Measured {
  zipBytes: number;
  files: number;
  bytesOfFiles: number;
  runs: HandlerRun[];
  /** Objects in the target of the right size, and their bytes, by one HEAD each. */
  storedRightSize: number;
  storedBytes: number;
  /** The last big file read back: its name, and whether its sha256 matches the source. */
  checked: { name: string; matches: boolean } | null;
}

const flags = {
  small: { type: 'integer', default: 4000, describe: 'small text-like files, deflated (200 B–20 KiB)' },
  big: { type: 'integer', default: 20, describe: 'large pseudo-random files, stored' },
  'big-mb': { type: 'integer', default: 100, describe: 'size of each large file in MiB (the defaults make a 2.1 GB zip)' },
  'heap-mb': { type: 'integer', min: 1, describe: 'run the handler under node --max-old-space-size (how small a function it fits)' },
} as const;

export const figure = defineFigure({
  name: 'lambda',
  title: 's3zipsync Lambda handler: peak memory and GETs on a zip in S3 (embedded s3rver)',
  flags,
  async run(f, context): Promise<Measured> {
    return withLocalS3({ buckets: ['incoming', 'target'], keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      const zipPath = join(s3.workDir, 'bench.zip');
      let started = performance.now();
      const { bigHashes, sizes } = await writeZip(zipPath, f.small, f.big, f['big-mb'] * MiB);
      const zipBytes = statSync(zipPath).size;
      context.log(`zip: ${zipBytes} bytes, ${sizes.size} files, written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      started = performance.now();
      await new Upload({ client: s3.client, params: { Bucket: 'incoming', Key: 'drops/bench.zip', Body: createReadStream(zipPath), ContentLength: zipBytes }, partSize: 64 * MiB, queueSize: 2 }).done();
      context.log(`stored as s3://incoming/drops/bench.zip in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      // The handler reads only S3, as in Lambda: the local copy goes before it runs.
      rmSync(zipPath);

      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        AWS_ACCESS_KEY_ID: s3.server.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.server.credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        TARGET_BUCKET: 'target',
        TARGET_PREFIX: 'extracted/{stem}/',
      };
      const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'incoming' }, object: { key: 'drops/bench.zip' } } }] };
      const runs: HandlerRun[] = [];
      for (const run of ['first (all new)', 'no change (all ignored)']) {
        context.log(`running the handler: ${run}…`);
        runs.push(await runHandler(run, env, event, f['heap-mb']));
      }
      // One HEAD per file rather than a listing: s3rver lists in filesystem order, and its continuation
      // token can then skip keys.
      let storedRightSize = 0;
      let storedBytes = 0;
      const limit = pLimit(16);
      await Promise.all(
        [...sizes].map(([name, size]) =>
          limit(async () => {
            const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'target', Key: `${TARGET_PREFIX}${name}` })).catch(() => undefined);
            if (head?.ContentLength === size) storedRightSize++;
            storedBytes += head?.ContentLength ?? 0;
          }),
        ),
      );
      const [name, hash] = [...bigHashes].at(-1) ?? [];
      const checked = name && hash ? { name, matches: (await hashObject(s3.client, 'target', `${TARGET_PREFIX}${name}`)).sha256 === hash.digest('hex') } : null;
      const bytesOfFiles = [...sizes.values()].reduce((sum, size) => sum + size, 0);
      return { zipBytes, files: sizes.size, bytesOfFiles, runs, storedRightSize, storedBytes, checked };
    });
  },
  verify(measured) {
    const problems: string[] = [];
    const [first, second] = measured.runs;
    const counts = (run: HandlerRun | undefined) => run?.result.archives[0]?.report?.counts ?? {};
    if (!first?.result.complete || counts(first).new !== measured.files) problems.push(`first run: ${JSON.stringify(first?.result.archives[0])}`);
    if (!second?.result.complete || counts(second).ignored !== measured.files) problems.push(`re-run: ${JSON.stringify(second?.result.archives[0])}`);
    if (measured.storedRightSize !== measured.files || measured.storedBytes !== measured.bytesOfFiles) {
      problems.push(`target holds ${measured.storedRightSize} objects of the right size, ${measured.storedBytes} bytes; expected ${measured.files}, ${measured.bytesOfFiles}`);
    }
    if (measured.checked && !measured.checked.matches) problems.push(`sha256 of ${measured.checked.name} read back differs`);
    return problems;
  },
  report(measured, f) {
    const reader = `${DEFAULT_S3_READER.blockSize / MiB} MiB blocks × ${DEFAULT_S3_READER.cachedBlocks}, ${DEFAULT_S3_READER.streamChunkSize / MiB} MiB stream chunks`;
    const rows = measured.runs.map((run) => {
      const report = run.result.archives[0]?.report;
      const gets = report?.requests.GetObject ?? 0;
      return [run.run, run.wallSeconds.toFixed(1), (run.maxRssKiB / 1024).toFixed(0), String(gets), (gets / measured.files).toFixed(3), report ? formatRequests(report.requests) : '—'];
    });
    return [
      `- zip: ${(measured.zipBytes / 1e9).toFixed(2)} GB (${measured.zipBytes} bytes), ${f.small} small deflated files + ${f.big} × ${f['big-mb']} MiB stored; reader: ${reader}`,
      `- handler: node${f['heap-mb'] === undefined ? '' : ` --max-old-space-size=${f['heap-mb']}`}, in a child process configured by its environment only`,
      '',
      ...renderTable(['run', 'wall s', 'peak RSS MB', 'GetObject', 'GET per file', 'all requests'], rows),
      '',
      `- checked: counts, ${measured.storedRightSize} objects and ${measured.storedBytes} bytes in the target${measured.checked ? `, sha256 of ${measured.checked.name} read back` : ''}`,
    ].join('\n');
  },
});

// `npm run bench:mirror`: a mirror run of the real CLI against the embedded server (s3rver): an
// archive of 2,000 files (plus 3 junk entries) replaces a prefix that holds 3,000 objects of an older
// build. Prints the run's output (head and tail), its wall time and S3 requests, after checking
// that the prefix holds exactly the archive's files and that nothing outside it was touched.
//
//   node dist/bench/mirror-figures.js [--archive N] [--old M] [--overlap K] [--keep]
//
// --archive N  files in the new archive (default 2000)
// --old M      objects under the prefix before the run (default 3000); the first K share names
// --overlap K  with archive files (default 1000): half of them unchanged, half with a new size
// --keep       keep the temporary folder (zip and server data) and print where it is
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import yazl from 'yazl';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../src/s3/create-client.js';

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    archive: { type: 'string', default: '2000' },
    old: { type: 'string', default: '3000' },
    overlap: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const archiveCount = positiveInteger(flags.archive, '--archive');
const oldCount = positiveInteger(flags.old, '--old');
const overlap = positiveInteger(flags.overlap, '--overlap');
if (overlap > archiveCount || overlap > oldCount) fail('--overlap cannot exceed --archive or --old');

const BUCKET = 'mirror-bench';
const PREFIX = 'site/';
const JUNK = ['.DS_Store', 'p000/.DS_Store', '__MACOSX/p000/._f00000.txt'];
const SIBLING_KEYS = Array.from({ length: 100 }, (_, i) => `site-old/f${i}.txt`);
const OUTSIDE_KEY = 'sitemap.xml';
const cliPath = fileURLToPath(new URL('../bin/s3zipsync.js', import.meta.url));

/** Archive file i lives in folder p<i/100>; the old build's other files in folders that no longer exist. */
const archiveName = (i: number) => `p${String(Math.floor(i / 100)).padStart(3, '0')}/f${String(i).padStart(5, '0')}.txt`;
const staleName = (i: number) => `old${String(Math.floor(i / 100)).padStart(3, '0')}/f${String(i).padStart(5, '0')}.txt`;
const content = (i: number, version: 'old' | 'new') => `file ${i} ${version === 'new' && i >= overlap / 2 ? 'rebuilt with more bytes' : 'as before'}\n`;

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-mirror-bench-'));
  const server = await startLocalS3({ directory: join(workDir, 's3'), buckets: [BUCKET] });
  // The SDK's "future versions need Node 22" notice, which the CLI silences the same way.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  try {
    const zipPath = join(workDir, 'site.zip');
    writeFileSync(zipPath, await buildZip());
    const oldKeys = Array.from({ length: oldCount }, (_, i) => PREFIX + (i < overlap ? archiveName(i) : staleName(i)));
    const seeded = performance.now();
    const limit = pLimit(16);
    await Promise.all(
      [...oldKeys.map((key, i) => [key, content(i, 'old')] as const), ...SIBLING_KEYS.map((key) => [key, 'sibling'] as const), [OUTSIDE_KEY, 'outside'] as const].map(([Key, Body]) =>
        limit(() => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))),
      ),
    );
    process.stdout.write(
      `Seeded s3://${BUCKET}/${PREFIX} with ${oldCount} objects (${overlap} share names with the archive), plus ${SIBLING_KEYS.length} under site-old/ and ${OUTSIDE_KEY}, in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`,
    );
    process.stdout.write(`Archive: ${archiveCount} files + ${JUNK.length} junk entries (${JUNK.join(', ')})\n\n`);

    // The caller's S3ZIPSYNC_* settings (read by the CLI through yargs) must not change the run.
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('S3ZIPSYNC_') && !name.startsWith('AWS_'))),
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: server.endpoint,
      AWS_PROFILE: '',
      NODE_OPTIONS: '',
    };
    const args = [zipPath, '--bucket', BUCKET, '--prefix', 'site', '--delete'];
    const problems: string[] = [];

    // 1. The default --max-delete (1,000) refuses: exit 2, nothing written.
    const refused = await run(args, env);
    report('1. default --max-delete', args, refused);
    if (refused.code !== 2) problems.push(`refused run: exit ${refused.code}, expected 2`);
    const oldKeySet = new Set(oldKeys);
    const afterRefusal = await listAll(client, PREFIX);
    if (afterRefusal.length !== oldCount || afterRefusal.some((key) => !oldKeySet.has(key))) problems.push('the refused run changed the prefix');

    // 2. The mirror run.
    const mirrorArgs = [...args, '--max-delete', String(oldCount)];
    const mirror = await run(mirrorArgs, env);
    report('2. mirror', mirrorArgs, mirror);
    if (mirror.code !== 0) problems.push(`mirror run: exit ${mirror.code}`);
    const expected = Array.from({ length: archiveCount }, (_, i) => PREFIX + archiveName(i)).sort();
    const stored = (await listAll(client, PREFIX)).sort();
    if (stored.length !== expected.length || stored.some((key, i) => key !== expected[i])) {
      problems.push(`prefix holds ${stored.length} keys; expected exactly the ${expected.length} archive files`);
    }
    const siblings = await listAll(client, 'site-old/');
    if (siblings.length !== SIBLING_KEYS.length) problems.push(`site-old/ holds ${siblings.length} keys, expected ${SIBLING_KEYS.length}`);
    if (!(await listAll(client, OUTSIDE_KEY)).includes(OUTSIDE_KEY)) problems.push(`${OUTSIDE_KEY} is gone`);
    const stale = oldCount - overlap;
    const lines = mirror.stdout.split('\n');
    const count = (start: string) => lines.filter((line) => line.startsWith(start)).length;
    const expectCount = (what: string, got: number, want: number) => {
      if (got !== want) problems.push(`${what}: ${got} lines, expected ${want}`);
    };
    expectCount('Deleted!', count('Deleted! '), stale);
    expectCount('New!', count('New! '), archiveCount - overlap);
    expectCount('Updated!', count('Updated! '), overlap - Math.floor(overlap / 2));
    expectCount('Ignored', count('Ignored '), Math.floor(overlap / 2));
    expectCount('Excluded', count('Excluded '), JUNK.length);

    process.stdout.write(
      problems.length
        ? `NOT VERIFIED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`
        : `Verified: s3://${BUCKET}/${PREFIX} holds exactly the ${archiveCount} archive files; site-old/ (${SIBLING_KEYS.length}) and ${OUTSIDE_KEY} untouched; output lines agree with the summary.\n`,
    );
    process.stdout.write(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, s3rver on the same host\n`);
    if (problems.length) process.exitCode = 1;
  } finally {
    client.destroy();
    await server.stop();
    if (flags.keep) process.stdout.write(`kept ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

function buildZip(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (let i = 0; i < archiveCount; i++) zip.addBuffer(Buffer.from(content(i, 'new')), archiveName(i), { mtime });
  for (const name of JUNK) zip.addBuffer(Buffer.from('junk'), name, { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.once('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.once('error', reject);
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}

function report(title: string, args: string[], result: Run): void {
  const shown = args.map((arg) => (arg.endsWith('.zip') ? 'site.zip' : arg)).join(' ');
  process.stdout.write(`## ${title}: s3zipsync ${shown}\nexit ${result.code}, ${result.seconds.toFixed(1)} s wall\n`);
  const lines = result.stdout.trimEnd().split('\n').filter(Boolean);
  const firstOf = (start: string) => lines.filter((line) => line.startsWith(start)).slice(0, 2);
  const sample = [...firstOf('New! '), ...firstOf('Updated! '), ...firstOf('Ignored '), ...firstOf('Excluded '), ...firstOf('Deleted! ')];
  const summaryAt = lines.findIndex((line) => line.startsWith('Summary: '));
  if (sample.length) process.stdout.write(`stdout (2 lines of each kind, then the summary):\n${sample.map((l) => `  ${l}`).join('\n')}\n  …\n`);
  if (summaryAt >= 0) process.stdout.write(`${lines.slice(summaryAt).map((l) => `  ${l}`).join('\n')}\n`);
  if (result.stderr.trim()) process.stdout.write(`stderr:\n${result.stderr.trimEnd().split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write('\n');
}

async function listAll(client: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

function positiveInteger(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`mirror-figures: ${message}\n`);
  process.exit(2);
}

await main();

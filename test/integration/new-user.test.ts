import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { NOT_A_ZIP, makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'new-user';

/** `s3zipsync ARGS 2>&1 | head -1` as a shell runs it: both streams into one pipe its reader closes after a line. */
async function intoHeadOne(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; firstLine: string }> {
  const child = spawn('bash', ['-c', '"$@" 2>&1 | head -1; exit "${PIPESTATUS[0]}"', 'pipeline', process.execPath, CLI, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  return { code, firstLine: out };
}

/** What a new user trips on (issue 28), each case through the real binary. */
describe('what a new user trips on', () => {
  let s3: TestS3;
  let dir: string;
  let smallZip: string;
  let manyZip: string;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-new-user-'));
    smallZip = join(dir, 'small.zip');
    writeFileSync(smallZip, await makeZip([{ name: 'a.txt', data: 'a' }]));
    manyZip = join(dir, 'many.zip');
    writeFileSync(manyZip, await makeZip(Array.from({ length: 400 }, (_, i) => ({ name: `f/${i}.txt`, data: `file ${i}` }))));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('`2>&1 | head -1`: the closed-stdout notice hitting the closed pipe does not stop the sync (every file stored, exit 0)', async () => {
    const run = await intoHeadOne([manyZip, '--bucket', BUCKET, '--prefix', 'epipe-both'], s3.env);
    assert.match(run.firstLine, /^New! epipe-both\/f\/\d+\.txt \(\d+ bytes\)\n$/);
    assert.equal(run.code, 0);
    assert.equal((await listKeys(s3.client, BUCKET, 'epipe-both/')).size, 400);
  });

  it('`notzip.zip --json 2>&1 | head -1` still exits 2, with the one line first', async () => {
    const notZip = join(dir, 'notzip.zip');
    writeFileSync(notZip, NOT_A_ZIP);
    const run = await intoHeadOne([notZip, '--bucket', BUCKET, '--json'], s3.env);
    assert.match(run.firstLine, /^s3zipsync: not a valid zip archive/);
    assert.equal(run.code, 2);
  });
});

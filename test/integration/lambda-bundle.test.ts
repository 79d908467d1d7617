import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip } from '../helpers/zip-fixtures.js';

// The bundler script is plain JS shared with users; typed here by what the test uses.
const { bundleHandler } = (await import(pathToFileURL(path.resolve('examples/lambda/bundle.mjs')).href)) as {
  bundleHandler(options: { outfile: string; sdkExternal?: boolean }): Promise<{ inputs: Record<string, unknown> }>;
};

const CLI_ONLY = ['yargs', 'cli-progress', 'bytes', 's3rver', 'yazl'];

describe('the bundled lambda handler', () => {
  let s3: TestS3;
  let tmp: string;
  before(async () => {
    s3 = await startTestS3(['incoming', 'target']);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's3zipsync-bundle-'));
  });
  after(async () => {
    await s3?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is what the package exports as s3zipsync/lambda (the built handler, next to "." for the library)', async () => {
    const lambda = await import('s3zipsync/lambda');
    const library = await import('s3zipsync');
    assert.equal(typeof lambda.handler, 'function');
    assert.equal(typeof lambda.createHandler, 'function');
    assert.equal(typeof library.syncZip, 'function');
  });

  it('contains no CLI-only dependency and syncs a zip from S3 as one file', async () => {
    const outfile = path.join(tmp, 'index.mjs');
    const metafile = await bundleHandler({ outfile });
    const packages = new Set(Object.keys(metafile.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    for (const name of CLI_ONLY) assert.ok(!packages.has(name), `${name} is in the lambda bundle`);
    assert.ok(packages.has('yauzl') && packages.has('@aws-sdk/client-s3'));

    await s3.client.send(new PutObjectCommand({ Bucket: 'incoming', Key: 'b.zip', Body: await makeZip([{ name: 'x.txt', data: 'x' }, { name: 'y/z.txt', data: 'z' }]) }));
    // The bundle builds its own client from the standard environment, as it would in Lambda.
    Object.assign(process.env, s3.env, { TARGET_BUCKET: 'target', TARGET_PREFIX: 'from-bundle/{name}/' });
    const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: (event: unknown) => Promise<{ complete: boolean }> };
    const write = process.stdout.write;
    const lines: string[] = [];
    process.stdout.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stdout.write;
    let result: { complete: boolean };
    try {
      result = await handler({ bucket: 'incoming', key: 'b.zip' });
    } finally {
      process.stdout.write = write;
    }
    assert.equal(result.complete, true);
    assert.deepEqual([...(await listKeys(s3.client, 'target', 'from-bundle/')).keys()].sort(), ['from-bundle/b/x.txt', 'from-bundle/b/y/z.txt']);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `log line is JSON: ${line}`);
    assert.ok(lines.some((line) => JSON.parse(line).message === 'summary'));
  });
});

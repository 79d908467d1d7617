import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'credentials-bucket';

// s3rver accepts any signature for its one access key; radosgw checks SigV4 as AWS does.
describe('credentials a real S3 refuses (radosgw)', { skip: onlyOn('rgw', 'only a server that checks signatures can refuse a wrong secret key') }, () => {
  let s3: TestS3;
  let dir: string;
  let zip: string;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-rgw-credentials-'));
    zip = join(dir, 'site.zip');
    writeFileSync(zip, await makeZip([{ name: 'index.html', data: '<h1>hi</h1>' }]));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<{ name: string; env: () => Record<string, string>; error: string }> = [
    { name: 'a wrong secret key', env: () => ({ AWS_SECRET_ACCESS_KEY: 'wrong-secret-0123456789abcdefghijklmnop' }), error: 'SignatureDoesNotMatch' },
    { name: 'an unknown access key', env: () => ({ AWS_ACCESS_KEY_ID: 'RGWUNKNOWN0000000000' }), error: 'InvalidAccessKeyId' },
  ];
  for (const { name, env, error } of cases) {
    it(`${name} is refused: exit 2, one line naming ${error}, no secret printed, nothing written`, async () => {
      const overrides = env();
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'site'], { ...s3.env, ...overrides });
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`^s3zipsync: invalid credentials for bucket ${BUCKET}: ${error}`));
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
      const secrets = [s3.credentials.secretAccessKey, overrides.AWS_SECRET_ACCESS_KEY].filter((s): s is string => Boolean(s));
      for (const secret of secrets) assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret), 'no secret key in the output');
      assert.equal((await listKeys(s3.client, BUCKET)).size, 0);
    });
  }
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CREATE_CLIENT = new URL('../../src/s3/create-client.ts', import.meta.url).href;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
// The SDK warns on every Node below this major (see @aws-sdk/core's emitWarningIfUnsupportedVersion).
const SDK_WARNS_BELOW = 22;

/** Builds a client in a fresh process, as a library user would, and returns what it wrote to stderr. */
function stderrOfClientIn(script: string): string {
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env,
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stderr;
}

test('a client from createS3Client prints no SDK Node-version warning, without the environment variable', () => {
  const stderr = stderrOfClientIn(
    `import { createS3Client } from ${JSON.stringify(CREATE_CLIENT)};
     createS3Client({ region: 'us-east-1' }).destroy();
     process.emitWarning('control: warnings still print');`,
  );
  assert.doesNotMatch(stderr, /NodeVersionSupportWarning/);
  // Only the SDK's warning is kept off: the host's own warnings are untouched.
  assert.match(stderr, /control: warnings still print/);
});

test('the SDK itself still warns on this Node, so the test above can fail', { skip: NODE_MAJOR >= SDK_WARNS_BELOW ? `Node ${NODE_MAJOR} is supported by the SDK: it prints no warning to silence` : false }, () => {
  const stderr = stderrOfClientIn(`import { S3Client } from '@aws-sdk/client-s3'; new S3Client({ region: 'us-east-1' }).destroy();`);
  assert.match(stderr, /NodeVersionSupportWarning/);
});

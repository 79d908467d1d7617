import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationMistake } from '../../bin/destination.js';
import { closestFlag, flagsOf, unknownEnvFlags, unknownFlagsIn } from '../../bin/known-flags.js';
import { parseCount } from '../../bin/parse-count.js';
import { formatSize, parseSize } from '../../tools/parse-size.js';
import { stoppingMessage } from '../../bin/stopping-message.js';
import { syncCommand } from '../../bin/commands/sync.js';

const context = { stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal, receivedSignal: () => undefined, setExitCode: () => {} };

describe('flags of the sync command, read from yargs', () => {
  const flags = flagsOf(syncCommand(context));
  it('lists declared flags and their aliases; suggestions use canonical names only', () => {
    for (const flag of ['bucket', 'dry-run', 'max-entry-size', 'name-encoding', 'normalize-names', 'endpoint-url']) assert.ok(flags.all.includes(flag), flag);
    assert.ok(flags.all.includes('n') && flags.all.includes('dryrun'));
    assert.ok(!flags.canonical.includes('dryrun'));
  });
  it('unknown S3ZIPSYNC_* variables, except the CLI\'s own S3ZIPSYNC_DEBUG', () => {
    assert.deepEqual(unknownEnvFlags({ S3ZIPSYNC_FOO: '1', S3ZIPSYNC_DRY_RUN: 'true', S3ZIPSYNC_BUCKET: 'b', S3ZIPSYNC_DEBUG: '1', OTHER: 'x' }, flags.all), ['S3ZIPSYNC_FOO']);
  });
  it('suggests the close flag, and nothing for a far one', () => {
    assert.equal(closestFlag('bukcet', flags.canonical), 'bucket');
    assert.equal(closestFlag('dryrn', flags.canonical), 'dry-run');
    assert.equal(closestFlag('maxEntrySise', flags.canonical), 'max-entry-size');
    assert.equal(closestFlag('foo', flags.canonical), undefined);
  });
  it('finds unknown --flags in raw args, negations of known ones included as known', () => {
    assert.deepEqual(unknownFlagsIn(['z.zip', '--bukcet', 'b', '--no-progress', '--prefix=p', '--', '--later'], flags.all), ['bukcet']);
  });
});

describe('destinationMistake', () => {
  it('plain bucket and prefix are fine', () => assert.equal(destinationMistake('b', 'site'), null));
  it('an s3:// bucket or prefix says what was meant', () => {
    assert.equal(destinationMistake('s3://b', undefined), '--bucket takes a bucket name, not an s3:// URL: use --bucket b');
    assert.equal(destinationMistake('s3://b/p/q', undefined), '--bucket takes a bucket name, not an s3:// URL: use --bucket b --prefix p/q');
    assert.equal(destinationMistake('b', 's3://b/p'), '--prefix takes a folder inside the bucket, not an s3:// URL: use --bucket b --prefix p');
  });
});

describe('parseCount and formatSize', () => {
  it('echoes what was typed', () => {
    assert.equal(parseCount('8', 'concurrency', 1), 8);
    assert.throws(() => parseCount('abc', 'concurrency', 1), /invalid --concurrency: "abc" \(expected a whole number ≥ 1\)/);
    assert.throws(() => parseCount('0', 'concurrency', 1), /"0"/);
    assert.throws(() => parseCount('1.5', 'concurrency', 1), /"1\.5"/);
  });
  it('formats sizes as the README writes them, and reads them back', () => {
    for (const [value, text] of [[5 * 1024 ** 3, '5GiB'], [100 * 1024 ** 3, '100GiB'], [8 * 1024 ** 2, '8MiB'], [512, '512B']] as const) {
      assert.equal(formatSize(value), text);
      assert.equal(parseSize(text, 'x'), value);
    }
  });
});

describe('stoppingMessage', () => {
  it('local-server has its own; a sync aborts its uploads', () => {
    assert.equal(stoppingMessage('SIGTERM', ['local-server']), 's3zipsync: SIGTERM received, stopping the embedded S3 server…\n');
    assert.match(stoppingMessage('SIGINT', ['x.zip', '--bucket', 'b']), /in-flight uploads are aborted/);
  });
});

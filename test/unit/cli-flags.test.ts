import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationMistake } from '../../bin/destination.js';
import { closestFlag, flagsOf, unknownArgumentsOnce, unknownEnvFlags, unknownFlagsIn } from '../../bin/known-flags.js';
import { SYNC_GROUPS } from '../../bin/commands/sync-help.js';
import { habitHint } from '../../bin/habit-flags.js';
import { parseCount, parseSeconds } from '../../bin/parse-count.js';
import { resolveOptions } from '../../src/sync/options.js';
import { endpointUrlMistake } from '../../src/s3/endpoint-url.js';
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

describe('--help groups of the sync command', () => {
  const flags = flagsOf(syncCommand(context));
  it('put every flag the command declares in exactly one group, and name no other', () => {
    const grouped = SYNC_GROUPS.flatMap(([, names]) => names);
    assert.deepEqual([...grouped].sort(), flags.canonical.filter((flag) => flag !== 'zip').sort());
    assert.equal(new Set(grouped).size, grouped.length);
  });
  it('list an unknown flag once, not once more as its camelCase twin', () => {
    assert.equal(unknownArgumentsOnce('Unknown arguments: dry-rn, dryRn'), 'Unknown argument: dry-rn');
    assert.equal(unknownArgumentsOnce('Unknown arguments: dry-rn, dryRn, foo, x-y-z, xYZ'), 'Unknown arguments: dry-rn, foo, x-y-z');
    assert.equal(unknownArgumentsOnce('Unknown argument: y.zip'), 'Unknown argument: y.zip');
    assert.equal(unknownArgumentsOnce('Missing required argument: bucket'), 'Missing required argument: bucket');
  });
});

describe('aws-cli and rclone habits', () => {
  const flags = flagsOf(syncCommand(context));
  it('--size-only is a sync flag (a no-op: what --compare size does)', () => assert.ok(flags.canonical.includes('size-only')));
  it('--checksum, --transfers and --endpoint get a hint naming ours', () => {
    assert.match(habitHint(['checksum'], flags.all) ?? '', /^no --checksum here: --compare crc32 /);
    assert.match(habitHint(['transfers'], flags.all) ?? '', /^no --transfers here: --concurrency N /);
    assert.match(habitHint(['foo', 'endpoint'], flags.all) ?? '', /^no --endpoint here: use --endpoint-url URL/);
    assert.equal(habitHint(['foo'], flags.all), undefined);
  });
  it('no hint naming a flag the command does not have', () => assert.equal(habitHint(['checksum'], ['bucket']), undefined));
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
  it('a count has a range, and a refusal names it', () => {
    assert.equal(parseCount('65535', 'port', 0, 65535), 65535);
    assert.throws(() => parseCount('70000', 'port', 0, 65535), { code: 'INVALID_OPTION', message: 'invalid --port: "70000" (expected a whole number from 0 to 65535)' });
    assert.throws(() => parseCount('-2', 'max-attempts', 1), { message: 'invalid --max-attempts: "-2" (expected a whole number ≥ 1)' });
  });
  it('seconds may have a fraction; zero, negative and words are refused as typed', () => {
    assert.equal(parseSeconds('2.5', 'stall-timeout'), 2.5);
    assert.equal(parseSeconds('30', 'stall-timeout'), 30);
    for (const typed of ['abc', '0', '-2', '', '1e3', 'Infinity']) {
      assert.throws(() => parseSeconds(typed, 'stall-timeout'), { code: 'INVALID_OPTION', message: `invalid --stall-timeout: ${JSON.stringify(typed)} (expected a positive number of seconds, e.g. 30 or 2.5)` });
    }
  });
  it('a size without a unit is whole bytes: 1.5 is refused, 1.5MiB is not', () => {
    assert.throws(() => parseSize('1.5', 'part-size'), { message: 'invalid size for --part-size: "1.5" (examples: 1048576, 512KB, 8MiB, 5GB)' });
    assert.equal(parseSize('1.5MiB', 'part-size'), 1.5 * 1024 * 1024);
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

describe('endpointUrlMistake', () => {
  it('a host without a scheme: says what to write (http:// for a local or IP host, https:// otherwise)', () => {
    assert.equal(endpointUrlMistake('localhost:4568'), 'it needs a scheme: write http://localhost:4568');
    assert.equal(endpointUrlMistake('127.0.0.1:9000'), 'it needs a scheme: write http://127.0.0.1:9000');
    assert.equal(endpointUrlMistake('minio.example.com'), 'it needs a scheme: write https://minio.example.com');
    assert.equal(endpointUrlMistake('ftp://example.com'), 'the scheme must be http:// or https://, not ftp://');
  });
  it('usable URLs are fine', () => {
    for (const url of ['http://localhost:4568', 'https://s3.eu-west-1.amazonaws.com', 'HTTP://127.0.0.1:9000/']) assert.equal(endpointUrlMistake(url), undefined);
  });
  it('the library refuses them too, before any request, naming `endpoint`, and 0 attempts', () => {
    assert.throws(() => resolveOptions({ zip: Buffer.alloc(0), bucket: 'b', clientOptions: { endpoint: 'localhost:4568' } }), {
      code: 'INVALID_OPTION',
      message: 'invalid `endpoint` "localhost:4568": it needs a scheme: write http://localhost:4568',
    });
    assert.throws(() => resolveOptions({ zip: Buffer.alloc(0), bucket: 'b', clientOptions: { maxAttempts: 0 } }), { code: 'INVALID_OPTION', message: '`maxAttempts` must be a whole number ≥ 1, got 0' });
  });
});

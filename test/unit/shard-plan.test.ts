import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readShardRule } from '../../src/lambda/config.js';
import { canFinishOnRetry, permanentFailureCode } from '../../src/lambda/retry-decision.js';
import { DEFAULT_SHARD_RULE, planShards } from '../../src/lambda/shard-plan.js';

const GiB = 1024 ** 3;

describe('planShards', () => {
  it('runs an archive one invocation can sync as one shard', () => {
    assert.deepEqual(planShards({ files: 30, bytes: 1_000_000 }, DEFAULT_SHARD_RULE), { count: 1, shards: [{ index: 0, count: 1 }] });
    assert.equal(planShards({ files: 50_000, bytes: 4 * GiB }, DEFAULT_SHARD_RULE).count, 1);
  });

  it('takes whichever of files and bytes asks for more shards', () => {
    assert.equal(planShards({ files: 50_001, bytes: 1 }, DEFAULT_SHARD_RULE).count, 2);
    assert.equal(planShards({ files: 10, bytes: 10 * GiB }, DEFAULT_SHARD_RULE).count, 3);
    assert.equal(planShards({ files: 200_000, bytes: 10 * GiB }, DEFAULT_SHARD_RULE).count, 4);
  });

  it('stops at maxShards, and never plans more shards than files', () => {
    const plan = planShards({ files: 5_000_000, bytes: 1 }, DEFAULT_SHARD_RULE);
    assert.equal(plan.count, 16);
    assert.deepEqual(plan.shards.map((shard) => shard.index), [...Array(16).keys()]);
    assert.ok(plan.shards.every((shard) => shard.count === 16));
    assert.equal(planShards({ files: 3, bytes: 100 * GiB }, DEFAULT_SHARD_RULE).count, 3);
  });

  it('reads its rule from SHARD_ENTRIES, SHARD_BYTES and MAX_SHARDS; the event’s maxShards wins', () => {
    assert.deepEqual(readShardRule({}), DEFAULT_SHARD_RULE);
    assert.deepEqual(readShardRule({ SHARD_ENTRIES: '100', SHARD_BYTES: '1000', MAX_SHARDS: '4' }), { entriesPerShard: 100, bytesPerShard: 1000, maxShards: 4 });
    assert.equal(readShardRule({ MAX_SHARDS: '4' }, 8).maxShards, 8);
    assert.throws(() => readShardRule({ SHARD_ENTRIES: '0' }), /SHARD_ENTRIES must be an integer ≥ 1/);
  });
});

describe('retry decision', () => {
  const failures = (...codes: Array<'ENTRY_CORRUPT' | 'S3_ERROR' | 'ABORTED'>) => ({ failures: codes.map((code) => ({ key: 'k', code, reason: 'r' })) });

  it('a complete archive is neither retried nor failed', () => {
    assert.equal(canFinishOnRetry({ complete: true }), false);
    assert.equal(permanentFailureCode({ complete: true }), undefined);
  });

  it('time running out and transient errors can finish on a retry', () => {
    assert.equal(canFinishOnRetry({ complete: false, report: failures() }), true);
    assert.equal(canFinishOnRetry({ complete: false, report: failures('S3_ERROR', 'ABORTED') }), true);
    assert.equal(canFinishOnRetry({ complete: false, error: { code: 'S3_ERROR' } }), true);
  });

  it('a broken archive or a corrupt entry fails for good, with its code', () => {
    assert.equal(permanentFailureCode({ complete: false, error: { code: 'INVALID_ARCHIVE' } }), 'INVALID_ARCHIVE');
    assert.equal(permanentFailureCode({ complete: false, report: failures('S3_ERROR', 'ENTRY_CORRUPT') }), 'ENTRY_CORRUPT');
    assert.equal(canFinishOnRetry({ complete: false, report: failures('ENTRY_CORRUPT') }), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STRATEGY, PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES, createExistenceCheck } from '../../src/check/strategies.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { sdkRequests } from '../../src/s3/session.js';
import { mockableClient } from '../helpers/sdk-errors.js';

const client = mockableClient();
const target = { session: sdkRequests(client), bucket: 'bucket' };

describe('createExistenceCheck', () => {
  it('unknown strategy → INVALID_OPTION naming the bad value and every valid name', () => {
    assert.throws(
      () => createExistenceCheck('gets', target),
      (error: unknown) => {
        assert.ok(error instanceof S3ZipSyncError);
        assert.equal(error.code, 'INVALID_OPTION');
        assert.match(error.message, /"gets"/);
        assert.match(error.message, /\bhead\b/);
        assert.match(error.message, /\blist\b/);
        return true;
      },
    );
  });

  it('inherited Object properties are not strategies', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', '']) {
      assert.throws(() => createExistenceCheck(name, target), { name: 'S3ZipSyncError', code: 'INVALID_OPTION' });
    }
  });

  it('names are case-sensitive', () => {
    assert.throws(() => createExistenceCheck('HEAD', target), { code: 'INVALID_OPTION' });
  });

  it('"head" gives a check named head', () => {
    const check = createExistenceCheck('head', target);
    assert.equal(check.strategy, 'head');
    assert.equal(typeof check.check, 'function');
  });

  it('"list" gives a check named list', () => {
    const check = createExistenceCheck('list', target);
    assert.equal(check.strategy, 'list');
    assert.equal(typeof check.check, 'function');
  });

  it('"bulk" and "auto" give checks named after them', () => {
    assert.equal(createExistenceCheck('bulk', target).strategy, 'bulk');
    assert.equal(createExistenceCheck('auto', target).strategy, 'auto');
  });

  it('STRATEGY_NAMES lists head, list, bulk and auto; only head and list answer per key; auto is the default', () => {
    assert.deepEqual([...STRATEGY_NAMES].sort(), ['auto', 'bulk', 'head', 'list']);
    assert.deepEqual([...PER_KEY_STRATEGY_NAMES].sort(), ['head', 'list']);
    assert.equal(DEFAULT_STRATEGY, 'auto');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePrefix, targetKey } from '../../src/target-key.js';

describe('normalizePrefix', () => {
  it('empty or missing prefix means the bucket root', () => {
    assert.equal(normalizePrefix(''), '');
    assert.equal(normalizePrefix(undefined), '');
  });

  it('adds a trailing slash to a bare folder name', () => {
    assert.equal(normalizePrefix('symbols'), 'symbols/');
  });

  it('keeps a single trailing slash', () => {
    assert.equal(normalizePrefix('symbols/'), 'symbols/');
  });

  it('strips leading slashes', () => {
    assert.equal(normalizePrefix('/symbols'), 'symbols/');
    assert.equal(normalizePrefix('//a/b'), 'a/b/');
  });

  it('only slashes means the bucket root', () => {
    assert.equal(normalizePrefix('///'), '');
    assert.equal(normalizePrefix('/'), '');
  });

  it('nested prefixes keep inner slashes', () => {
    assert.equal(normalizePrefix('a/b'), 'a/b/');
  });
});

describe('targetKey', () => {
  it('joins a normalized prefix and the entry name', () => {
    assert.equal(targetKey('symbols/', 'a/b.txt'), 'symbols/a/b.txt');
  });

  it('empty prefix puts the entry at the bucket root', () => {
    assert.equal(targetKey('', 'a/b.txt'), 'a/b.txt');
  });

  it('"symbols" and "symbols/" give the same key', () => {
    assert.equal(
      targetKey(normalizePrefix('symbols'), 'a/b.txt'),
      targetKey(normalizePrefix('symbols/'), 'a/b.txt'),
    );
    assert.equal(targetKey(normalizePrefix('/symbols'), 'x'), 'symbols/x');
  });
});

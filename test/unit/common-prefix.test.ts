import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longestCommonPrefix } from '../../src/check/common-prefix.js';

describe('longestCommonPrefix', () => {
  it('narrows to the longest string every key starts with, not only to a folder', () => {
    assert.equal(longestCommonPrefix(['site/docs/a.html', 'site/docs/b.html']), 'site/docs/');
    assert.equal(longestCommonPrefix(['site/app.js', 'site/about.html']), 'site/a');
  });

  it('one key is its own prefix; no keys or nothing shared gives ""', () => {
    assert.equal(longestCommonPrefix(['only/key.txt']), 'only/key.txt');
    assert.equal(longestCommonPrefix([]), '');
    assert.equal(longestCommonPrefix(['a/x', 'b/x']), '');
  });

  it('a key that is a prefix of another bounds the result', () => {
    assert.equal(longestCommonPrefix(['p/file', 'p/file/child', 'p/file.txt']), 'p/file');
  });

  it('never ends inside a surrogate pair', () => {
    // '😀' and '😁' share their high surrogate.
    assert.equal(longestCommonPrefix(['d/😀', 'd/😁']), 'd/');
  });

  it('reads any iterable once', () => {
    assert.equal(longestCommonPrefix(new Set(['x/1', 'x/2', 'x/3'])), 'x/');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asFirstPageOf } from '../../src/s3/early-first-page.js';
import type { ListObjectsV2Page } from '../../src/s3/transport/transport.js';

const page = (keys: string[], truncated: boolean, token?: string): ListObjectsV2Page => ({
  Contents: keys.map((Key) => ({ Key, Size: 1 })),
  CommonPrefixes: [],
  IsTruncated: truncated,
  ...(token ? { NextContinuationToken: token } : {}),
});

describe('asFirstPageOf: the run prefix\'s first page standing for a narrower listing\'s', () => {
  it('the same prefix: the page itself, token and all', () => {
    const p = page(['run/a', 'run/b'], true, 'tok');
    assert.equal(asFirstPageOf(p, 'run/', 'run/'), p);
  });

  it('every key under the narrower prefix: its first page, without the wider listing\'s token', () => {
    assert.deepEqual(asFirstPageOf(page(['run/files/f-1', 'run/files/f-2'], true, 'tok'), 'run/', 'run/files/f-'), page(['run/files/f-1', 'run/files/f-2'], true));
  });

  it('keys past the narrower prefix end its listing within this page', () => {
    assert.deepEqual(asFirstPageOf(page(['run/files/f-1', 'run/files/f-2', 'run/zzz'], true, 'tok'), 'run/', 'run/files/f-'), page(['run/files/f-1', 'run/files/f-2'], false));
  });

  it('an empty prefix: the narrower listing is empty too; an empty page said truncated proves nothing', () => {
    assert.deepEqual(asFirstPageOf(page([], false), 'run/', 'run/files/'), page([], false));
    assert.equal(asFirstPageOf(page([], true, 'tok'), 'run/', 'run/files/'), undefined);
  });

  it('objects before the narrower prefix (its first page is further on), a page out of byte order, or an unrelated prefix: undefined', () => {
    assert.equal(asFirstPageOf(page(['run/aaa', 'run/files/f-1'], true, 'tok'), 'run/', 'run/files/'), undefined);
    assert.equal(asFirstPageOf(page(['run/files/f-2', 'run/files/f-1'], true, 'tok'), 'run/', 'run/files/'), undefined);
    assert.equal(asFirstPageOf(page(['other/x'], false), 'other/', 'run/'), undefined);
  });

  it('compares in S3\'s byte order: a key with a character past U+FFFF sorts after U+FFFD as S3 lists it', () => {
    // UTF-16 puts the surrogate pair of U+1F600 before U+FFFD; UTF-8 bytes put it after.
    assert.deepEqual(asFirstPageOf(page(['run/d/\uFFFD', 'run/d/\u{1F600}'], false), 'run/', 'run/d/'), page(['run/d/\uFFFD', 'run/d/\u{1F600}'], false));
  });
});

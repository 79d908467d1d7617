import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys } from '../../src/s3/key-order.js';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareKeys', () => {
  it('orders as S3 does (UTF-8 bytes), also where JavaScript string order differs', () => {
    const astral = 'p/\u{1F600}';
    const fullwidth = 'p/\uFF5E';
    assert.ok(astral < fullwidth, 'JavaScript puts the astral key first');
    assert.ok(compareKeys(astral, fullwidth) > 0);
    assert.ok(compareKeys(fullwidth, astral) < 0);
  });

  it('agrees with a byte comparison on every pair of a mixed set, equal keys included', () => {
    const keys = ['', 'a', 'a ', 'a/b', 'a0', 'B', 'é', 'e\u0301', '\u00FF', '\u0100', '\uD7FF', '\uE000', '\uFF5E', '\u{10000}', '\u{1F600}', 'p/\u{1F600}x', 'p/\uFF5Ex'];
    for (const a of keys) for (const b of keys) assert.equal(Math.sign(compareKeys(a, b)), Math.sign(byBytes(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TRAILING_PADDING, zeroPaddingLength } from '../../src/zip/trailing-padding.js';
import { rawZip } from '../helpers/zip-fixtures.js';

describe('zeroPaddingLength', () => {
  const zip = rawZip([{ name: 'a.txt', data: 'a' }]);
  const padded = (trailing: Buffer) => Buffer.concat([zip, trailing]);

  it('0 for an archive that ends with its end record', () => assert.equal(zeroPaddingLength(zip), 0));
  it('counts zero padding after the end record (bsdtar to a pipe)', () => assert.equal(zeroPaddingLength(padded(Buffer.alloc(5425))), 5425));
  it('accepts padding up to the bound, and not one byte more', () => {
    assert.equal(zeroPaddingLength(padded(Buffer.alloc(MAX_TRAILING_PADDING))), MAX_TRAILING_PADDING);
    assert.equal(zeroPaddingLength(padded(Buffer.alloc(MAX_TRAILING_PADDING + 1))), 0);
  });
  it('0 when any trailing byte is not zero', () => {
    const trailing = Buffer.alloc(100);
    trailing[50] = 1;
    assert.equal(zeroPaddingLength(padded(trailing)), 0);
  });
  it('0 when there is no end record at all', () => assert.equal(zeroPaddingLength(Buffer.alloc(1000)), 0));
  it('keeps a comment: the padding starts after it', () => {
    const withComment = Buffer.from(zip);
    withComment.writeUInt16LE(3, withComment.length - 2);
    assert.equal(zeroPaddingLength(Buffer.concat([withComment, Buffer.from('hi!'), Buffer.alloc(10)])), 10);
  });
});

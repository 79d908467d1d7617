import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localHeaderMismatch, type HeaderFields } from '../../src/zip/local-header.js';
import { findOverlap } from '../../src/zip/overlap.js';

describe('findOverlap', () => {
  const span = (name: string, offset: number, minLength: number) => ({ name, offset, minLength });
  it('accepts entries laid out one after another, in any central-directory order', () => {
    assert.equal(findOverlap([span('b', 40, 40), span('a', 0, 40), span('c', 100, 1)]), null);
  });
  it('finds two entries at the same offset', () => {
    assert.deepEqual(findOverlap([span('a', 0, 40), span('b', 0, 40)])?.map((s) => s.name), ['a', 'b']);
  });
  it('finds an entry starting inside the previous one', () => {
    assert.deepEqual(findOverlap([span('a', 0, 40), span('b', 39, 10)])?.map((s) => s.name), ['a', 'b']);
  });
  it('no entries, one entry', () => {
    assert.equal(findOverlap([]), null);
    assert.equal(findOverlap([span('a', 0, 10)]), null);
  });
});

describe('localHeaderMismatch', () => {
  const central: HeaderFields = {
    fileName: Buffer.from('a.txt'),
    generalPurposeBitFlag: 0x800,
    compressionMethod: 8,
    crc32: 0xcafebabe,
    compressedSize: 10,
    uncompressedSize: 20,
  };
  it('agrees with itself', () => assert.equal(localHeaderMismatch(central, { ...central }), null));
  it('compares names like with like: different raw bytes that decode to the same name agree', () => {
    assert.equal(localHeaderMismatch({ ...central, decodedName: '日本.txt' }, { ...central, fileName: Buffer.from('__.txt'), decodedName: '日本.txt' }), null);
    assert.equal(
      localHeaderMismatch({ ...central, decodedName: 'a.txt' }, { ...central, fileName: Buffer.from('../a'), decodedName: '../a' }),
      'name "../a"',
    );
    // Equal bytes that decode to different names (a Unicode Path field in the local header only) disagree.
    assert.equal(localHeaderMismatch({ ...central, decodedName: 'a.txt' }, { ...central, decodedName: '../a.txt' }), 'name "../a.txt"');
    // A local name that does not decode never agrees by decoding.
    assert.equal(localHeaderMismatch({ ...central, decodedName: null }, { ...central, fileName: Buffer.from('b.txt'), decodedName: null }), 'name "b.txt"');
  });
  it("a local Unicode Path field taken by the central name's CRC: agrees, unless the name it replaces is unsafe", () => {
    const named = { ...central, decodedName: 'File 4 - å.txt' };
    assert.equal(localHeaderMismatch(named, { ...named, fileName: Buffer.from('File 4 - xx.txt'), strictName: 'File 4 - xx.txt' }), null);
    assert.equal(
      localHeaderMismatch(named, { ...named, fileName: Buffer.from('../evil.txt'), strictName: '../evil.txt' }),
      'name "../evil.txt" (without its Unicode Path field)',
    );
    assert.equal(localHeaderMismatch(named, { ...named, fileName: Buffer.from([0x61, 0xff]), strictName: null }), 'name "a\ufffd" (without its Unicode Path field)');
  });
  it('names a different name', () =>
    assert.equal(localHeaderMismatch(central, { ...central, fileName: Buffer.from('../a.tx') }), 'name "../a.tx"'));
  it('names a different method, crc or size', () => {
    assert.equal(localHeaderMismatch(central, { ...central, compressionMethod: 0 }), 'compression method 0');
    assert.equal(localHeaderMismatch(central, { ...central, crc32: 1 }), 'crc32 00000001');
    assert.equal(localHeaderMismatch(central, { ...central, compressedSize: 11 }), 'compressed size 11');
    assert.equal(localHeaderMismatch(central, { ...central, uncompressedSize: 21 }), 'size 21');
  });
  it('a data descriptor leaves crc and sizes to the central directory', () =>
    assert.equal(localHeaderMismatch(central, { ...central, generalPurposeBitFlag: 0x808, crc32: 0, compressedSize: 0, uncompressedSize: 0 }), null));
  it('zip64 markers are not sizes', () =>
    assert.equal(localHeaderMismatch(central, { ...central, compressedSize: 0xffffffff, uncompressedSize: 0xffffffff }), null));
});

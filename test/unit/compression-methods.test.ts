import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canDecode, unsupportedMethodMessage, zstdDecompressor } from '../../src/zip/compression-methods.js';

describe('compression methods', () => {
  it('stored and deflate always decode; Zstandard exactly where Node has a decoder', () => {
    assert.equal(canDecode(0), true);
    assert.equal(canDecode(8), true);
    assert.equal(canDecode(93), zstdDecompressor() !== undefined);
    assert.equal(canDecode(12), false);
  });

  it('names the method and says how to re-create the archive', () => {
    assert.equal(
      unsupportedMethodMessage(12, 'vimrc'),
      'entry "vimrc" uses bzip2 (compression method 12), which s3zipsync cannot decode; re-create the archive with deflate, e.g. `zip -r site.zip site` or `7z a -tzip -mm=Deflate site.zip site`',
    );
    assert.match(unsupportedMethodMessage(9, 'big.iso'), /deflate64 \(compression method 9\).*Windows Explorer/);
    assert.match(unsupportedMethodMessage(99, 'x'), /AES encryption.*re-create the archive without encryption$/);
    assert.match(unsupportedMethodMessage(4242, 'x'), /uses unknown compression method 4242/);
  });
});

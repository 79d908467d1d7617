import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntryName, type ExtraField } from '../../src/zip/entry-name-decoding.js';
import { entryPath } from '../../src/zip/entry-key.js';
import { unicodePathField } from '../helpers/zip-fixtures.js';

const UTF8_FLAG = 0x800;
const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** The parsed form yauzl hands over: id and data without the 4-byte field header. */
const field = (bytes: Buffer): ExtraField => ({ id: bytes.readUInt16LE(0), data: bytes.subarray(4) });

describe('decodeEntryName', () => {
  it('flagged names are UTF-8, and must be valid UTF-8', () => {
    assert.deepEqual(decodeEntryName(utf8('ünï.txt'), UTF8_FLAG, [], 'cp437'), { name: 'ünï.txt', source: 'utf8-flag' });
    assert.throws(() => decodeEntryName(Buffer.from([0x61, 0xff]), UTF8_FLAG, [], 'auto'), /flagged utf-8 is not valid utf-8/);
  });

  it('auto: valid non-ASCII UTF-8 without the flag is UTF-8; ASCII and invalid UTF-8 are CP437', () => {
    assert.deepEqual(decodeEntryName(utf8('世界.txt'), 0, [], 'auto'), { name: '世界.txt', source: 'utf8' });
    assert.deepEqual(decodeEntryName(utf8('plain.txt'), 0, [], 'auto'), { name: 'plain.txt', source: 'cp437' });
    assert.deepEqual(decodeEntryName(Buffer.from([0x63, 0x61, 0x66, 0x82]), 0, [], 'auto'), { name: 'café', source: 'cp437' });
  });

  it('cp437 and utf8 override the guess for unflagged names', () => {
    assert.equal(decodeEntryName(utf8('世界'), 0, [], 'cp437').name, 'Σ╕ûτòî');
    assert.equal(decodeEntryName(utf8('世界'), 0, [], 'utf8').name, '世界');
    assert.throws(() => decodeEntryName(Buffer.from([0x82]), 0, [], 'utf8'), /not valid utf-8 \(nameEncoding 'utf8'\)/);
  });

  it('a Unicode Path field wins when its CRC matches the raw name, whatever the encoding option', () => {
    const raw = utf8('__.txt');
    for (const encoding of ['auto', 'utf8', 'cp437'] as const) {
      assert.deepEqual(decodeEntryName(raw, 0, [field(unicodePathField(raw, '日本.txt'))], encoding), { name: '日本.txt', source: 'unicode-path-field' });
    }
  });

  it('a current Unicode Path field wins over the UTF-8 flag, so flagged raw bytes that are not a usable name are replaced', () => {
    const raw = Buffer.from([0x00, 0x01, 0xff]);
    assert.deepEqual(decodeEntryName(raw, UTF8_FLAG, [field(unicodePathField(raw, 'real.txt'))], 'auto'), { name: 'real.txt', source: 'unicode-path-field' });
  });

  it('a Unicode Path field with an empty name is skipped for the next one (as yauzl does)', () => {
    const raw = utf8('__.txt');
    const fields = [field(unicodePathField(raw, '')), field(unicodePathField(raw, '日本.txt'))];
    assert.equal(decodeEntryName(raw, 0, fields, 'auto').name, '日本.txt');
    assert.equal(decodeEntryName(raw, 0, [field(unicodePathField(raw, ''))], 'auto').name, '__.txt');
  });

  it('a Unicode Path field whose CRC is that of another accepted name (the central one) is used', () => {
    const central = Buffer.from('caf\x82.txt', 'latin1');
    const local = utf8('cafx.txt');
    const fields = [field(unicodePathField(central, 'café.txt'))];
    assert.equal(decodeEntryName(local, 0, fields, 'auto').name, 'cafx.txt');
    assert.deepEqual(decodeEntryName(local, 0, fields, 'auto', central), { name: 'café.txt', source: 'unicode-path-field' });
  });

  it('a Unicode Path field with a stale CRC or an unknown version is ignored', () => {
    const raw = utf8('now.txt');
    assert.equal(decodeEntryName(raw, 0, [field(unicodePathField(raw, 'then.txt', 1))], 'auto').name, 'now.txt');
    const version2 = unicodePathField(raw, 'then.txt');
    version2.writeUInt8(2, 4);
    assert.equal(decodeEntryName(raw, 0, [field(version2)], 'auto').name, 'now.txt');
  });

  it('a current Unicode Path field holding invalid UTF-8 is refused, not decoded to U+FFFD', () => {
    const raw = utf8('x.txt');
    const bad = unicodePathField(raw, 'ab');
    bad.writeUInt8(0xff, 9);
    assert.throws(() => decodeEntryName(raw, 0, [field(bad)], 'auto'), /unicode path extra field holds invalid utf-8/);
  });
});

describe('entryPath', () => {
  it('drops one leading ./ and leaves the root entry ./ out', () => {
    assert.equal(entryPath('./index.html', 'none'), 'index.html');
    assert.equal(entryPath('./css/', 'none'), 'css/');
    assert.equal(entryPath('./', 'none'), null);
    // A second ./ is left for unsafeEntryNameReason to refuse.
    assert.equal(entryPath('././a', 'none'), './a');
    assert.equal(entryPath('a/./b', 'none'), 'a/./b');
  });

  it('nfc composes NFD names; none keeps them as they are', () => {
    const nfd = 'cafe\u0301.txt';
    assert.equal(entryPath(nfd, 'nfc'), 'café.txt');
    assert.equal(entryPath(nfd, 'none'), nfd);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { directoryTrailer, END_RECORD_SEARCH, findDirectory } from '../../src/zip/end-record.js';
import { makeZip } from '../helpers/zip-fixtures.js';

function directoryOf(zip: Buffer) {
  const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
  return findDirectory(zip.subarray(tailStart), tailStart);
}

function names(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, zipfile) => {
      if (error) return reject(error);
      const found: string[] = [];
      zipfile.on('entry', (entry: yauzl.Entry) => {
        found.push(entry.fileName);
        zipfile.readEntry();
      });
      zipfile.once('end', () => resolve(found));
      zipfile.once('error', reject);
      zipfile.readEntry();
    });
  });
}

describe('end records', () => {
  it('findDirectory reads where the directory lies, as yauzl does; behind a comment too', async () => {
    const zip = await makeZip([{ name: 'a.txt', data: 'a' }, { name: 'b/c.txt', data: 'bc' }]);
    const directory = directoryOf(zip)!;
    assert.equal(directory.entries, 2);
    assert.equal(directory.offset + directory.size, zip.length - 22);
    assert.equal(zip.readUInt32LE(directory.offset), 0x02014b50);
    const commented = Buffer.concat([zip.subarray(0, zip.length - 2), Buffer.from([5, 0]), Buffer.from('hello')]);
    assert.deepEqual(directoryOf(commented), directory);
    assert.equal(directoryOf(Buffer.from('not a zip at all, no end record here')), undefined);
  });

  it('a trailer after some records makes a zip whose directory is those records only (zip64 form)', async () => {
    const zip = await makeZip(['a.txt', 'b.txt', 'c.txt', 'd.txt'].map((name) => ({ name, data: name })));
    const directory = directoryOf(zip)!;
    // The second and third records: each is 46 bytes plus its name (5) and extra field (yazl: 9 bytes, an extended timestamp).
    const record = (at: number) => 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const second = directory.offset + record(directory.offset);
    const size = record(second) + record(second + record(second));
    const end = second + size;
    const view = Buffer.concat([zip.subarray(0, end), directoryTrailer({ offset: second, size, entries: 2 }, end)]);
    assert.deepEqual(await names(view), ['b.txt', 'c.txt']);
    assert.deepEqual(directoryOf(view), { offset: second, size, entries: 2 });
    // An empty part is a zip of no entries.
    assert.deepEqual(await names(Buffer.concat([zip.subarray(0, second), directoryTrailer({ offset: second, size: 0, entries: 0 }, second)])), []);
  });
});

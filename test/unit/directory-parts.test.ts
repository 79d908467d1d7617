import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directoryParts } from '../../src/lambda/directory-parts.js';
import { entriesOfShard } from '../../src/shard.js';

/** Records of 50 bytes from offset 1000; the files are some of them (the others: folders, junk). */
function layout(records: number, fileRecords: number[], size: (i: number) => number) {
  const recordOffsets = Array.from({ length: records + 1 }, (_, i) => 1000 + 50 * i);
  const files = fileRecords.map((record, i) => ({ record, size: size(i) }));
  return { recordOffsets, files };
}

describe('directoryParts', () => {
  const cases = [
    { label: 'files only, equal sizes', records: 100, fileRecords: Array.from({ length: 100 }, (_, i) => i), size: () => 1000 },
    { label: 'folders between files, a folder first and last', records: 30, fileRecords: [1, 2, 3, 5, 6, 9, 10, 11, 20, 21, 22, 28], size: (i: number) => i * 1000 },
    { label: 'one huge file: some shards empty', records: 8, fileRecords: [0, 1, 2, 3, 4, 5, 6, 7], size: (i: number) => (i === 3 ? 1e9 : 10) },
  ];
  for (const { label, records, fileRecords, size } of cases) {
    for (const count of [1, 2, 3, 7, 8]) {
      it(`${label}, ${count} shards: consecutive runs, every record once, each shard's files as entriesOfShard picks them`, () => {
        const { recordOffsets, files } = layout(records, fileRecords, size);
        const parts = directoryParts(recordOffsets, files, count);
        assert.equal(parts.length, count);
        assert.equal(parts[0]!.offset, 1000);
        for (let k = 1; k < count; k++) assert.equal(parts[k]!.offset, parts[k - 1]!.offset + parts[k - 1]!.size);
        assert.equal(parts.at(-1)!.offset + parts.at(-1)!.size, recordOffsets.at(-1));
        assert.equal(parts.reduce((sum, part) => sum + part.entries, 0), records);
        for (let k = 0; k < count; k++) {
          const first = (parts[k]!.offset - 1000) / 50;
          assert.equal(parts[k]!.size, parts[k]!.entries * 50);
          const inPart = files.filter((file) => file.record >= first && file.record < first + parts[k]!.entries);
          assert.deepEqual(inPart, entriesOfShard(files, { index: k, count }), `shard ${k}`);
        }
      });
    }
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGnuTimeReport } from '../../bench/run/timed-process.js';

describe('parseGnuTimeReport', () => {
  it('reads peak RSS and CPU times from GNU time -v', () => {
    const report = [
      '\tCommand being timed: "node x.js"',
      '\tUser time (seconds): 1.52',
      '\tSystem time (seconds): 0.31',
      '\tMaximum resident set size (kbytes): 123456',
    ].join('\n');
    assert.deepEqual(parseGnuTimeReport(report), { peakRssKiB: 123456, cpuUserSeconds: 1.52, cpuSystemSeconds: 0.31 });
  });

  it('gives null for what is missing instead of zero', () => {
    assert.deepEqual(parseGnuTimeReport(''), { peakRssKiB: null, cpuUserSeconds: null, cpuSystemSeconds: null });
  });
});

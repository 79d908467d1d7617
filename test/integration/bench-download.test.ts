import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DownloadBenchReport } from '../../bench/suites/download/suite.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';

const BUCKET = 'download-bench';

describe('s3zipsync bench download', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  it('--json: every method on plain and gzip fixtures, with throughput and memory, and nothing left behind', async () => {
    const { code, stdout, stderr } = await runCli(
      ['bench', 'download', '--bucket', BUCKET, '--size', '256KB', '--samples', '4', '--warmup', '1', '--seed', '3', '--parallel', '3', '--json'],
      s3.env,
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const report = JSON.parse(stdout) as DownloadBenchReport;
    assert.equal(report.suite, 'download');
    assert.deepEqual(report.rejected, [], 'every method returns the exact bytes');
    assert.deepEqual(report.scenarios.map((s) => s.scenario), ['256KB plain', '256KB gzip']);
    const expected = ['chunks-1024', 'chunks-512', 'chunks-natural', 'fetch-stream', 'fetch-whole', 'gunzip', 'ranged-3', 'whole'];
    for (const scenario of report.scenarios) {
      assert.deepEqual(scenario.variants.map((v) => v.variant).sort(), expected);
      for (const variant of scenario.variants) {
        assert.equal(variant.summary.samples, 4);
        assert.ok(scenario.throughputMBps[variant.variant]! > 0);
        const memory = scenario.memory[variant.variant]!;
        assert.ok(!('error' in memory), JSON.stringify(memory));
        assert.equal(!('error' in memory) && memory.ok, true);
      }
    }
    const gzip = report.scenarios[1]!;
    assert.ok(gzip.decodedBytes > 3.5 * gzip.storedBytes, `text-like data compresses ~4.5×: ${gzip.storedBytes} → ${gzip.decodedBytes}`);
    assert.equal(report.samples.length, 2 * 8 * 5);
    assert.equal(report.cleanup.leftover, 0);
    assert.equal((await listKeys(s3.client, BUCKET, report.runPrefix)).size, 0);
  });

  it('--method narrows the variants and --no-memory skips the child processes', async () => {
    const { code, stdout, stderr } = await runCli(
      ['bench', 'download', '--bucket', BUCKET, '--size', '64KB', '--samples', '3', '--warmup', '0', '--method', 'whole', '--method', 'gunzip', '--no-memory', '--json'],
      s3.env,
    );
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as DownloadBenchReport;
    for (const scenario of report.scenarios) {
      assert.deepEqual(scenario.variants.map((v) => v.variant).sort(), ['gunzip', 'whole']);
      assert.deepEqual(scenario.memory, {});
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client, type CheckTarget, type ExistenceCheck } from '../../src/internal.js';
import { createHeadCheck } from '../../src/check/head-check.js';
import { runStrategyBench, type StrategyBenchReport } from '../../bench/suites/strategies.js';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';

const BUCKET = 'bench-bucket';

/** Wrong on purpose: takes the first listed key that starts with the key as the key itself. */
function prefixMatchingCheck({ session, bucket }: CheckTarget): ExistenceCheck {
  const client = session.access;
  if (!('send' in client)) throw new Error('the strategy bench gives each check an SDK client');
  return {
    strategy: 'prefix-match',
    start: async () => {},
    describe: () => 'first key listed under the key',
    async check(key) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
      const first = page.Contents?.[0];
      return first ? { size: first.Size ?? 0 } : null;
    },
  };
}

describe('bench: existence-check strategies', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
  });

  const proxiedClient = () =>
    createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 });

  it('refuses to time a strategy that answers wrongly, naming it, and cleans up', async () => {
    await assert.rejects(
      runStrategyBench({
        client: s3.client,
        bucket: BUCKET,
        registry: { head: createHeadCheck, 'prefix-match': prefixMatchingCheck },
        samples: 5,
        warmup: 0,
        seed: 1,
      }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'SANITY_CHECK_FAILED');
        assert.match(error.message, /strategy prefix-match answered present \(6 bytes\) for a missing key that is a strict prefix of a present key/);
        assert.doesNotMatch(error.message, /strategy head/);
        return true;
      },
    );
    assert.equal((await listKeys(s3.client, BUCKET, 's3zipsync-bench/')).size, 0);
  });

  // Calibration: a known delay on one request type must make the bench name the other strategy.
  const calibrate = async (delayed: 'HeadObject' | 'ListObjectsV2' | undefined): Promise<StrategyBenchReport> => {
    proxy.setRules(delayed ? [{ match: delayed, delayMs: 20 }] : []);
    const client = proxiedClient();
    try {
      return await runStrategyBench({ client, bucket: BUCKET, scenarios: ['absent'], samples: 30, warmup: 3, seed: 7 });
    } finally {
      proxy.setRules([]);
      client.destroy();
    }
  };

  it('calibration: +20 ms on HEAD makes list the winner', async () => {
    const verdict = (await calibrate('HeadObject')).scenarios[0]!.verdicts[0]!;
    assert.equal(verdict.state, 'different', JSON.stringify(verdict));
    assert.equal(verdict.state === 'different' && verdict.faster, 'list');
  });

  it('calibration: +20 ms on LIST makes head the winner', async () => {
    const verdict = (await calibrate('ListObjectsV2')).scenarios[0]!.verdicts[0]!;
    assert.equal(verdict.state, 'different', JSON.stringify(verdict));
    assert.equal(verdict.state === 'different' && verdict.faster, 'head');
  });

  it('calibration: without a delay it claims no large difference', async () => {
    const verdict = (await calibrate(undefined)).scenarios[0]!.verdicts[0]!;
    assert.notEqual(verdict.state, 'insufficient');
    // A 20 ms delay is several times a local round trip; without it the two must be within 1.5×.
    assert.ok(verdict.state !== 'insufficient' && verdict.ratio < 1.5 && verdict.ratio > 1 / 1.5, JSON.stringify(verdict));
  });

  it('s3zipsync bench --json: structure, every sample, and nothing left under the run prefix', async () => {
    const { code, stdout, stderr } = await runCli(['bench', '--bucket', BUCKET, '--samples', '30', '--warmup', '2', '--seed', '42', '--json'], s3.env);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const report = JSON.parse(stdout) as StrategyBenchReport;
    assert.equal(report.seed, 42);
    assert.deepEqual(report.scenarios.map((s) => s.scenario), ['absent-then-upload', 'present', 'absent']);
    for (const scenario of report.scenarios) {
      assert.deepEqual(scenario.variants.map((v) => v.variant).sort(), ['head', 'list']);
      for (const variant of scenario.variants) {
        assert.equal(variant.summary.samples, 30);
        assert.equal(variant.warmupDropped, 2);
        assert.ok(variant.summary.median > 0);
      }
      assert.equal(scenario.verdicts.length, 1);
    }
    assert.equal(report.samples.length, 3 * 2 * 32, 'every raw sample, warm-up included');
    const first = report.samples[0]!;
    assert.deepEqual(Object.keys(first).sort(), ['cpuMs', 'ms', 'newSockets', 'position', 'requests', 'reusedSockets', 'round', 'scenario', 'variant', 'warmup']);
    assert.equal(report.cleanup.leftover, 0);
    assert.ok(report.cleanup.deleted >= 2 * 32, 'uploads of absent-then-upload were deleted');
    assert.equal((await listKeys(s3.client, BUCKET, report.runPrefix)).size, 0);
  });

  it('s3zipsync bench --local --aa --report: runs one strategy as two arms, reports the A/A table, writes the charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-aa-'));
    try {
      const file = join(dir, 'report.html');
      const { code, stdout, stderr } = await runCli(
        ['bench', '--local', '--aa', '--aa-runs', '2', '--samples', '12', '--warmup', '1', '--scenario', 'absent', '--seed', '9', '--report', file],
        { ...s3.env, AWS_ENDPOINT_URL_S3: '' },
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^s3zipsync bench --aa: head-A against head-B, the same strategy as two arms$/m);
      assert.match(stdout, /^ {2}2 runs · 12 samples per arm and scenario after warm-up · seeds 9–10$/m);
      assert.match(stdout, /^ {2}absent +2 +\d +\d +\d +\d+% +\d+% \(\d+%–\d+%\) +(met|NOT met)$/m);
      const html = readFileSync(file, 'utf8');
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /<g data-series="samples:head-A" data-count="12"/);
      assert.match(html, /<g data-series="samples:head-B" data-count="12"/);
      assert.match(html, /<g data-series="ratios:head-[AB]" data-count="12"/);
      assert.doesNotMatch(html, /<script|<link|src=|href=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('s3zipsync bench --local prints a ranked text report with verdicts', async () => {
    const { code, stdout } = await runCli(['bench', '--local', '--samples', '20', '--warmup', '2', '--scenario', 'absent'], { ...s3.env, AWS_ENDPOINT_URL_S3: '' });
    assert.equal(code, 0);
    assert.match(stdout, /^s3zipsync bench: existence-check strategies$/m);
    assert.match(stdout, /seed \d+ · shuffled rounds · 20 samples per strategy and scenario, 2 warm-up dropped/);
    assert.match(stdout, /^== absent: check a missing key$/m);
    assert.match(stdout, /^ {2}verdict: (list|head) takes \d+\.\d\d× the time of (list|head) \(95% CI \d\.\d\d–\d+\.\d\d\): /m);
    for (const line of stdout.split('\n')) assert.ok(line.length <= 100, `wider than 100 columns: ${line}`);
    assert.match(stdout, /clean-up: \d+ objects deleted, 0 left/);
  });
});

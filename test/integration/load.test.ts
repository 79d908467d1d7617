import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { rawZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'load-bucket';
// The size takes minutes against s3rver on a 2-core machine: LOAD_TEST_FULL=1 runs it
// (not S3ZIPSYNC_…: the CLI reads every S3ZIPSYNC_* variable as a flag).
const ENTRIES = process.env.LOAD_TEST_FULL === '1' ? 50_000 : 500;
const CONCURRENCY = 16;
const PROBE = pathToFileURL(join(import.meta.dirname, '../helpers/process-probe.mjs')).href;

interface Probe {
  socketsCreated: number;
  peakOpenSockets: number;
  maxRssKiB: number;
  rssSamples: number[];
}

describe(`load: ${ENTRIES} tiny entries (real CLI)`, () => {
  let s3: TestS3;
  let dir: string;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-load-'));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes with every entry stored, no warnings, sockets bounded by the pool', { timeout: 30 * 60_000 }, async () => {
    const zip = join(dir, 'tiny.zip');
    writeFileSync(zip, rawZip(Array.from({ length: ENTRIES }, (_, i) => ({ name: `t/${String(i).padStart(5, '0')}.txt`, data: `entry ${i}\n` }))));
    const probeOut = join(dir, 'probe.json');
    const started = Date.now();
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'load', '--json', '--concurrency', String(CONCURRENCY)], {
      ...s3.env,
      // LOAD_TEST_NODE_OPTIONS, e.g. --max-old-space-size=96, tells retained memory from lazily collected garbage.
      NODE_OPTIONS: `--import ${PROBE} ${process.env.LOAD_TEST_NODE_OPTIONS ?? ''}`,
      PROBE_OUT_FILE: probeOut,
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    assert.equal(run.stderr, '', 'no warnings: socket usage, listeners, or anything else');
    const summary = JSON.parse(run.stdout.trimEnd().split('\n').at(-1)!) as { counts: { new: number }; complete: boolean };
    assert.equal(summary.counts.new, ENTRIES);
    assert.equal(summary.complete, true);

    const probe = JSON.parse(readFileSync(probeOut, 'utf8')) as Probe;
    // The CLI's pool holds 2 × concurrency sockets; keep-alive means they are reused, not re-opened.
    assert.ok(probe.peakOpenSockets <= 2 * CONCURRENCY, `peak open sockets ${probe.peakOpenSockets}`);
    assert.ok(probe.socketsCreated <= 4 * CONCURRENCY, `sockets created ${probe.socketsCreated}`);
    assert.equal((await listKeys(s3.client, BUCKET, 'load/')).size, ENTRIES);

    const quarter = (q: number) => Math.round(probe.rssSamples[Math.min(probe.rssSamples.length - 1, Math.floor((probe.rssSamples.length * q) / 4))]! / 2 ** 20);
    const peakAt = Math.round((100 * probe.rssSamples.indexOf(Math.max(...probe.rssSamples))) / probe.rssSamples.length);
    process.stderr.write(
      `load: ${ENTRIES} entries in ${seconds.toFixed(1)} s; sockets created ${probe.socketsCreated}, peak open ${probe.peakOpenSockets}; ` +
        `peak RSS ${Math.round(probe.maxRssKiB / 1024)} MiB, highest sample at ${peakAt}% of the run; RSS at 25/50/75/100% of the run: ${[1, 2, 3, 4].map(quarter).join('/')} MiB\n`,
    );
  });
});

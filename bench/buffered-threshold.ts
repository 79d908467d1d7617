/**
 * `npm run bench:buffered-threshold`: the buffered-PUT limit (BUFFERED_PUT_MAX_BYTES in
 * src/upload/route.ts) on entries that straddle it. Builds the CLI once per limit (esbuild, as
 * scripts/bundle-cli.mjs does, with only that constant replaced), then first-syncs one fixture of
 * 64 KiB–2 MiB entries with each build, interleaved, against the embedded s3rver, whose data sits on
 * tmpfs (/dev/shm) where there is one, so that the VM's disk is not what is timed. Each build first
 * runs once untimed and every stored object is checked against the fixture. Prints wall, CPU
 * (user+sys, GNU time) and peak RSS per limit and writes them to bench/results/buffered-threshold.md.
 * Options (env): ROUNDS (3), LIMITS (KiB, comma-separated; default 256,512,1024,2048).
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONCURRENCY } from '../src/option-defaults.js';
import { createS3Client } from '../src/s3/create-client.js';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';
import { describeServerData, makeServerDataDir, serverDataPlaceFromEnv } from './harness/server-data.js';
import { median } from './engine/stats.js';
import { describeSpec, writeTreeFixture, type TreeFixtureSpec } from './fixtures/tree-fixture.js';
import { verifyStoredFiles } from './fixtures/verify-stored.js';
import { describeMachine } from './harness/machine.js';
import { gitCommit } from './harness/provenance.js';
import { localCliEnv, parseCliOutput } from './run/s3zipsync-cli.js';
import { runTimedProcess } from './run/timed-process.js';

const KiB = 1024;
const rounds = Number(process.env.ROUNDS ?? 3);
const limitsKiB = (process.env.LIMITS ?? '256,512,1024,2048').split(',').map((text) => Number(text.trim()));
if (!limitsKiB.every((limit) => Number.isInteger(limit) && limit > 0)) throw new Error(`LIMITS must be positive integers (KiB), got ${process.env.LIMITS}`);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const spec: TreeFixtureSpec = { smallFiles: 400, folders: 8, smallMinBytes: 64 * KiB, smallMaxBytes: 2048 * KiB, bigFiles: 0, bigBytes: 0 };
const CONSTANT = 'export const BUFFERED_PUT_MAX_BYTES = ';

interface Sample {
  limitKiB: number;
  round: number;
  wall: number;
  cpu: number;
  rssMiB: number;
}

const machineBefore = describeMachine();
const work = mkdtempSync(join(tmpdir(), 's3zipsync-threshold-'));
const serverPlace = serverDataPlaceFromEnv();
const serverData = makeServerDataDir(serverPlace, work);
const samples: Sample[] = [];
try {
  const builds = new Map<number, string>();
  for (const limit of limitsKiB) builds.set(limit, await buildWithLimit(limit * KiB, join(work, `cli-${limit}`)));
  const fixture = await writeTreeFixture(spec, join(work, 'fixture.zip'));
  // Round 0 is the sanity check: untimed, every object verified.
  const buckets = Array.from({ length: (rounds + 1) * limitsKiB.length }, (_, i) => `threshold-${i}`);
  const server = await startLocalS3({ directory: serverData, buckets });
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  try {
    let run = 0;
    for (let round = 0; round <= rounds; round++) {
      // The order rotates each round, so no limit always meets a fresher server or a cooler machine.
      const order = limitsKiB.map((_, i) => limitsKiB[(i + round) % limitsKiB.length]!);
      for (const limitKiB of order) {
        const bucket = buckets[run++]!;
        const args = [builds.get(limitKiB)!, fixture.zipPath, '--bucket', bucket, '--prefix', 'm/', '--endpoint-url', server.endpoint, '--force-path-style', '--json', '--no-progress'];
        const result = await runTimedProcess(process.execPath, args, { env: localCliEnv() });
        const { summary, problems } = parseCliOutput(result.stdout);
        if (result.exitCode !== 0 || problems.length || summary?.counts.new !== spec.smallFiles) {
          throw new Error(`limit ${limitKiB} KiB, round ${round}: exit ${result.exitCode}, ${JSON.stringify(summary?.counts)} ${problems.join('; ')} ${result.stderr.trim().slice(0, 300)}`);
        }
        if (round === 0) {
          const check = await verifyStoredFiles(client, bucket, 'm/', fixture.files);
          if (!check.ok) throw new Error(`limit ${limitKiB} KiB stored wrong bytes: ${check.problems.join('; ')}`);
          process.stderr.write(`sanity ${limitKiB} KiB: ${check.keysListed} objects verified\n`);
          rmSync(join(serverData, bucket), { recursive: true, force: true });
          continue;
        }
        const sample = { limitKiB, round, wall: result.wallSeconds, cpu: (result.cpuUserSeconds ?? Number.NaN) + (result.cpuSystemSeconds ?? Number.NaN), rssMiB: result.peakRssMiB ?? Number.NaN };
        samples.push(sample);
        process.stderr.write(`round ${round} ${limitKiB} KiB: ${sample.wall.toFixed(2)} s wall, ${sample.cpu.toFixed(2)} s CPU, ${sample.rssMiB.toFixed(0)} MiB\n`);
        // 440 MB a run: drop the bucket's folder once its run is checked.
        rmSync(join(serverData, bucket), { recursive: true, force: true });
      }
    }
  } finally {
    client.destroy();
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(serverData, { recursive: true, force: true });
}

const report = render();
process.stdout.write(report);
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'buffered-threshold.md'), report);

/** The CLI bundle with BUFFERED_PUT_MAX_BYTES set to `bytes`; returns the path of its entry file. */
async function buildWithLimit(bytes: number, outdir: string): Promise<string> {
  const replaceLimit: Plugin = {
    name: 'replace-buffered-limit',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]src[\\/]upload[\\/]route\.ts$/ }, ({ path }) => {
        const source = readFileSync(path, 'utf8');
        const line = source.split('\n').find((text) => text.startsWith(CONSTANT));
        if (!line) throw new Error(`${path} no longer declares ${CONSTANT.trim()}`);
        return { contents: source.replace(line, `${CONSTANT}${bytes};`), loader: 'ts' };
      });
    },
  };
  await build({
    absWorkingDir: root,
    entryPoints: { s3zipsync: 'bin/s3zipsync.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    minify: true,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
    splitting: true,
    chunkNames: 'chunk-[name]-[hash]',
    external: ['s3rver'],
    alias: { 'string-width': createRequire(join(root, 'package.json')).resolve('string-width') },
    banner: { js: "import { createRequire as __s3zipsyncCreateRequire } from 'node:module'; const require = __s3zipsyncCreateRequire(import.meta.url);" },
    plugins: [replaceLimit],
  });
  return join(outdir, 's3zipsync.js');
}

function render(): string {
  const of = (limitKiB: number) => samples.filter((sample) => sample.limitKiB === limitKiB);
  const list = (values: number[], digits: number) => values.map((value) => value.toFixed(digits)).join(' ');
  const lines = [
    '# Buffered-PUT limit: entries that straddle it',
    '',
    `Command: \`npm run bench:buffered-threshold\` (ROUNDS=${rounds}, LIMITS=${limitsKiB.join(',')})  `,
    `Machine: ${machineBefore} at the start; load ${describeMachine().replace(/.*load /, '')} at the end  `,
    `Commit: ${gitCommit()}, ${new Date().toISOString()}  `,
    `Job: a first sync of ${describeSpec(spec)} into a fresh bucket per run, concurrency ${DEFAULT_CONCURRENCY} (the default); s3rver on 127.0.0.1 (its own process), ${describeServerData(serverPlace)}. One CLI build per limit, differing only in BUFFERED_PUT_MAX_BYTES, each first run once untimed with every stored object checked; runs interleaved, the order rotating each round. Wall: spawn to exit; CPU: user+sys; peak RSS: GNU time.`,
    '',
    '| limit | wall s (median) | CPU s (median) | peak RSS MiB (median) | wall, every run | CPU, every run |',
    '|---|---|---|---|---|---|',
  ];
  for (const limitKiB of limitsKiB) {
    const runs = of(limitKiB);
    lines.push(
      `| ${limitKiB >= 1024 ? `${limitKiB / 1024} MiB` : `${limitKiB} KiB`} | ${median(runs.map((s) => s.wall)).toFixed(2)} | ${median(runs.map((s) => s.cpu)).toFixed(2)} | ${median(runs.map((s) => s.rssMiB)).toFixed(0)} | ${list(runs.map((s) => s.wall), 2)} | ${list(runs.map((s) => s.cpu), 2)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

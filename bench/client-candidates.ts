/**
 * `npm run bench:client-candidates`: the client CPU and wall time per S3 request of each way of
 * sending HeadObject and a small PutObject (see client-candidates/candidates.ts), against one
 * s3rver, in interleaved rounds (a fresh process per candidate and round), written to
 * bench/results/client-candidates.md.
 * Options (env): ROUNDS (3), REQUESTS (1000), CONCURRENCY (16).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';
import { describeServerData, makeServerDataDir, serverDataPlaceFromEnv } from './harness/server-data.js';
import { createS3Client } from '../src/s3/create-client.js';
import { connectionOfClient } from '../src/s3/connection.js';
import { createSignedHttpTransport } from '../src/s3/transport/signed-http-transport.js';
import { median } from './engine/stats.js';
import { describeMachine } from './harness/machine.js';
import { gitCommit } from './harness/provenance.js';
import { CANDIDATE_NAMES } from './client-candidates/candidates.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const requests = Number(process.env.REQUESTS ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
const seeded = 500;
const here = dirname(fileURLToPath(import.meta.url));
const bucket = 'bench';

interface Phase {
  wallMs: number;
  cpuMs: number;
}
interface Sample {
  name: string;
  round: number;
  head: Phase;
  put: Phase;
}

const machine = describeMachine();
const serverData = serverDataPlaceFromEnv();
const directory = makeServerDataDir(serverData, tmpdir());
const server = await startLocalS3({ directory, buckets: [bucket] });
const samples: Sample[] = [];
try {
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  const seeder = createSignedHttpTransport({ connection: connectionOfClient(client) });
  await Promise.all(Array.from({ length: seeded }, (_, i) => seeder.putObject({ bucket, key: `seed/${i}`, body: Buffer.from(`seed ${i}`) })));
  seeder.destroy();
  client.destroy();
  const target = JSON.stringify({ endpoint: server.endpoint, bucket, credentials: server.credentials, concurrency, seeded });
  for (let round = 1; round <= rounds; round++) {
    // Rotate the order each round, so no candidate always runs first (cold disk, fresh server).
    const order = CANDIDATE_NAMES.map((_, i) => CANDIDATE_NAMES[(i + round - 1) % CANDIDATE_NAMES.length]!);
    for (const name of order) {
      const sample = await runChild(name, target, round);
      samples.push(sample);
      process.stderr.write(`round ${round} ${name}: HEAD ${perRequest(sample.head.cpuMs)} µs CPU/req, ${Math.round(sample.head.wallMs)} ms; PUT ${perRequest(sample.put.cpuMs)} µs CPU/req, ${Math.round(sample.put.wallMs)} ms\n`);
    }
  }
} finally {
  await server.stop();
  rmSync(directory, { recursive: true, force: true });
}

const report = render();
process.stdout.write(report);
mkdirSync(join(here, '..', '..', 'bench', 'results'), { recursive: true });
writeFileSync(join(here, '..', '..', 'bench', 'results', 'client-candidates.md'), report);

function runChild(name: string, target: string, round: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'client-candidates', 'child.js'), name, target, String(requests), String(round)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_SUPPRESS_VERSION_WARNING: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Sample) : reject(new Error(`${name} failed (${code}): ${err.trim()}`))));
  });
}

function perRequest(cpuMs: number): number {
  return Math.round((cpuMs * 1000) / requests);
}

function render(): string {
  const commit = gitCommit();
  const lines = [
    '# Client cost per request: candidates side by side',
    '',
    `Command: \`npm run bench:client-candidates\` (ROUNDS=${rounds}, REQUESTS=${requests}, CONCURRENCY=${concurrency})  `,
    `Machine: ${machine}  `,
    `Commit: ${commit}, ${new Date().toISOString()}  `,
    `Server: s3rver on 127.0.0.1 in its own process, ${describeServerData(serverData)}. Each candidate runs in a fresh process per round, rounds interleaved (order rotated); after a warm-up of 50 HEADs and 50 PUTs it sends ${requests} HeadObject (half of the keys missing) then ${requests} PutObject of 4 KiB, ${concurrency} at a time. CPU is the client process's user+sys over the timed phase only (process.cpuUsage); medians of ${rounds} rounds.`,
    '',
    '| candidate | HEAD CPU µs/req | HEAD wall ms | PUT CPU µs/req | PUT wall ms | CPU vs sdk (HEAD / PUT) |',
    '|---|---|---|---|---|---|',
  ];
  const of = (name: string) => samples.filter((sample) => sample.name === name);
  const sdk = of('sdk');
  const sdkHead = median(sdk.map((s) => s.head.cpuMs));
  const sdkPut = median(sdk.map((s) => s.put.cpuMs));
  for (const name of CANDIDATE_NAMES) {
    const mine = of(name);
    const headCpu = median(mine.map((s) => s.head.cpuMs));
    const putCpu = median(mine.map((s) => s.put.cpuMs));
    lines.push(
      `| ${name} | ${perRequest(headCpu)} | ${Math.round(median(mine.map((s) => s.head.wallMs)))} | ${perRequest(putCpu)} | ${Math.round(median(mine.map((s) => s.put.wallMs)))} | ${(headCpu / sdkHead).toFixed(2)} / ${(putCpu / sdkPut).toFixed(2)} |`,
    );
  }
  lines.push('', 'Every round per candidate (CPU ms HEAD/PUT, wall ms HEAD/PUT):', '');
  for (const sample of samples) lines.push(`- round ${sample.round} ${sample.name}: ${Math.round(sample.head.cpuMs)}/${Math.round(sample.put.cpuMs)} CPU, ${Math.round(sample.head.wallMs)}/${Math.round(sample.put.wallMs)} wall`);
  return `${lines.join('\n')}\n`;
}

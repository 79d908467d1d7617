// `npm run bench:peers`: s3zipsync against awscli, rclone and s3cmd, all pointed at one embedded
// S3 server through a request-counting proxy. Each tool syncs the same generated fixture (the
// peers the extracted folder, s3zipsync the zip) into a fresh bucket, then syncs it again unchanged.
//
//   node dist/bench/peers/run.js [--strategy head --strategy list] [--rounds 3] [--seed N]
//                                [--peers aws,rclone,rclone-tuned,s3cmd] [--small 2000] [--markdown file] [--json file]
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalS3, type LocalS3 } from '../../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { createRng, randomSeed } from '../engine/rng.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture } from '../fixtures/tree-fixture.js';
import { describeMachine } from '../run/machine.js';
import { analyzePeers } from './analyze.js';
import { startCountingProxy, type CountingProxy } from '../../tools/s3-proxy/counting-proxy.js';
import { firstLineOf, installMissing } from './install.js';
import { measurePeers } from './measure.js';
import { PEERS, s3zipsyncTool, type Tool } from './peers.js';
import { renderPeersMarkdown, renderPeersText } from './print.js';
import type { PeersResult, ToolInfo } from './types.js';

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    strategy: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string' },
    peers: { type: 'string', default: PEERS.map((p) => p.name).join(',') },
    small: { type: 'string', default: String(PEERS_FIXTURE.smallFiles) },
    markdown: { type: 'string' },
    json: { type: 'string' },
    'no-install': { type: 'boolean', default: false },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`bench peers: ${message}\n`);
  process.exit(2);
}
function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got "${value}"`);
  return n;
}
const log = (message: string) => process.stderr.write(`[peers] ${message}\n`);

const rounds = positiveInteger(flags.rounds, '--rounds');
const seed = flags.seed === undefined ? randomSeed() : positiveInteger(flags.seed, '--seed');
const spec = { ...PEERS_FIXTURE, smallFiles: positiveInteger(flags.small, '--small') };
const wanted = flags.peers.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of wanted) if (!PEERS.some((p) => p.name === name)) fail(`unknown peer "${name}" (known: ${PEERS.map((p) => p.name).join(', ')})`);
const peers = PEERS.filter((p) => wanted.includes(p.name));

const binaryOf = (tool: Tool) => tool.version.file;
const missing = flags['no-install'] ? new Map<string, string>() : installMissing([...new Set(peers.map(binaryOf))], log);
const tools: Tool[] = [...(flags.strategy?.length ? flags.strategy.map((s) => s3zipsyncTool(s)) : [s3zipsyncTool(undefined)])];
for (const peer of peers) {
  if (missing.has(binaryOf(peer))) log(`skipping ${peer.name}: ${missing.get(binaryOf(peer))}`);
  else tools.push(peer);
}

const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-peers-'));
const abort = new AbortController();
let server: LocalS3 | undefined;
let proxy: CountingProxy | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping after the running tool, then cleaning up ${workDir}`);
    abort.abort();
  });
}

try {
  log(`writing the fixture (${describeSpec(spec)}) to ${workDir}`);
  const fixture = await writeTreeFixture(spec, join(workDir, 'fixture.zip'), join(workDir, 'fixture'));
  const dataDir = join(workDir, 's3');
  mkdirSync(dataDir);
  server = await startLocalS3({ directory: dataDir });
  proxy = await startCountingProxy(server.endpoint);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const directClient = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });

  const placeholders = {
    endpoint: proxy.endpoint, bucket: '<bucket>', prefix: 'site/', folder: '<fixture>', zipPath: '<fixture.zip>', workDir: join(workDir, 'placeholder'),
  };
  mkdirSync(placeholders.workDir);
  const infos: ToolInfo[] = tools.map((tool) => {
    const command = tool.command(placeholders);
    return {
      name: tool.name,
      isS3ZipSync: tool.isS3ZipSync,
      note: tool.note,
      version: firstLineOf(tool.version.file, tool.version.args),
      commandLine: [command.file === process.execPath ? 'node' : command.file, ...command.args]
        .join(' ')
        .replaceAll(proxy!.endpoint, '<endpoint>')
        .replaceAll(placeholders.workDir, '<config-dir>'),
    };
  });
  for (const info of infos) log(`${info.name}: ${info.version}`);

  const runs = await measurePeers({
    tools, rounds, rng: createRng(seed), fixture: { ...fixture, folder: fixture.folder! }, proxy, directClient, dataDir, workDir, signal: abort.signal, log,
  });
  directClient.destroy();
  const result: PeersResult = { tools: infos, runs, rounds, seed, fixture: `fixture: ${describeSpec(spec)} (zip ${(fixture.zipBytes / 1e6).toFixed(1)} MB)` };
  const figures = analyzePeers(result);
  const header = { machine: `${describeMachine()}, s3rver on the same host behind a counting proxy`, command: `node dist/bench/peers/run.js ${process.argv.slice(2).join(' ')}`.trim() };
  process.stdout.write(renderPeersText(result, figures, header));
  if (flags.markdown) writeFileSync(flags.markdown, renderPeersMarkdown(result, figures, header));
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ header, result, figures }, null, 2));
  if (abort.signal.aborted) process.exitCode = 130;
  else if (figures.some((f) => f.untrusted)) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`bench peers: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  await proxy?.close();
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
}

// `npm run bench:peers`: s3zipsync against awscli, rclone and s3cmd, all pointed at one embedded S3
// server through a request-counting proxy. Each tool syncs the same generated fixture (the peers the
// extracted folder, s3zipsync the zip) into a fresh bucket, then syncs it again unchanged.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRATEGY_NAMES } from '../../src/internal.js';
import { startCountingProxy } from '../../tools/s3-proxy/counting-proxy.js';
import { createRng, randomSeed } from '../engine/rng.js';
import { PEERS_FIXTURE, describeSpec, writeTreeFixture } from '../fixtures/tree-fixture.js';
import { defineFigure } from '../harness/figure.js';
import { BenchUsageError } from '../harness/flags.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { analyzePeers } from '../peers/analyze.js';
import { firstLineOf, installMissing, onPath } from '../peers/install.js';
import { measurePeers } from '../peers/measure.js';
import { PEERS, s3zipsyncTool, type Tool } from '../peers/peers.js';
import { peersRoundsChart } from '../peers/chart.js';
import { renderPeers } from '../peers/print.js';
import { renderStripChart } from '../print/strip-chart.js';
import type { PeersResult, ToolInfo } from '../peers/types.js';

const flags = {
  strategy: { type: 'choices', choices: STRATEGY_NAMES, describe: "s3zipsync strategies to run, each as its own tool (default: the CLI's default)" },
  rounds: { type: 'integer', min: 1, default: 3, describe: 'rounds; the tool order is shuffled in each' },
  seed: { type: 'integer', min: 1, describe: 'seed of the shuffles (default random, printed)' },
  peers: { type: 'choices', choices: PEERS.map((p) => p.name), default: PEERS.map((p) => p.name), describe: 'other tools to measure' },
  small: { type: 'integer', min: 1, default: PEERS_FIXTURE.smallFiles, describe: 'small files in the fixture' },
  'no-install': { type: 'boolean', describe: 'skip missing peers instead of installing them (pip, rclone.org)' },
  'timed-through-proxy': { type: 'boolean', describe: 'time the rounds through the counting proxy too (before: it adds CPU to every request on the same cores)' },
  json: { type: 'string', describe: 'also write the raw result to this file' },
  node: { type: 'string', describe: "also run s3zipsync under these Node binaries (comma-separated paths), each as its own tool, e.g. the current LTS beside the machine's Node" },
} as const;

export const figure = defineFigure({
  name: 'peers',
  title: 's3zipsync against awscli, rclone and s3cmd (embedded s3rver; requests counted through a proxy)',
  flags,
  async run(f, context): Promise<PeersResult> {
    const seed = f.seed ?? randomSeed();
    const spec = { ...PEERS_FIXTURE, smallFiles: f.small };
    const peers = PEERS.filter((p) => f.peers.includes(p.name));
    const binaryOf = (tool: Tool) => tool.version.file;
    const binaries = [...new Set(peers.map(binaryOf))];
    const missing = f['no-install'] ? new Map(binaries.filter((b) => !onPath(b)).map((b) => [b, 'not on PATH (--no-install)'])) : installMissing(binaries, context.log);
    const strategies: Array<string | undefined> = f.strategy?.length ? f.strategy : [undefined];
    const otherNodes = (f.node ?? '').split(',').filter(Boolean).map((path) => ({ path, major: nodeMajor(path) }));
    const tools: Tool[] = [undefined, ...otherNodes].flatMap((node) => strategies.map((strategy) => s3zipsyncTool(strategy, node)));
    for (const peer of peers) {
      if (missing.has(binaryOf(peer))) context.log(`skipping ${peer.name}: ${missing.get(binaryOf(peer))}`);
      else tools.push(peer);
    }
    return withLocalS3({ keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      context.log(`writing the fixture (${describeSpec(spec)}) to ${s3.workDir}`);
      const fixture = await writeTreeFixture(spec, join(s3.workDir, 'fixture.zip'), join(s3.workDir, 'fixture'));
      const proxy = await startCountingProxy(s3.endpoint);
      try {
        const placeholders = { endpoint: proxy.endpoint, bucket: '<bucket>', prefix: 'site/', folder: '<fixture>', zipPath: '<fixture.zip>', workDir: join(s3.workDir, 'placeholder') };
        mkdirSync(placeholders.workDir);
        const infos: ToolInfo[] = tools.map((tool) => {
          const command = tool.command(placeholders);
          return {
            name: tool.name,
            isS3ZipSync: tool.isS3ZipSync,
            note: tool.note,
            version: firstLineOf(tool.version.file, tool.version.args),
            commandLine: [command.file === process.execPath ? 'node' : command.file, ...command.args].join(' ').replaceAll(proxy.endpoint, '<endpoint>').replaceAll(placeholders.workDir, '<config-dir>'),
          };
        });
        for (const info of infos) context.log(`${info.name}: ${info.version}`);
        const runs = await measurePeers({
          tools, rounds: f.rounds, rng: createRng(seed), fixture: { ...fixture, folder: fixture.folder! }, proxy, serverEndpoint: s3.endpoint, timedThroughProxy: f['timed-through-proxy'] ?? false, directClient: s3.client, dataDir: s3.dataDir, workDir: s3.workDir, signal: context.signal, log: context.log,
        });
        const timing = f['timed-through-proxy']
          ? 'timed runs through the counting proxy (as the counted run)'
          : 'timed runs straight to the server; requests counted in one more run per tool through the counting proxy (a proxy on the same 2 cores adds CPU to every request)';
        const result: PeersResult = { tools: infos, runs, rounds: f.rounds, seed, fixture: `fixture: ${describeSpec(spec)} (zip ${(fixture.zipBytes / 1e6).toFixed(1)} MB); ${timing}` };
        if (f.json) writeFileSync(f.json, JSON.stringify({ result, figures: analyzePeers(result) }, null, 2));
        return result;
      } finally {
        await proxy.close();
      }
    });
  },
  verify(result) {
    return analyzePeers(result)
      .filter((figures) => figures.untrusted)
      .map((figures) => `${figures.tool}: a run failed or stored wrong bytes (see its PROBLEM notes)`);
  },
  report(result) {
    return renderPeers(result, analyzePeers(result));
  },
  attachments(result) {
    return [{ suffix: 'peers-rounds.svg', title: 'every timed round as a chart', content: renderStripChart(peersRoundsChart(result)) }];
  },
});

/** The major version of the Node binary at `path`; a path that does not run is a usage mistake. */
function nodeMajor(path: string): number {
  try {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    return Number(/^v(\d+)\./.exec(version)?.[1] ?? Number.NaN);
  } catch (error) {
    throw new BenchUsageError(`--node: cannot run ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

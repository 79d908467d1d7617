// `npm run bench:remote`: s3zipsync against rclone and aws-cli as if the server were remote: every
// request goes through a proxy in the bench process that delays it (20 ms, 60 ms per listing page by
// default) and, in the throttled scenarios, answers 503 SlowDown over a PUT rate. Scenarios of issue
// 25 ("Remote S3 at scale"): first sync, no-change re-syncs, throttled first syncs, a scaling curve.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createCountingPlugin } from '../../tools/s3-proxy/counting-proxy.js';
import { createLatencyPlugin, describeLatency, parseLatencyConfig } from '../../tools/s3-proxy/latency-plugin.js';
import { startReverseProxy } from '../../tools/s3-proxy/reverse-proxy.js';
import { createThrottlePlugin, defaultBurst, type RequestClass } from '../../tools/s3-proxy/throttle-plugin.js';
import { createRng, randomSeed } from '../engine/rng.js';
import { defineFigure } from '../harness/figure.js';
import { BenchUsageError } from '../harness/flags.js';
import type { Tool } from '../peers/peers.js';
import { firstLineOf, installMissing, onPath } from '../peers/install.js';
import { analyzeRemote } from '../remote/analyze.js';
import { renderStripChart } from '../print/strip-chart.js';
import { renderLineChart } from '../remote/chart.js';
import { remoteRoundsChart } from '../remote/rounds-chart.js';
import { FixtureStore } from '../remote/fixtures.js';
import { measureRemote } from '../remote/measure.js';
import { planCases, SCENARIOS } from '../remote/plan.js';
import { refusedVariants } from '../remote/preflight.js';
import { curveChart, renderRemote } from '../remote/print.js';
import { startBenchServer, type ServerKind } from '../remote/server.js';
import { isRclone, PEER_NAMES, parseVariant, peerTool, s3zipsyncTool, TOOL_NAMES } from '../remote/tools.js';
import type { RemoteResult } from '../remote/types.js';

const flags = {
  server: { type: 'choices', choices: ['s3rver', 'rgw'], describe: 'the server behind the proxy (default: rgw when radosgw is installed; s3rver lists out of byte order and slowly)' },
  endpoint: { type: 'string', describe: 'an S3 endpoint instead of a local server; keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (buckets are created and deleted)' },
  scenario: { type: 'choices', choices: SCENARIOS, default: SCENARIOS, describe: 'a first sync, b its no-change re-sync, c no-change in one folder, d throttled first syncs, e the scaling curve' },
  tools: { type: 'choices', choices: TOOL_NAMES, default: TOOL_NAMES, describe: 'tools to measure (the curve runs s3zipsync and the rclones only)' },
  variant: { type: 'repeatable', describe: "an s3zipsync variant, run as its own tool: 'NAME=--flag value --flag2' (flags split on spaces)" },
  rounds: { type: 'integer', min: 1, default: 3, describe: 'rounds per case, tool order shuffled in each; with 2 or more the first is a warm-up left out of the medians' },
  seed: { type: 'integer', min: 1, describe: 'seed of the shuffles (default random, printed)' },
  files: { type: 'integer', min: 1, default: 20000, describe: 'files of scenarios a, b, c' },
  folders: { type: 'integer', min: 2, default: 200, describe: 'folders of the many-folder layouts' },
  sizes: { type: 'sizes', default: '500,4000', describe: 'smallest and largest file, bytes' },
  'throttled-files': { type: 'integers', min: 1, default: [5000, 20000], describe: 'files of each throttled first sync (d)' },
  'curve-sizes': { type: 'integers', min: 1, default: [10000, 20000, 50000, 100000], describe: 'entries of each point of the scaling curve (e), one folder and many' },
  latency: { type: 'string', default: 'default=20,ListObjectsV2=60', describe: 'first-byte delay in ms per S3 operation, OPERATION=MS,…' },
  'put-rate': { type: 'integer', min: 1, default: 300, describe: 'PUT-class requests per second per bucket in the throttled cases' },
  'get-rate': { type: 'integer', min: 0, default: 0, describe: 'GET/HEAD requests per second in the throttled cases (0: not limited)' },
  'list-rate': { type: 'integer', min: 0, default: 0, describe: 'listing requests per second in the throttled cases (0: not limited)' },
  burst: { type: 'integer', min: 1, describe: 'requests a full token bucket lets through at once (default: a tenth of a second at each rate)' },
  'listing-slack': { type: 'integer', min: 0, default: 5, describe: 'K in the target "listing requests ≤ ⌈N/1000⌉ + K"' },
  'no-install': { type: 'boolean', describe: 'skip missing peers instead of installing them (apt-get)' },
  json: { type: 'string', describe: 'also write the raw result and the figures to this file' },
} as const;

export const figure = defineFigure({
  name: 'remote',
  title: 's3zipsync against rclone and aws-cli through a proxy adding remote latency and S3 throttling',
  flags,
  async run(f, context): Promise<RemoteResult> {
    const seed = f.seed ?? randomSeed();
    const kind: ServerKind = f.endpoint ? 'endpoint' : (f.server?.at(-1) as ServerKind | undefined) ?? (onPath('radosgw') ? 'rgw' : 's3rver');
    if (f.sizes.length !== 2 || f.sizes[0]! > f.sizes[1]!) throw new BenchUsageError('--sizes: give the smallest and the largest file size, e.g. 500,4000');
    let latency: ReturnType<typeof parseLatencyConfig>;
    try {
      latency = parseLatencyConfig(f.latency);
    } catch (error) {
      throw new BenchUsageError(`--latency: ${(error as Error).message}`);
    }
    let variants: ReturnType<typeof parseVariant>[];
    try {
      variants = f.variant.map(parseVariant);
    } catch (error) {
      throw new BenchUsageError((error as Error).message);
    }

    const skipped: string[] = [];
    const tools: Tool[] = [];
    if (f.tools.includes('s3zipsync')) tools.push(s3zipsyncTool());
    tools.push(...variants.map(s3zipsyncTool));
    const peers = PEER_NAMES.filter((name) => f.tools.includes(name)).map(peerTool);
    const binaries = [...new Set(peers.map((p) => p.version.file))];
    const missing = f['no-install'] ? new Map(binaries.filter((b) => !onPath(b)).map((b) => [b, 'not on PATH (--no-install)'])) : installMissing(binaries, context.log);
    for (const peer of peers) {
      const why = missing.get(peer.version.file);
      if (why) skipped.push(`${peer.name}: ${why}`);
      else tools.push(peer);
    }

    const rates: Partial<Record<RequestClass, number>> = { put: f['put-rate'], ...(f['get-rate'] ? { get: f['get-rate'] } : {}), ...(f['list-rate'] ? { list: f['list-rate'] } : {}) };
    const burst = f.burst === undefined ? undefined : { put: f.burst, get: f.burst, list: f.burst };
    const limits = Object.entries(rates).map(([cls, rate]) => `${rate} ${cls.toUpperCase()}/s per bucket (burst ${burst?.put ?? defaultBurst(rate)})`);
    const throttleText = `${limits.join(', ')}, 503 SlowDown above`;

    const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-remote-'));
    const runId = `r${Date.now().toString(36)}`;
    const server = await startBenchServer({ kind, endpoint: f.endpoint, workDir, serverData: context.serverData, keep: context.keep, log: context.log });
    const counting = createCountingPlugin();
    const throttle = createThrottlePlugin({ rates, ...(burst ? { burst } : {}) });
    throttle.setEnabled(false);
    try {
      const refused = await refusedVariants(tools, server, workDir, runId);
      for (const [name, why] of refused) {
        skipped.push(`${name}: s3zipsync refused the variant (${why})`);
        context.log(`NOT MEASURED ${name}: s3zipsync refused the variant (${why})`);
      }
      const measured = tools.filter((t) => !refused.has(t.name));
      for (const why of skipped) context.log(`skipping ${why}`);
      const names = measured.map((t) => t.name);
      const cases = planCases({
        scenarios: f.scenario,
        files: f.files,
        folders: f.folders,
        throttledFiles: f['throttled-files'],
        curveSizes: f['curve-sizes'],
        tools: names,
        curveTools: names.filter((n) => measured.find((t) => t.name === n)!.isS3ZipSync || isRclone(n)),
      });
      const proxy = await startReverseProxy(server.endpoint, { plugins: [counting, throttle, createLatencyPlugin(latency)], upstreamKeepAlive: true });
      try {
        const runs = await measureRemote({
          cases,
          tools: new Map(measured.map((t) => [t.name, t])),
          rounds: f.rounds,
          rng: createRng(seed),
          server,
          proxy: { endpoint: proxy.endpoint, counting, throttle },
          fixtures: new FixtureStore(join(workDir, 'fixtures'), { min: f.sizes[0]!, max: f.sizes[1]! }, context.log),
          runId,
          workDir,
          signal: context.signal,
          log: context.log,
        });
        const result: RemoteResult = {
          server: server.description,
          latency: describeLatency(latency),
          throttle: throttleText,
          putRate: f['put-rate'],
          tools: measured.map((t) => ({ name: t.name, isS3ZipSync: t.isS3ZipSync, isRclone: isRclone(t.name), version: firstLineOf(t.version.file, t.version.args), note: t.note })),
          cases,
          runs,
          rounds: f.rounds,
          seed,
          listingSlack: f['listing-slack'],
          skipped,
        };
        if (f.json) {
          mkdirSync(dirname(f.json), { recursive: true });
          writeFileSync(f.json, JSON.stringify({ result, figures: analyzeRemote(result) }, null, 2));
        }
        return result;
      } finally {
        await proxy.stop();
      }
    } finally {
      await server.stop().catch((error: unknown) => context.log(`stopping the server failed: ${error instanceof Error ? error.message : String(error)}`));
      if (context.keep) context.log(`kept ${workDir}`);
      else rmSync(workDir, { recursive: true, force: true });
    }
  },
  verify(result) {
    const figures = analyzeRemote(result);
    const problems = figures.cases.flatMap((c) => c.tools.filter((t) => t.problems.length).map((t) => `${c.spec.id} ${t.tool}: ${t.problems.length} problem(s), see the notes`));
    problems.push(...result.skipped.filter((s) => s.includes('refused the variant')).map((s) => `not measured: ${s}`));
    return problems;
  },
  report(result) {
    return renderRemote(result, analyzeRemote(result));
  },
  server: (result) => result.server,
  attachments(result) {
    const chart = curveChart(analyzeRemote(result));
    const rounds = { suffix: 'remote-rounds.svg', title: 'wall and CPU of every round as a chart', content: renderStripChart(remoteRoundsChart(result)) };
    return chart ? [{ suffix: 'remote-curve.svg', title: 'scaling curve as a chart', content: renderLineChart(chart) }, rounds] : [rounds];
  },
});

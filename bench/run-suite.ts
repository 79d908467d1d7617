// The runtime of the CLI's `s3zipsync bench` command: runs the strategies or download suite against a
// bucket, or against the embedded server, and prints the report. bin/commands/bench.ts maps its flags
// to a SuiteRequest and loads this module only when the command runs.
import type { S3Client } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { summarizeAa } from './engine/aa.js';
import { randomSeed } from './engine/rng.js';
import type { Sample, ScenarioResult } from './engine/types.js';
import { formatAaText, type AaView } from './print/aa-text.js';
import { withLocalS3 } from './harness/local-s3.js';
import { formatMarkdown } from './print/report-markdown.js';
import { formatReportHtml, formatReportSvg } from './print/report-page.js';
import { formatText } from './print/report-text.js';
import type { ReportView } from './print/report-view.js';
import { formatSamplesCsv } from './print/samples-csv.js';
import type { MethodFamily, Scenario } from './suites/choices.js';
import { downloadReportView } from './suites/download/download-view.js';
import { runDownloadBench } from './suites/download/suite.js';
import { strategyReportView } from './suites/strategies-view.js';
import { runStrategyBench } from './suites/strategies.js';

/** Repeated runs of an A/A check unless told otherwise: enough to see a 5% false-difference rate at all. */
export const DEFAULT_AA_RUNS = 20;

export interface SuiteRequest {
  suite: 'strategies' | 'download';
  /** A bucket of the caller's, or `local` for a bucket on the embedded server started for the run. */
  target: { client: S3Client; bucket: string } | 'local';
  prefix?: string;
  strategies?: string[];
  scenarios?: Scenario[];
  methods?: MethodFamily[];
  sizes?: number[];
  parallel: number;
  memory: boolean;
  samples?: number;
  durationMs?: number;
  warmup?: number;
  seed?: number;
  /** A/A: one strategy or method as two arms, `aaRuns` times, reporting how often noise was called a difference. */
  aa?: boolean;
  aaRuns?: number;
  /** Also write a self-contained chart report (.html or .svg) here. */
  report?: string;
  output: 'text' | 'markdown' | 'json';
  csv?: string;
  onProgress?: (progress: { scenario: string; done: number; total: number }) => void;
  signal: AbortSignal;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runSuite(request: SuiteRequest): Promise<void> {
  if (request.target === 'local') {
    await withLocalS3({ buckets: ['bench'] }, (s3) => runOn(request, s3.client, 'bench'));
  } else {
    await runOn(request, request.target.client, request.target.bucket);
  }
}

interface SuiteRun {
  report: { seed: number; samples: Sample[]; scenarios: ScenarioResult[]; cleanup: { leftover: number }; runPrefix: string };
  view: ReportView;
}

async function runOn(request: SuiteRequest, client: S3Client, bucket: string): Promise<void> {
  if (request.aa) {
    await runAa(request, client, bucket);
    return;
  }
  const { report, view } = await runOnce(request, client, bucket, request.seed, request.onProgress);
  if (request.csv) writeFileSync(request.csv, formatSamplesCsv(report.samples));
  if (request.report) writeFileSync(request.report, /\.svg$/i.test(request.report) ? formatReportSvg(view) : formatReportHtml(view));
  if (request.output === 'json') request.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else request.stdout.write(request.output === 'markdown' ? formatMarkdown(view) : formatText(view));
  warnLeftover(request, report);
}

async function runOnce(
  request: SuiteRequest,
  client: S3Client,
  bucket: string,
  seed: number | undefined,
  onProgress: SuiteRequest['onProgress'],
): Promise<SuiteRun> {
  const common = {
    client,
    bucket,
    ...(request.prefix ? { prefix: request.prefix } : {}),
    ...(request.durationMs !== undefined ? { durationMs: request.durationMs, samples: Number.MAX_SAFE_INTEGER } : request.samples !== undefined ? { samples: request.samples } : {}),
    ...(request.warmup !== undefined ? { warmup: request.warmup } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(request.aa ? { aa: true } : {}),
    signal: request.signal,
  };
  if (request.suite === 'download') {
    const downloads = await runDownloadBench({
      ...common,
      ...(request.methods ? { families: request.methods } : {}),
      ...(request.sizes ? { sizes: request.sizes } : {}),
      parallel: request.parallel,
      memory: request.memory,
    });
    return { report: downloads, view: downloadReportView(downloads) };
  }
  const strategies = await runStrategyBench({
    ...common,
    ...(request.strategies ? { strategies: request.strategies } : {}),
    ...(request.scenarios ? { scenarios: request.scenarios } : {}),
  });
  return { report: strategies, view: strategyReportView(strategies) };
}

/**
 * Repeated A/A runs, each a whole bench run with its own seed and run prefix, so every run meets the
 * bench as a user would; what is reported is how often the verdict named a winner between the arms.
 */
async function runAa(request: SuiteRequest, client: S3Client, bucket: string): Promise<void> {
  const runs = request.aaRuns ?? DEFAULT_AA_RUNS;
  const baseSeed = request.seed ?? randomSeed();
  const loadBefore = os.loadavg()[0]!;
  const results: SuiteRun[] = [];
  for (let i = 0; i < runs && !request.signal.aborted; i++) {
    const progress = request.onProgress;
    const run = await runOnce(request, client, bucket, (baseSeed + i) >>> 0, progress ? (p) => progress({ ...p, scenario: `run ${i + 1}/${runs} ${p.scenario}` }) : undefined);
    warnLeftover(request, run.report);
    results.push(run);
  }
  const loadAfter = os.loadavg()[0]!;
  const first = results[0];
  const last = results.at(-1);
  // The charts show one run's samples; the last one is as good as any, and the table covers them all.
  if (request.report && last) writeFileSync(request.report, /\.svg$/i.test(request.report) ? formatReportSvg(last.view) : formatReportHtml(last.view));
  const scenarios = summarizeAa(results.map((run) => ({ seed: run.report.seed, scenarios: run.report.scenarios })));
  const arms = first?.report.scenarios[0]?.variants.map((v) => v.variant).sort() ?? [];
  const kept = first?.report.scenarios[0]?.variants[0]?.summary.samples ?? 0;
  const view: AaView = {
    title: `s3zipsync bench${request.suite === 'download' ? ' download' : ''} --aa: ${arms.join(' against ')}, the same ${request.suite === 'download' ? 'method' : 'strategy'} as two arms`,
    header: [
      ...(first?.view.header.slice(0, 2) ?? []),
      `${results.length} runs · ${kept} samples per arm and scenario after warm-up · seeds ${baseSeed}–${(baseSeed + results.length - 1) >>> 0}`,
      `${os.cpus().length} cores · load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    ],
    scenarios,
  };
  if (request.output === 'json') request.stdout.write(`${JSON.stringify({ aa: view, runs: results.map((run) => ({ seed: run.report.seed, scenarios: run.report.scenarios })) }, null, 2)}\n`);
  else request.stdout.write(formatAaText(view));
}

function warnLeftover(request: SuiteRequest, report: SuiteRun['report']): void {
  if (report.cleanup.leftover > 0) request.stderr.write(`warning: ${report.cleanup.leftover} objects could not be deleted under ${report.runPrefix}\n`);
}

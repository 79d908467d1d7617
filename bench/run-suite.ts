// The runtime of the CLI's `s3zipsync bench` command: runs the strategies or download suite against a
// bucket, or against the embedded server, and prints the report. bin/commands/bench.ts maps its flags
// to a SuiteRequest and loads this module only when the command runs.
import type { S3Client } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import type { Sample } from './engine/types.js';
import { withLocalS3 } from './harness/local-s3.js';
import { formatMarkdown } from './print/report-markdown.js';
import { formatText } from './print/report-text.js';
import type { ReportView } from './print/report-view.js';
import { formatSamplesCsv } from './print/samples-csv.js';
import type { MethodFamily, Scenario } from './suites/choices.js';
import { downloadReportView } from './suites/download/download-view.js';
import { runDownloadBench } from './suites/download/suite.js';
import { strategyReportView } from './suites/strategies-view.js';
import { runStrategyBench } from './suites/strategies.js';

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

async function runOn(request: SuiteRequest, client: S3Client, bucket: string): Promise<void> {
  const common = {
    client,
    bucket,
    ...(request.prefix ? { prefix: request.prefix } : {}),
    ...(request.durationMs !== undefined ? { durationMs: request.durationMs, samples: Number.MAX_SAFE_INTEGER } : request.samples !== undefined ? { samples: request.samples } : {}),
    ...(request.warmup !== undefined ? { warmup: request.warmup } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    signal: request.signal,
  };
  let report: { samples: Sample[]; cleanup: { leftover: number }; runPrefix: string };
  let view: ReportView;
  if (request.suite === 'download') {
    const downloads = await runDownloadBench({
      ...common,
      ...(request.methods ? { families: request.methods } : {}),
      ...(request.sizes ? { sizes: request.sizes } : {}),
      parallel: request.parallel,
      memory: request.memory,
    });
    report = downloads;
    view = downloadReportView(downloads);
  } else {
    const strategies = await runStrategyBench({
      ...common,
      ...(request.strategies ? { strategies: request.strategies } : {}),
      ...(request.scenarios ? { scenarios: request.scenarios } : {}),
    });
    report = strategies;
    view = strategyReportView(strategies);
  }
  if (request.csv) writeFileSync(request.csv, formatSamplesCsv(report.samples));
  if (request.output === 'json') request.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else request.stdout.write(request.output === 'markdown' ? formatMarkdown(view) : formatText(view));
  if (report.cleanup.leftover > 0) request.stderr.write(`warning: ${report.cleanup.leftover} objects could not be deleted under ${report.runPrefix}\n`);
}

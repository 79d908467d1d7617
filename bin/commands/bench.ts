import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { S3ZipSyncError, PER_KEY_STRATEGY_NAMES, createS3Client } from '../../src/internal.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { formatMarkdown } from '../../bench/print/report-markdown.js';
import { formatText } from '../../bench/print/report-text.js';
import { formatSamplesCsv } from '../../bench/print/samples-csv.js';
import { SCENARIOS, runStrategyBench, type Scenario } from '../../bench/suites/strategies.js';
import { strategyReportView } from '../../bench/suites/strategies-view.js';
import { downloadReportView } from '../../bench/suites/download/download-view.js';
import { runDownloadBench } from '../../bench/suites/download/suite.js';
import { METHOD_FAMILIES, type MethodFamily } from '../../bench/suites/download/types.js';
import type { ReportView } from '../../bench/print/report-view.js';
import { parseSize } from '../parse-size.js';
import type { CliContext } from '../cli-context.js';
import type { Sample } from '../../bench/engine/types.js';
import { clientOptionsFrom, withClientFlags, type ClientFlags } from './client-flags.js';

interface BenchFlags extends ClientFlags {
  suite: 'strategies' | 'download';
  bucket?: string;
  local: boolean;
  prefix?: string;
  strategy?: string[];
  scenario?: Scenario[];
  method?: MethodFamily[];
  size?: string[];
  parallel: number;
  memory: boolean;
  samples?: number;
  duration?: string;
  warmup: number;
  seed?: number;
  json: boolean;
  markdown: boolean;
  csv?: string;
}

export function benchCommand(context: CliContext): CommandModule<object, BenchFlags> {
  return {
    command: 'bench [suite]',
    describe: 'Measure existence-check strategies (default) or download methods against a bucket, or the embedded server with --local',
    builder: (yargs: Argv) =>
      withClientFlags(yargs)
        .positional('suite', { choices: ['strategies', 'download'], default: 'strategies', describe: 'What to measure' })
        .option('bucket', { type: 'string', describe: 'Bucket to measure against (objects go under a unique run prefix and are deleted)' })
        .option('local', { type: 'boolean', default: false, describe: 'Start the embedded S3 server for the run' })
        .option('prefix', { type: 'string', describe: 'Folder under which the run prefix is made' })
        .option('strategy', { type: 'string', array: true, choices: PER_KEY_STRATEGY_NAMES, describe: 'Per-key strategies to compare (default: all)' })
        .option('scenario', { type: 'string', array: true, choices: SCENARIOS, describe: 'Scenarios (default: all)' })
        .option('method', { type: 'string', array: true, choices: METHOD_FAMILIES, describe: 'download: methods to compare (default: all)' })
        .option('size', { type: 'string', array: true, describe: 'download: stored object sizes (default: 1MB 18MB)' })
        .option('parallel', { type: 'number', default: 4, describe: 'download: concurrent range requests of ranged-parallel' })
        .option('memory', { type: 'boolean', default: true, describe: 'download: measure each method\'s peak memory in a child process' })
        .option('samples', { type: 'number', describe: 'Samples per variant and scenario, after warm-up (default: 200 strategies, 20 download)' })
        .option('duration', { type: 'string', describe: 'Time budget instead of a sample count, e.g. 30s, 2m' })
        .option('warmup', { type: 'number', describe: 'Samples per variant dropped at the start (default: 10 strategies, 3 download)' })
        .option('seed', { type: 'number', describe: 'Seed of the round order (printed; default random)' })
        .option('json', { type: 'boolean', default: false, describe: 'The whole result, raw samples included, as JSON' })
        .option('markdown', { type: 'boolean', default: false, describe: 'A Markdown report' })
        .option('csv', { type: 'string', describe: 'Also write raw samples to this CSV file' })
        .check((argv) => {
          if (argv.json && argv.markdown) throw new Error('choose one of --json and --markdown');
          if (!argv.local && !argv.bucket) throw new Error('give --bucket, or --local for the embedded server');
          if (argv.samples !== undefined && (!Number.isInteger(argv.samples) || argv.samples < 1)) throw new Error(`--samples must be a positive integer, got ${argv.samples}`);
          if (argv.warmup !== undefined && (!Number.isInteger(argv.warmup) || argv.warmup < 0)) throw new Error(`--warmup must be a non-negative integer, got ${argv.warmup}`);
          if (!Number.isInteger(argv.parallel) || argv.parallel < 1) throw new Error(`--parallel must be a positive integer, got ${argv.parallel}`);
          return true;
        }) as unknown as Argv<BenchFlags>,
    handler: async (argv: ArgumentsCamelCase<BenchFlags>) => {
      const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration);
      const target = argv.local ? await localTarget() : { client: createS3Client(clientOptionsFrom(argv)), bucket: argv.bucket!, stop: async () => {} };
      try {
        const common = {
          client: target.client,
          bucket: target.bucket,
          ...(argv.prefix ? { prefix: argv.prefix } : {}),
          ...(durationMs !== undefined ? { durationMs, samples: Number.MAX_SAFE_INTEGER } : argv.samples !== undefined ? { samples: argv.samples } : {}),
          ...(argv.warmup !== undefined ? { warmup: argv.warmup } : {}),
          ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
          onProgress: progressPrinter(context),
          signal: context.signal,
        };
        let report: { samples: Sample[]; cleanup: { leftover: number }; runPrefix: string };
        let view: ReportView;
        if (argv.suite === 'download') {
          const downloads = await runDownloadBench({
            ...common,
            ...(argv.method ? { families: argv.method } : {}),
            ...(argv.size ? { sizes: argv.size.map((size) => parseSize(size, 'size')) } : {}),
            parallel: argv.parallel,
            memory: argv.memory,
          });
          report = downloads;
          view = downloadReportView(downloads);
        } else {
          const strategies = await runStrategyBench({
            ...common,
            ...(argv.strategy ? { strategies: argv.strategy } : {}),
            ...(argv.scenario ? { scenarios: argv.scenario } : {}),
          });
          report = strategies;
          view = strategyReportView(strategies);
        }
        if (argv.csv) writeFileSync(argv.csv, formatSamplesCsv(report.samples));
        if (argv.json) context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else context.stdout.write(argv.markdown ? formatMarkdown(view) : formatText(view));
        if (report.cleanup.leftover > 0) {
          context.stderr.write(`warning: ${report.cleanup.leftover} objects could not be deleted under ${report.runPrefix}\n`);
        }
      } finally {
        target.client.destroy();
        await target.stop();
      }
    },
  };
}

async function localTarget(): Promise<{ client: S3Client; bucket: string; stop: () => Promise<void> }> {
  // Loaded only with --local, so the library and a Lambda bundle never pull the server in.
  const { startLocalS3 } = await import('../local-s3/start-local-s3.js');
  const directory = mkdtempSync(join(tmpdir(), 's3zipsync-bench-'));
  const bucket = 'bench';
  const server = await startLocalS3({ directory, buckets: [bucket] });
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  return {
    client,
    bucket,
    stop: async () => {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function progressPrinter(context: CliContext) {
  if (!context.stderr.isTTY) return undefined;
  return ({ scenario, done, total }: { scenario: string; done: number; total: number }) => {
    context.stderr.write(`\r${scenario}: ${done}/${total} samples${done === total ? '\n' : ''}`);
  };
}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new S3ZipSyncError('INVALID_OPTION', `invalid --duration: ${JSON.stringify(text)} (examples: 30s, 2m, 500ms)`);
  const unit = match[2] ?? 's';
  return Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { S3ZipSyncError, STRATEGY_NAMES, createS3Client } from '../../src/index.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { formatMarkdown } from '../../bench/print/report-markdown.js';
import { formatText } from '../../bench/print/report-text.js';
import { formatSamplesCsv } from '../../bench/print/samples-csv.js';
import { SCENARIOS, runStrategyBench, type Scenario } from '../../bench/suites/strategies.js';
import { strategyReportView } from '../../bench/suites/strategies-view.js';
import type { CliContext } from '../cli-context.js';
import { clientOptionsFrom, withClientFlags, type ClientFlags } from './client-flags.js';

interface BenchFlags extends ClientFlags {
  suite: 'strategies';
  bucket?: string;
  local: boolean;
  prefix?: string;
  strategy?: string[];
  scenario?: Scenario[];
  samples: number;
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
    describe: 'Measure the existence-check strategies against a bucket (or the embedded server with --local)',
    builder: (yargs: Argv) =>
      withClientFlags(yargs)
        .positional('suite', { choices: ['strategies'], default: 'strategies', describe: 'What to measure' })
        .option('bucket', { type: 'string', describe: 'Bucket to measure against (objects go under a unique run prefix and are deleted)' })
        .option('local', { type: 'boolean', default: false, describe: 'Start the embedded S3 server for the run' })
        .option('prefix', { type: 'string', describe: 'Folder under which the run prefix is made' })
        .option('strategy', { type: 'string', array: true, choices: STRATEGY_NAMES, describe: 'Strategies to compare (default: all)' })
        .option('scenario', { type: 'string', array: true, choices: SCENARIOS, describe: 'Scenarios (default: all)' })
        .option('samples', { type: 'number', default: 200, describe: 'Samples per strategy and scenario, after warm-up' })
        .option('duration', { type: 'string', describe: 'Time budget instead of a sample count, e.g. 30s, 2m' })
        .option('warmup', { type: 'number', default: 10, describe: 'Samples per strategy dropped at the start' })
        .option('seed', { type: 'number', describe: 'Seed of the round order (printed; default random)' })
        .option('json', { type: 'boolean', default: false, describe: 'The whole result, raw samples included, as JSON' })
        .option('markdown', { type: 'boolean', default: false, describe: 'A Markdown report' })
        .option('csv', { type: 'string', describe: 'Also write raw samples to this CSV file' })
        .check((argv) => {
          if (argv.json && argv.markdown) throw new Error('choose one of --json and --markdown');
          if (!argv.local && !argv.bucket) throw new Error('give --bucket, or --local for the embedded server');
          if (!Number.isInteger(argv.samples) || argv.samples < 1) throw new Error(`--samples must be a positive integer, got ${argv.samples}`);
          if (!Number.isInteger(argv.warmup) || argv.warmup < 0) throw new Error(`--warmup must be a non-negative integer, got ${argv.warmup}`);
          return true;
        }) as unknown as Argv<BenchFlags>,
    handler: async (argv: ArgumentsCamelCase<BenchFlags>) => {
      const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration);
      const target = argv.local ? await localTarget() : { client: createS3Client(clientOptionsFrom(argv)), bucket: argv.bucket!, stop: async () => {} };
      try {
        const report = await runStrategyBench({
          client: target.client,
          bucket: target.bucket,
          ...(argv.prefix ? { prefix: argv.prefix } : {}),
          ...(argv.strategy ? { strategies: argv.strategy } : {}),
          ...(argv.scenario ? { scenarios: argv.scenario } : {}),
          samples: durationMs === undefined ? argv.samples : Number.MAX_SAFE_INTEGER,
          ...(durationMs !== undefined ? { durationMs } : {}),
          warmup: argv.warmup,
          ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
          onProgress: progressPrinter(context),
          signal: context.signal,
        });
        const view = strategyReportView(report);
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

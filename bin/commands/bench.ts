import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { S3ZipSyncError, PER_KEY_STRATEGY_NAMES } from '../../src/static-entry.js';
// Only the flag choices load with the CLI; the bench itself (bench/run-suite.ts) is imported when the command runs.
import { METHOD_FAMILIES, SCENARIOS, type MethodFamily, type Scenario } from '../../bench/suites/choices.js';
import { parseSize } from '../../tools/parse-size.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
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
  aa: boolean;
  aaRuns?: number;
  report?: string;
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
        .option('aa', { type: 'boolean', default: false, describe: 'A/A check: one strategy (or method) as two arms, in repeated runs; reports how often noise is called a difference' })
        .option('aa-runs', { type: 'number', describe: 'With --aa: how many runs (default 20)' })
        .option('report', { type: 'string', describe: 'Also write a self-contained chart report to this .html or .svg file' })
        .check((argv) => {
          if (argv.json && argv.markdown) throw new Error('choose one of --json and --markdown');
          if (!argv.local && !argv.bucket) throw new Error('give --bucket, or --local for the embedded server');
          if (argv.samples !== undefined && (!Number.isInteger(argv.samples) || argv.samples < 1)) throw new Error(`--samples must be a positive integer, got ${argv.samples}`);
          if (argv.warmup !== undefined && (!Number.isInteger(argv.warmup) || argv.warmup < 0)) throw new Error(`--warmup must be a non-negative integer, got ${argv.warmup}`);
          if (!Number.isInteger(argv.parallel) || argv.parallel < 1) throw new Error(`--parallel must be a positive integer, got ${argv.parallel}`);
          const aaRuns = argv.aaRuns as number | undefined;
          if (aaRuns !== undefined && (!argv.aa || !Number.isInteger(aaRuns) || aaRuns < 1)) throw new Error(`--aa-runs needs --aa and a positive integer, got ${aaRuns}`);
          if (argv.aa && ((argv.strategy?.length ?? 0) > 1 || (argv.method?.length ?? 0) > 1)) throw new Error('--aa compares one strategy or method with itself: give at most one --strategy or --method');
          if (argv.report !== undefined && !/\.(html?|svg)$/i.test(argv.report)) throw new Error(`--report writes .html or .svg, got ${JSON.stringify(argv.report)}`);
          return true;
        }) as unknown as Argv<BenchFlags>,
    handler: async (argv: ArgumentsCamelCase<BenchFlags>) => {
      const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration);
      // The SDK and the bench load only when the bench runs: every other command starts without them.
      const { createS3Client } = await import('../../src/internal.js');
      const client = argv.local ? undefined : createS3Client(clientOptionsFrom(argv));
      try {
        const { runSuite } = await import('../../bench/run-suite.js');
        const progress = progressPrinter(context);
        await runSuite({
          suite: argv.suite,
          target: client ? { client, bucket: argv.bucket! } : 'local',
          ...(argv.prefix ? { prefix: argv.prefix } : {}),
          ...(argv.strategy ? { strategies: argv.strategy } : {}),
          ...(argv.scenario ? { scenarios: argv.scenario } : {}),
          ...(argv.method ? { methods: argv.method } : {}),
          ...(argv.size ? { sizes: argv.size.map((size) => parseSize(size, 'size')) } : {}),
          parallel: argv.parallel,
          memory: argv.memory,
          ...(argv.samples !== undefined ? { samples: argv.samples } : {}),
          ...(durationMs !== undefined ? { durationMs } : {}),
          ...(argv.warmup !== undefined ? { warmup: argv.warmup } : {}),
          ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
          output: argv.json ? 'json' : argv.markdown ? 'markdown' : 'text',
          ...(argv.csv ? { csv: argv.csv } : {}),
          ...(argv.aa ? { aa: true } : {}),
          ...(argv.aaRuns !== undefined ? { aaRuns: argv.aaRuns } : {}),
          ...(argv.report ? { report: argv.report } : {}),
          ...(progress ? { onProgress: progress } : {}),
          signal: context.signal,
          stdout: context.stdout,
          stderr: context.stderr,
        });
      } catch (error) {
        const { isBenchError } = await import('../../bench/bench-error.js');
        if (!isBenchError(error)) throw error;
        // The bench refused to time: a usage-level outcome (exit 2), one line, like a library refusal.
        context.stderr.write(`s3zipsync: ${error.message}\n`);
        context.setExitCode(EXIT.usage);
      } finally {
        client?.destroy();
      }
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

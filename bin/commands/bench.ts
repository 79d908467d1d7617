import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { S3ZipSyncError, PER_KEY_STRATEGY_NAMES } from '../../src/static-entry.js';
// Only the flag choices load with the CLI; the bench itself (bench/run-suite.ts) is imported when the command runs.
import { METHOD_FAMILIES, SCENARIOS, type MethodFamily, type Scenario } from '../../bench/suites/choices.js';
import { parseSize } from '../../tools/parse-size.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { parseCount } from '../parse-count.js';
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
  /** Numbers as typed, parsed in the handler so that a refusal quotes them. */
  parallel: string;
  memory: boolean;
  samples?: string;
  duration?: string;
  warmup?: string;
  seed?: string;
  json: boolean;
  markdown: boolean;
  csv?: string;
  aa: boolean;
  aaRuns?: string;
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
        .option('parallel', { type: 'string', default: '4', describe: 'download: concurrent range requests of ranged-parallel' })
        .option('memory', { type: 'boolean', default: true, describe: 'download: measure each method\'s peak memory in a child process' })
        .option('samples', { type: 'string', describe: 'Samples per variant and scenario, after warm-up (default: 200 strategies, 20 download)' })
        .option('duration', { type: 'string', describe: 'Time budget instead of a sample count, e.g. 30s, 2m' })
        .option('warmup', { type: 'string', describe: 'Samples per variant dropped at the start (default: 10 strategies, 3 download)' })
        .option('seed', { type: 'string', describe: 'Seed of the round order (printed; default random)' })
        .option('json', { type: 'boolean', default: false, describe: 'The whole result, raw samples included, as JSON' })
        .option('markdown', { type: 'boolean', default: false, describe: 'A Markdown report' })
        .option('csv', { type: 'string', describe: 'Also write raw samples to this CSV file' })
        .option('aa', { type: 'boolean', default: false, describe: 'A/A check: one strategy (or method) as two arms, in repeated runs; reports how often noise is called a difference' })
        .option('aa-runs', { type: 'string', describe: 'With --aa: how many runs (default 20)' })
        .option('report', { type: 'string', describe: 'Also write a self-contained chart report to this .html or .svg file' })
        // A usage error, not an unexpected one: yargs hands a plain Error from check() on as it is.
        .check((argv) => {
          if (argv.json && argv.markdown) throw new S3ZipSyncError('INVALID_OPTION', 'choose one of --json and --markdown');
          if (!argv.local && !argv.bucket) throw new S3ZipSyncError('INVALID_OPTION', 'give --bucket, or --local for the embedded server');
          if (argv.aaRuns !== undefined && !argv.aa) throw new S3ZipSyncError('INVALID_OPTION', '--aa-runs needs --aa');
          if (argv.aa && ((argv.strategy?.length ?? 0) > 1 || (argv.method?.length ?? 0) > 1)) {
            throw new S3ZipSyncError('INVALID_OPTION', '--aa compares one strategy or method with itself: give at most one --strategy or --method');
          }
          if (argv.report !== undefined && !/\.(html?|svg)$/i.test(argv.report)) throw new S3ZipSyncError('INVALID_OPTION', `--report writes .html or .svg, got ${JSON.stringify(argv.report)}`);
          return true;
        }) as unknown as Argv<BenchFlags>,
    handler: async (argv: ArgumentsCamelCase<BenchFlags>) => {
      const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration);
      const parallel = parseCount(argv.parallel, 'parallel', 1);
      const samples = argv.samples === undefined ? undefined : parseCount(argv.samples, 'samples', 1);
      const warmup = argv.warmup === undefined ? undefined : parseCount(argv.warmup, 'warmup', 0);
      const seed = argv.seed === undefined ? undefined : parseCount(argv.seed, 'seed', 0, 2 ** 32 - 1);
      const aaRuns = argv.aaRuns === undefined ? undefined : parseCount(argv.aaRuns, 'aa-runs', 1);
      const sizes = argv.size?.map((size) => parseSize(size, 'size'));
      const clientOptions = argv.local ? undefined : clientOptionsFrom(argv);
      // The SDK and the bench load only when the bench runs: every other command starts without them.
      const { createS3Client, preflight, sdkRequests } = await import('../../src/internal.js');
      const client = clientOptions ? createS3Client(clientOptions) : undefined;
      try {
        // A wrong bucket, endpoint or credentials: the one line a sync gives (exit 2), before any fixture is written.
        if (client) await preflight(sdkRequests(client), argv.bucket!, argv.prefix ?? '', context.signal);
        const { runSuite } = await import('../../bench/run-suite.js');
        const progress = progressPrinter(context);
        await runSuite({
          suite: argv.suite,
          target: client ? { client, bucket: argv.bucket! } : 'local',
          ...(argv.prefix ? { prefix: argv.prefix } : {}),
          ...(argv.strategy ? { strategies: argv.strategy } : {}),
          ...(argv.scenario ? { scenarios: argv.scenario } : {}),
          ...(argv.method ? { methods: argv.method } : {}),
          ...(sizes ? { sizes } : {}),
          parallel,
          memory: argv.memory,
          ...(samples !== undefined ? { samples } : {}),
          ...(durationMs !== undefined ? { durationMs } : {}),
          ...(warmup !== undefined ? { warmup } : {}),
          ...(seed !== undefined ? { seed } : {}),
          output: argv.json ? 'json' : argv.markdown ? 'markdown' : 'text',
          ...(argv.csv ? { csv: argv.csv } : {}),
          ...(argv.aa ? { aa: true } : {}),
          ...(aaRuns !== undefined ? { aaRuns } : {}),
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
  if (!match || Number(match[1]) === 0) throw new S3ZipSyncError('INVALID_OPTION', `invalid --duration: ${JSON.stringify(text)} (examples: 30s, 2m, 500ms)`);
  const unit = match[2] ?? 's';
  return Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

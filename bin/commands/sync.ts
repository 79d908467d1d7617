import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIMITS,
  DEFAULT_PACER,
  PACER_NAMES,
  type PacerName,
  DEFAULT_STRATEGY,
  DEFAULT_UPLOAD,
  NAME_ENCODINGS,
  NAME_NORMALIZATIONS,
  S3ZipSyncError,
  STRATEGY_NAMES,
  type NameEncoding,
  type NameNormalization,
  type StrategyName,
} from '../../src/static-entry.js';
import { destinationMistake } from '../destination.js';
import { exitCodeForReport } from '../exit-codes.js';
import { formatSize, parseSize } from '../../tools/parse-size.js';
import { parseCount } from '../parse-count.js';
import type { CliContext } from '../cli-context.js';
import { clientOptionsFrom, withClientFlags, type ClientFlags } from './client-flags.js';
import { filterAndDeleteOptionsFrom, withFilterAndDeleteFlags, type FilterAndDeleteFlags } from './filter-and-delete-flags.js';
import { integrityOptionsFrom, withIntegrityFlags, type IntegrityFlags } from './integrity-flags.js';
import { objectOptionsFrom, withObjectFlags, type ObjectFlags } from './object-flags.js';
import { withSyncHelp } from './sync-help.js';

interface SyncFlags extends ClientFlags, FilterAndDeleteFlags, IntegrityFlags, ObjectFlags {
  zip: string;
  bucket: string;
  prefix?: string;
  strategy: StrategyName;
  concurrency: string;
  pacer: PacerName;
  listRanges?: string;
  dryRun: boolean;
  conditionalWrites: boolean;
  json: boolean;
  progress: boolean;
  quiet?: boolean;
  verbose?: boolean;
  maxEntrySize: string;
  maxEntries: string;
  maxTotalSize: string;
  partSize: string;
  shard?: string;
  nameEncoding: NameEncoding;
  normalizeNames: NameNormalization;
}

export function syncCommand(context: CliContext): CommandModule<object, SyncFlags> {
  return {
    command: '$0 <zip>',
    describe: 'Make s3://bucket/prefix hold the files of a zip, uploading only new or changed ones',
    // yargs infers kebab-case keys only; SyncFlags states the camelCase ones the handler reads.
    builder: (yargs: Argv) =>
      withSyncHelp(withObjectFlags(withIntegrityFlags(withFilterAndDeleteFlags(withClientFlags(yargs))))
        .positional('zip', { type: 'string', describe: 'Path of the .zip file, or s3://bucket/key.zip (read with ranged GETs)', demandOption: true })
        .option('bucket', { type: 'string', demandOption: true, describe: 'Target bucket' })
        .option('prefix', { type: 'string', describe: 'Folder in the bucket: "symbols" and "symbols/" are the same' })
        .option('strategy', { choices: STRATEGY_NAMES, default: DEFAULT_STRATEGY, describe: 'How to check whether keys exist: per key (head, list), one listing (bulk), or chosen by cost (auto)' })
        .option('concurrency', { type: 'string', default: String(DEFAULT_CONCURRENCY), describe: 'Uploads (and per-key checks) in flight at once' })
        .option('pacer', { choices: PACER_NAMES, default: DEFAULT_PACER, describe: 'When S3 answers 503 SlowDown: fewer requests in flight (window), fewer per second (rate), or both; slow-downs are retried, never counted as failures' })
        .option('list-ranges', { type: 'string', describe: 'Cut listings into at most this many key ranges read in parallel (1: one page after another); default: one per 1,000 keys, at most 16' })
        .option('dry-run', { type: 'boolean', default: false, alias: ['n', 'dryrun'], describe: 'Decide and print, write nothing' })
        .option('conditional-writes', { type: 'boolean', default: true, describe: 'Write new keys with If-None-Match: * and changed ones with If-Match: <ETag checked>, so another writer\'s version is never overwritten (reported Conflict); --no-conditional-writes for servers that refuse these headers' })
        .option('json', { type: 'boolean', default: false, describe: 'NDJSON on stdout, schema version 1 (docs/json-output.md): start, one object per entry, warnings, then a summary' })
        .option('progress', { type: 'boolean', default: true, describe: 'Progress display on stderr when it is a terminal: files, bytes, rate, elapsed, ETA, large entries in flight' })
        // No defaults: yargs would count a default as given and always report the conflict.
        .option('quiet', { alias: ['q', 'only-show-errors'], type: 'boolean', describe: 'Only failures, warnings and the summary; no progress display' })
        .option('verbose', { alias: 'v', type: 'boolean', describe: 'Also print a line for each unchanged file (Ignored), and why each entry came out as it did: sizes and CRC32 compared, what answered the check, attempts' })
        .conflicts('quiet', 'verbose')
        .option('max-entry-size', { type: 'string', default: formatSize(DEFAULT_LIMITS.maxEntrySize), describe: 'Refuse archives with a larger entry' })
        .option('max-entries', { type: 'string', default: String(DEFAULT_LIMITS.maxEntries), describe: 'Refuse archives with more entries' })
        .option('max-total-size', { type: 'string', default: formatSize(DEFAULT_LIMITS.maxTotalSize), describe: 'Refuse archives with more bytes of files' })
        .option('part-size', { type: 'string', default: formatSize(DEFAULT_UPLOAD.partSize), describe: 'Multipart part size (min 5MiB)' })
        .option('name-encoding', { choices: NAME_ENCODINGS, default: 'auto' as NameEncoding, describe: 'Names without the UTF-8 flag: auto reads valid non-ASCII UTF-8 as UTF-8 (macOS, Info-ZIP on Linux), else CP437' })
        .option('normalize-names', { choices: NAME_NORMALIZATIONS, default: 'none' as NameNormalization, describe: 'nfc: Unicode NFC keys, so NFD names from macOS match NFC URLs; none: keys are exactly the names' })
        .option('shard', { type: 'string', describe: 'Only shard i of n (e.g. 0/4): n runs with 0/n … n-1/n cover the archive once' })) as unknown as Argv<SyncFlags>,
    handler: async (argv: ArgumentsCamelCase<SyncFlags>) => {
      const mistake = destinationMistake(argv.bucket, argv.prefix);
      if (mistake) throw new S3ZipSyncError('INVALID_OPTION', mistake);
      // Loaded only when a sync runs, so that --help and the other commands start without the SDK.
      const [{ parseS3Url, parseShard, syncZip }, { jsonReporter, textReporter }] = await Promise.all([
        import('../../src/sync-entry.js'),
        import('../output/reporter.js'),
      ]);
      const verbosity = argv.quiet ? 'quiet' : argv.verbose ? 'verbose' : 'normal';
      const reporter = argv.json ? jsonReporter(context) : textReporter(context, { progress: argv.progress, verbosity });
      const partSize = parseSize(argv.partSize, 'part-size');
      const shard = argv.shard === undefined ? undefined : parseShard(argv.shard);
      const report = await syncZip({
        zip: parseS3Url(argv.zip) ?? argv.zip,
        ...(shard ? { shard } : {}),
        bucket: argv.bucket,
        prefix: argv.prefix,
        strategy: argv.strategy,
        concurrency: parseCount(argv.concurrency, 'concurrency', 1),
        pacer: argv.pacer,
        ...(argv.listRanges !== undefined ? { listRanges: parseCount(argv.listRanges, 'list-ranges', 1) } : {}),
        dryRun: argv.dryRun,
        conditionalWrites: argv.conditionalWrites,
        nameEncoding: argv.nameEncoding,
        normalizeNames: argv.normalizeNames,
        clientOptions: clientOptionsFrom(argv),
        limits: {
          maxEntrySize: parseSize(argv.maxEntrySize, 'max-entry-size'),
          maxEntries: parseCount(argv.maxEntries, 'max-entries', 0),
          maxTotalSize: parseSize(argv.maxTotalSize, 'max-total-size'),
        },
        upload: { partSize, multipartThreshold: Math.max(partSize, DEFAULT_UPLOAD.multipartThreshold) },
        ...filterAndDeleteOptionsFrom(argv, context.args ?? []),
        ...integrityOptionsFrom(argv),
        ...objectOptionsFrom(argv),
        signal: context.signal,
        onEvent: (event) => reporter.onEvent(event),
      });
      reporter.finish(report);
      context.setExitCode(exitCodeForReport(report, context.receivedSignal()));
    },
  };
}

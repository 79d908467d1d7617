import yargs from 'yargs';
import { isS3ZipSyncError } from '../src/internal.js';
import { describeS3Error, redactSecrets } from '../src/s3/s3-error.js';
import type { CliContext } from './cli-context.js';
import { benchCommand } from './commands/bench.js';
import { localServerCommand } from './commands/local-server.js';
import { syncCommand } from './commands/sync.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { withFlagNames } from './output/flag-names.js';
import { jsonErrorLine } from './output/json-lines.js';

/** Runs the CLI and resolves with the exit code; expected failures print one line on stderr. */
export async function main(args: string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const ctx: CliContext = { ...context, args, setExitCode: (code) => (exitCode = code) };
  try {
    await yargs(args)
      .scriptName('s3zipsync')
      .env('S3ZIPSYNC')
      .command(syncCommand(ctx))
      .command(localServerCommand(ctx))
      .command(benchCommand(ctx))
      .strict()
      .parserConfiguration({ 'boolean-negation': true })
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .help()
      .version()
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      const message = error.message.replace(/\s*\n\s*/g, ' ');
      context.stderr.write(`s3zipsync: ${message} (see s3zipsync --help)\n`);
      // A pipeline reading --json from stdout sees why the run stopped, not just an empty stream.
      if (wantsJson(args)) context.stdout.write(jsonErrorLine({ code: 'USAGE', message, exitCode: EXIT.usage }));
      return EXIT.usage;
    }
    const exitCode = exitCodeForError(error);
    context.stderr.write(`s3zipsync: ${errorLine(error)}\n`);
    if (wantsJson(args)) {
      const option = isS3ZipSyncError(error) ? error.option : undefined;
      context.stdout.write(jsonErrorLine({ code: isS3ZipSyncError(error) ? error.code : 'UNEXPECTED', message: errorLine(error), exitCode, ...(option ? { option } : {}) }));
    }
    if (process.env.S3ZIPSYNC_DEBUG && error instanceof Error) context.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
  return exitCode;
}

class UsageError extends Error {}

/** From the raw arguments: a usage error can come before yargs has parsed `--json` (or S3ZIPSYNC_JSON). */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const flags = end < 0 ? args : args.slice(0, end);
  const last = flags.filter((arg) => arg === '--json' || arg === '--no-json' || arg.startsWith('--json=')).at(-1);
  if (last !== undefined) return last === '--json' || last === '--json=true';
  return ['true', '1'].includes((process.env.S3ZIPSYNC_JSON ?? '').toLowerCase());
}

function errorLine(error: unknown): string {
  if (isS3ZipSyncError(error)) return redactSecrets(withFlagNames(error.message));
  // Never print a raw SDK error object: some carry the access key id.
  return `unexpected error: ${describeS3Error(error)}`;
}

import yargs from 'yargs';
import { isS3ZipSyncError } from '../src/internal.js';
import { describeS3Error, redactSecrets } from '../src/s3/s3-error.js';
import type { CliContext } from './cli-context.js';
import { benchCommand } from './commands/bench.js';
import { localServerCommand } from './commands/local-server.js';
import { syncCommand } from './commands/sync.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { withFlagNames } from './output/flag-names.js';

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
      context.stderr.write(`s3zipsync: ${error.message.replace(/\s*\n\s*/g, ' ')} (see s3zipsync --help)\n`);
      return EXIT.usage;
    }
    context.stderr.write(`s3zipsync: ${errorLine(error)}\n`);
    if (process.env.S3ZIPSYNC_DEBUG && error instanceof Error) context.stderr.write(`${error.stack}\n`);
    return exitCodeForError(error);
  }
  return exitCode;
}

class UsageError extends Error {}

function errorLine(error: unknown): string {
  if (isS3ZipSyncError(error)) return redactSecrets(withFlagNames(error.message));
  // Never print a raw SDK error object: some carry the access key id.
  return `unexpected error: ${describeS3Error(error)}`;
}

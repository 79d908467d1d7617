import yargs from 'yargs';
import { describeS3Error, isS3ZipSyncError, redactSecrets } from '../src/static-entry.js';
import type { CliContext } from './cli-context.js';
import { benchCommand } from './commands/bench.js';
import { localServerCommand } from './commands/local-server.js';
import { syncCommand } from './commands/sync.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { withFlagNames } from './output/flag-names.js';
import { ownVersion } from './own-version.js';
import { closestFlag, flagsOf, hasEnvSettings, unknownArgumentsOnce, unknownEnvFlags, unknownFlagsIn, type CommandFlags } from './known-flags.js';
import { shortUsage } from './commands/sync-help.js';
import { habitHint } from './habit-flags.js';
import { tolerateClosedStderr } from './output/closed-stderr.js';
import { tolerateClosedStdout } from './output/closed-stdout.js';
import { jsonErrorLine } from './output/json-lines.js';
import { StderrNotices } from './output/notices.js';
import { stoppingMessage } from './stopping-message.js';

/** Runs the CLI and resolves with the exit code; expected failures print one line on stderr. */
export async function main(args: string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  tolerateClosedStderr(context.stderr);
  // Instead of yargs' "Not enough non-option arguments: got 0, need at least 1": how to run it.
  if (args.length === 0) {
    context.stderr.write(shortUsage());
    return EXIT.usage;
  }
  const stdout = tolerateClosedStdout(context.stdout, context.stderr);
  const notices = new StderrNotices(context.stderr);
  const ctx: CliContext = {
    ...context,
    stdout,
    args,
    notices,
    setExitCode: (code) => (exitCode = code),
  };
  // Said here rather than in the signal handler, so that a progress display drawn meanwhile shows it.
  const announceStop = () => {
    const signal = context.receivedSignal();
    if (signal) notices.print(stoppingMessage(signal, args).trimEnd());
  };
  if (context.signal.aborted) announceStop();
  else context.signal.addEventListener('abort', announceStop, { once: true });
  const commands = { sync: syncCommand(ctx), 'local-server': localServerCommand(ctx), bench: benchCommand(ctx) };
  const command = args[0] === 'local-server' || args[0] === 'bench' ? commands[args[0]] : commands.sync;
  // Reading a command's flags builds a yargs instance of its own: only for a stray variable or a usage error.
  let flags: CommandFlags | undefined;
  const flagsOfCommand = () => (flags ??= flagsOf(command));
  const restoreEnv = hideUnknownEnvFlags(flagsOfCommand, context.stderr);
  try {
    await yargs(args)
      .scriptName('s3zipsync')
      .env('S3ZIPSYNC')
      .command(commands.sync)
      .command(commands['local-server'])
      .command(commands.bench)
      .strict()
      .parserConfiguration({ 'boolean-negation': true })
      .fail((message, error) => {
        throw error ?? new UsageError(usageMessage(message, args, flagsOfCommand()));
      })
      .help()
      .alias('help', 'h')
      .version(ownVersion())
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      const message = error.message.replace(/\s*\n\s*/g, ' ');
      context.stderr.write(`s3zipsync: ${message} (see s3zipsync --help)\n`);
      // A pipeline reading --json from stdout sees why the run stopped, not just an empty stream.
      if (wantsJson(args)) ctx.stdout.write(jsonErrorLine({ code: 'USAGE', message, exitCode: EXIT.usage }));
      return EXIT.usage;
    }
    const exitCode = exitCodeForError(error);
    context.stderr.write(`s3zipsync: ${errorLine(error)}\n`);
    if (wantsJson(args)) {
      const option = isS3ZipSyncError(error) ? error.option : undefined;
      ctx.stdout.write(jsonErrorLine({ code: isS3ZipSyncError(error) ? error.code : 'UNEXPECTED', message: errorLine(error), exitCode, ...(option ? { option } : {}) }));
    }
    if (process.env.S3ZIPSYNC_DEBUG && error instanceof Error) context.stderr.write(`${error.stack}\n`);
    return exitCode;
  } finally {
    context.signal.removeEventListener('abort', announceStop);
    restoreEnv();
    // Whoever awaits main reads stdout next (a test, the process's exit).
    stdout.flush();
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

/**
 * yargs reads `S3ZIPSYNC_*` from process.env itself and, being strict, fails the whole run on a
 * stray one; a leftover variable in a shell or CI should cost a warning, not every run.
 */
function hideUnknownEnvFlags(flagsOfCommand: () => CommandFlags, stderr: NodeJS.WritableStream): () => void {
  if (!hasEnvSettings(process.env)) return () => {};
  const unknown = unknownEnvFlags(process.env, flagsOfCommand().all);
  if (unknown.length === 0) return () => {};
  stderr.write(`s3zipsync: warning: ignoring ${unknown.join(', ')}: no such flag\n`);
  const saved = unknown.map((name) => [name, process.env[name]] as const);
  for (const name of unknown) delete process.env[name];
  return () => {
    for (const [name, value] of saved) process.env[name] = value;
  };
}

/** An aws-cli/rclone habit flag gets the flag to use instead; any other usage error, a "did you mean". */
function usageMessage(message: string, args: readonly string[], flags: CommandFlags): string {
  return habitHint(unknownFlagsIn(args, flags.all), flags.all) ?? withSuggestion(unknownArgumentsOnce(message), args, flags);
}

/** Any usage error, plus `(did you mean --dry-run?)` for each unknown flag typed that is close to a real one. */
function withSuggestion(message: string, args: readonly string[], flags: CommandFlags): string {
  const suggestions = unknownFlagsIn(args, flags.all)
    .map((typed) => [typed, closestFlag(typed, flags.canonical)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([typed, flag]) => `--${typed}: did you mean --${flag}?`);
  return suggestions.length ? `${message} (${suggestions.join('; ')})` : message;
}

function errorLine(error: unknown): string {
  if (isS3ZipSyncError(error)) return redactSecrets(withFlagNames(error.message));
  // Never print a raw SDK error object: some carry the access key id.
  return `unexpected error: ${describeS3Error(error)}`;
}

import yargs, { type CommandModule } from 'yargs';
import leven from 'leven';

export interface CommandFlags {
  /** Every name yargs accepts for the command's options, aliases included (kebab-case). */
  all: string[];
  /** The names the help shows, without aliases: what a "did you mean" suggests. */
  canonical: string[];
}

/**
 * The flags a command declares, read from yargs itself by running its builder on a scratch
 * instance, so the list can never drift from the real options. `getOptions` is public on the
 * yargs instance but missing from its type definitions.
 */
// biome-ignore lint/suspicious/noExplicitAny: any command module's builder, whatever its flag types
export function flagsOf(command: CommandModule<any, any>): CommandFlags {
  const scratch = yargs([]);
  if (typeof command.builder === 'function') command.builder(scratch);
  const options = (scratch as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions();
  const aliases = new Set(Object.values(options.alias).flat());
  const all = Object.keys(options.key);
  return { all, canonical: all.filter((flag) => !aliases.has(flag)) };
}

const ENV_PREFIX = 'S3ZIPSYNC_';
// Read by the CLI itself, not a flag.
const NON_FLAG_VARIABLES = new Set(['S3ZIPSYNC_DEBUG']);

/** Whether any `S3ZIPSYNC_*` variable is set, flag or not: without one there is nothing to check. */
export function hasEnvSettings(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((name) => name.startsWith(ENV_PREFIX));
}

/** `S3ZIPSYNC_*` variables that name no flag of the command (yargs would fail on each with "Unknown argument"). */
export function unknownEnvFlags(env: NodeJS.ProcessEnv, flags: readonly string[]): string[] {
  const known = new Set(flags);
  return Object.keys(env).filter(
    (name) =>
      name.startsWith(ENV_PREFIX) &&
      !NON_FLAG_VARIABLES.has(name) &&
      !known.has(name.slice(ENV_PREFIX.length).toLowerCase().replace(/_/g, '-')),
  );
}

/** The known long flag closest to a mistyped one, when it is close enough to be what was meant. */
export function closestFlag(typed: string, flags: readonly string[]): string | undefined {
  const kebab = typed.replace(/^-+/, '').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  let best: { flag: string; distance: number } | undefined;
  for (const flag of flags) {
    if (flag.length < 2) continue;
    const distance = leven(kebab, flag);
    if (!best || distance < best.distance) best = { flag, distance };
  }
  // Two edits or a third of the word: `--bukcet` → `--bucket`, `--dryrn` → `--dry-run`, `--foo` → nothing.
  return best && best.distance <= Math.max(2, Math.floor(kebab.length / 3)) ? best.flag : undefined;
}

/**
 * The `--flags` in `args` that the command does not know. yargs reports a missing required flag
 * before an unknown one, so `--bukcet b` would only say "Missing required argument: bucket".
 */
export function unknownFlagsIn(args: readonly string[], flags: readonly string[]): string[] {
  const known = new Set(flags);
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    const match = /^--([^=]+)/.exec(arg);
    if (!match) continue;
    const name = match[1]!;
    const positive = name.startsWith('no-') ? name.slice(3) : name;
    if (!known.has(name) && !known.has(positive)) unknown.push(name);
  }
  return unknown;
}

/**
 * yargs' "Unknown arguments: dry-rn, dryRn" with each flag once: it lists the camelCase twin it
 * made of every kebab-case flag as if the user had typed two.
 */
export function unknownArgumentsOnce(message: string): string {
  const match = /^Unknown arguments?: (.*)$/s.exec(message);
  if (!match) return message;
  const names = match[1]!.split(', ');
  const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const once = names.filter((name) => !names.some((other) => other !== name && other.includes('-') && camel(other) === name));
  return `Unknown argument${once.length === 1 ? '' : 's'}: ${once.join(', ')}`;
}

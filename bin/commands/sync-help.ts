import type { Argv } from 'yargs';

/** The usage line: `--bucket` is required, so it is part of it. */
export const SYNC_USAGE = '$0 <zip> --bucket <bucket> [--prefix <prefix>] [options]';

export const SYNC_EXAMPLES: ReadonlyArray<readonly [command: string, meaning: string]> = [
  ['$0 site.zip --bucket my-bucket --prefix www', 'upload the new and changed files of site.zip to s3://my-bucket/www/'],
  ['$0 site.zip --bucket my-bucket --prefix www --delete --dry-run', 'show what would be uploaded and deleted, write nothing'],
];

/** Every sync flag by what a user is deciding; a unit test keeps every flag in one group. */
export const SYNC_GROUPS: ReadonlyArray<readonly [title: string, flags: readonly string[]]> = [
  ['Target:', ['bucket', 'prefix', 'region', 'endpoint-url', 'force-path-style', 'profile']],
  ['What to sync:', ['include', 'exclude', 'exclude-junk', 'shard', 'name-encoding', 'normalize-names', 'max-entry-size', 'max-entries', 'max-total-size']],
  ['Comparison:', ['compare', 'size-only', 'compare-headers', 'strategy', 'conditional-writes', 's3-checksum']],
  [
    'Headers:',
    ['content-type', 'content-type-for', 'cache-control', 'content-disposition', 'content-language', 'expires', 'metadata', 'header-for', 'gzip', 'storage-class', 'sse', 'sse-kms-key-id', 'acl'],
  ],
  ['Deletion:', ['delete', 'max-delete', 'delete-excluded', 'delete-whole-bucket']],
  ['Performance:', ['concurrency', 'part-size', 'pacer', 'list-ranges', 'max-attempts', 'retry-mode', 'stall-timeout']],
  ['Output:', ['dry-run', 'json', 'progress', 'quiet', 'verbose', 'help', 'version']],
];

const SCRIPT = 's3zipsync';

/**
 * What the command does and the two examples, shown right under the usage line. yargs prints its
 * own `.example()` section after every option, ~100 lines down; a new user reads the top. (yargs
 * trims the lines' leading spaces, hence `$ ` to set the commands apart.)
 */
export function syncSynopsis(): string {
  return [
    'Make s3://bucket/prefix hold the files of a zip, uploading only new or changed ones.',
    ...SYNC_EXAMPLES.flatMap(([command, meaning]) => ['', `${meaning[0]!.toUpperCase()}${meaning.slice(1)}:`, `$ ${command.replace('$0', SCRIPT)}`]),
  ].join('\n');
}

/** What a bare `s3zipsync` prints (on stderr, exit 2): the usage line, the synopsis and where the rest is. */
export function shortUsage(): string {
  return `${SYNC_USAGE.replace('$0', SCRIPT)}\n\n${syncSynopsis()}\n\nEvery option: ${SCRIPT} --help\n`;
}

/** Replaces the usage yargs derives from the command (`s3zipsync <zip>`) and groups the options. */
export function withSyncHelp<T>(yargs: Argv<T>): Argv<T> {
  // One argument only: with a second one yargs would declare a command.
  let grouped = yargs.usage(null as unknown as string).usage(`${SYNC_USAGE}\n\n${syncSynopsis()}`);
  for (const [title, flags] of SYNC_GROUPS) grouped = grouped.group([...flags], title);
  return grouped;
}

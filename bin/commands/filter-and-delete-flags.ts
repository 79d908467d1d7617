import type { Argv } from 'yargs';
import { DEFAULT_MAX_DELETE, type SyncOptions } from '../../src/static-entry.js';
import { orderFilterRules } from '../filter-rule-order.js';
import { parseCount } from '../parse-count.js';

export interface FilterAndDeleteFlags {
  include?: string | string[];
  exclude?: string | string[];
  excludeJunk: boolean;
  delete: boolean;
  maxDelete: string;
  deleteWholeBucket: boolean;
  deleteExcluded: boolean;
}

/** `--include`/`--exclude`/`--exclude-junk` and `--delete` with its safety limits. */
export function withFilterAndDeleteFlags<T>(yargs: Argv<T>) {
  return (
    yargs
      // type string, not array: an array option would swallow the zip path that follows it.
      .option('include', { type: 'string', describe: 'Sync archive paths matching this glob even if an earlier rule excluded them (repeatable; evaluated in order with --exclude, the last match wins)' })
      .option('exclude', { type: 'string', describe: 'Do not sync archive paths matching this glob (repeatable)' })
      .option('exclude-junk', { type: 'boolean', default: true, describe: 'Leave out __MACOSX/**, .DS_Store, Thumbs.db (--no-exclude-junk to keep them)' })
      .option('delete', { type: 'boolean', default: false, describe: 'After every upload succeeded, delete objects under the prefix that are not in the archive' })
      .option('max-delete', { type: 'string', default: String(DEFAULT_MAX_DELETE), describe: 'With --delete: refuse (exit 2, nothing written) when more objects would be deleted' })
      .option('delete-whole-bucket', { type: 'boolean', default: false, describe: 'Allow --delete without --prefix (on the whole bucket)' })
      .option('delete-excluded', { type: 'boolean', default: false, describe: 'With --delete: also delete objects the filters exclude (kept by default)' })
  );
}

export function filterAndDeleteOptionsFrom(flags: FilterAndDeleteFlags, rawArgs: readonly string[]): Pick<SyncOptions, 'filters' | 'excludeJunk' | 'delete' | 'maxDelete' | 'deleteWholeBucket' | 'deleteExcluded'> {
  return {
    filters: orderFilterRules(rawArgs, asList(flags.include), asList(flags.exclude)),
    excludeJunk: flags.excludeJunk,
    delete: flags.delete,
    maxDelete: parseCount(flags.maxDelete, 'max-delete', 0),
    deleteWholeBucket: flags.deleteWholeBucket,
    deleteExcluded: flags.deleteExcluded,
  };
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

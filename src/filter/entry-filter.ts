import picomatch from 'picomatch';
import { S3ZipSyncError } from '../errors.js';

/** One include or exclude pattern (the CLI's `--include`/`--exclude`); a list of them is evaluated in order and the last match wins. */
export type FilterRule = { include: string } | { exclude: string };

/**
 * Files that archivers and desktops add by themselves and that no site or bundle wants in S3:
 * macOS resource forks and AppleDouble files (`__MACOSX/…/._name`), Finder's `.DS_Store`,
 * Windows Explorer's `Thumbs.db`.
 */
export const JUNK_PATTERNS: readonly string[] = ['__MACOSX/**', '**/.DS_Store', '**/Thumbs.db'];

export interface EntryFilterOptions {
  rules?: readonly FilterRule[];
  /** Exclude JUNK_PATTERNS before the user's rules (which can still include them again). Default true. */
  excludeJunk?: boolean;
}

export interface FilterVerdict {
  included: boolean;
  /** The rule that decided, for messages; absent when no rule matched (included by default). */
  rule?: string;
}

export interface EntryFilter {
  /** Decides for a path relative to the archive root (`a/b.txt`), or a key relative to the prefix. */
  verdict(path: string): FilterVerdict;
  /** True when there are no rules at all, so callers can skip the work. */
  readonly empty: boolean;
}

interface CompiledRule {
  include: boolean;
  label: string;
  matches: (path: string) => boolean;
}

/**
 * Compiles the rules once. Glob semantics are picomatch's: `*` stays within one path segment, `**`
 * crosses them, and a pattern without a `/` matches the last segment at any depth (`*.map` excludes
 * `js/app.js.map`), the way rclone and .gitignore read such patterns. Dot files match like any other
 * (`*` matches `.env`), since in an archive they are ordinary files.
 */
export function compileEntryFilter(options: EntryFilterOptions = {}): EntryFilter {
  const rules: CompiledRule[] = [];
  if (options.excludeJunk ?? true) {
    for (const pattern of JUNK_PATTERNS) rules.push(compile(false, pattern, `junk ${pattern}`));
  }
  for (const rule of options.rules ?? []) {
    const include = 'include' in rule;
    const pattern = include ? rule.include : rule.exclude;
    rules.push(compile(include, pattern, `--${include ? 'include' : 'exclude'} ${pattern}`));
  }
  return {
    empty: rules.length === 0,
    verdict(path) {
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i]!;
        if (rule.matches(path)) return { included: rule.include, rule: rule.label };
      }
      return { included: true };
    },
  };
}

function compile(include: boolean, pattern: string, label: string): CompiledRule {
  return { include, label, matches: compileGlob(pattern, include ? 'include' : 'exclude') };
}

/** One archive-path glob, with the semantics above; `what` names the flag in errors (`include`, `gzip`). */
export function compileGlob(pattern: string, what: string): (path: string) => boolean {
  if (typeof pattern !== 'string' || pattern.trim() === '') {
    throw new S3ZipSyncError('INVALID_OPTION', `empty ${what} pattern: "${pattern}"`);
  }
  // A leading `/` would never match: archive paths and keys under the prefix are relative.
  if (pattern.startsWith('/')) {
    throw new S3ZipSyncError('INVALID_OPTION', `patterns match paths inside the archive, which never start with "/": "${pattern}"`);
  }
  return picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
}

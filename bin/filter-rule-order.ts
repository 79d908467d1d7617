import type { FilterRule } from '../src/internal.js';

/**
 * yargs collects `--include` and `--exclude` into two separate arrays, losing the order between
 * them, and the order decides (last match wins). So the order is read back from the raw arguments.
 * Values that are not on the command line came from the environment (`S3ZIPSYNC_EXCLUDE`,
 * `S3ZIPSYNC_INCLUDE`): they go first, excludes before includes, so the command line can override them.
 */
export function orderFilterRules(rawArgs: readonly string[], includes: readonly string[], excludes: readonly string[]): FilterRule[] {
  const fromArgs: FilterRule[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === '--') break;
    for (const kind of ['include', 'exclude'] as const) {
      const value = arg === `--${kind}` ? rawArgs[++i] : arg.startsWith(`--${kind}=`) ? arg.slice(kind.length + 3) : undefined;
      if (value !== undefined) fromArgs.push(kind === 'include' ? { include: value } : { exclude: value });
    }
  }
  const remainingIncludes = [...includes];
  const remainingExcludes = [...excludes];
  const take = (list: string[], value: string) => {
    const at = list.indexOf(value);
    if (at < 0) return false;
    list.splice(at, 1);
    return true;
  };
  const ordered = fromArgs.filter((rule) => ('include' in rule ? take(remainingIncludes, rule.include) : take(remainingExcludes, rule.exclude)));
  return [
    ...remainingExcludes.map((exclude) => ({ exclude })),
    ...remainingIncludes.map((include) => ({ include })),
    ...ordered,
  ];
}

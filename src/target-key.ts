/**
 * `prefix` names a folder: `symbols` and `symbols/` both put entry `a/b.txt` at `symbols/a/b.txt`.
 * An empty prefix means the bucket root.
 */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export function targetKey(prefix: string, entryName: string): string {
  return `${prefix}${entryName}`;
}

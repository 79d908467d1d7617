/**
 * The longest string every key starts with, so that a listing covers the archive's keys and nothing
 * else the prefix holds (a `site/` archive of `docs/…` files lists `site/docs/`, not `site/`). Compared
 * by UTF-16 code unit, then cut back so that a surrogate pair is never split.
 */
export function longestCommonPrefix(keys: Iterable<string>): string {
  let prefix: string | undefined;
  for (const key of keys) {
    if (prefix === undefined) {
      prefix = key;
      continue;
    }
    let length = 0;
    const max = Math.min(prefix.length, key.length);
    while (length < max && prefix.charCodeAt(length) === key.charCodeAt(length)) length++;
    prefix = prefix.slice(0, length);
    if (prefix === '') break;
  }
  if (!prefix) return '';
  const last = prefix.charCodeAt(prefix.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? prefix.slice(0, -1) : prefix;
}

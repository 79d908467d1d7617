/**
 * Why an entry name is unsafe to use as (part of) an S3 key, or null when it is safe.
 * S3 would accept most of these names, but every consumer that later mirrors the prefix to a disk
 * (aws s3 sync, rclone, a symbol server) would write outside its target or collide.
 */
export function unsafeEntryNameReason(name: string): string | null {
  if (name.length === 0) return 'empty entry name';
  if (name.includes('\0')) return `entry name contains a NUL byte: ${JSON.stringify(name)}`;
  if (name.includes('\\')) return `entry name contains a backslash: ${JSON.stringify(name)}`;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return `absolute entry name: ${JSON.stringify(name)}`;
  const segments = name.split('/');
  if (segments.includes('..')) return `entry name escapes the target with "..": ${JSON.stringify(name)}`;
  // `a//b` and `a/./b` name the same file as `a/b` on a disk but a different S3 key.
  const inner = name.endsWith('/') ? segments.slice(0, -1) : segments;
  if (inner.some((segment) => segment === '' || segment === '.')) {
    return `entry name has an empty or "." segment: ${JSON.stringify(name)}`;
  }
  return null;
}

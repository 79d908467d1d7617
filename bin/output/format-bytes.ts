const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * `56 B`, `1.5 KiB`, `143.1 MiB`: 1024-based and labelled so, as aws-cli does. (The `bytes`
 * package prints 1024-based values as `MB`, so 150,000,000 bytes read `143.1 MB` beside a size
 * in bytes that says 150.)
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) < 1024) return `${Math.round(n)} B`;
  let value = n / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

export interface RequestFormat {
  /** Printed first, e.g. `4,007 (…)`; without it only the list is printed. */
  total?: number;
  /** The spread of totals over several runs, printed as `[min–max]` when they differ. */
  min?: number;
  max?: number;
  /** What an empty list reads as. */
  empty?: string;
}

/** `4,007 (HeadObject 2,003, PutObject 2,003, ListObjectsV2 1)`: most frequent first, ties by name. */
export function formatRequests(requests: Record<string, number>, format: RequestFormat = {}): string {
  const parts = Object.entries(requests)
    .filter(([, n]) => n !== 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${count(n)}`);
  const list = parts.length ? parts.join(', ') : (format.empty ?? 'none');
  if (format.total === undefined) return list;
  const { min, max } = format;
  const spread = min !== undefined && max !== undefined && min !== max ? ` [${count(min)}–${count(max)}]` : '';
  return `${count(format.total)}${spread} (${list})`;
}

const count = (n: number) => n.toLocaleString('en-US');

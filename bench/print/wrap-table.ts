/** Terminal width the bench's text report keeps to. */
export const TEXT_WIDTH = 100;

export interface WrapOptions {
  width?: number;
  /** Leading columns repeated in every block (e.g. rank and name), so each block reads on its own. */
  keep?: number;
  indent?: string;
  /** Columns before this index are left-aligned (names), the rest right-aligned (numbers). */
  leftAligned?: number;
}

/**
 * A column-aligned table that never runs past `width`: columns that do not fit go to a further block
 * below, which repeats the `keep` leading columns. Column order is the reader's priority order.
 */
export function wrapTable(head: readonly string[], rows: readonly (readonly string[])[], options: WrapOptions = {}): string[] {
  const width = options.width ?? TEXT_WIDTH;
  const keep = Math.min(options.keep ?? 2, head.length);
  const indent = options.indent ?? '  ';
  const leftAligned = options.leftAligned ?? keep;
  const widths = head.map((_, col) => Math.max(...[head, ...rows].map((row) => (row[col] ?? '').length)));
  const gap = 2;
  const kept = [...Array(keep).keys()];
  const keptWidth = indent.length + kept.reduce((total, col) => total + widths[col]! + gap, 0);
  const blocks: number[][] = [];
  let current: number[] = [];
  let used = keptWidth;
  for (let col = keep; col < head.length; col++) {
    const need = widths[col]! + (current.length > 0 ? gap : 0);
    if (current.length > 0 && used + need > width) {
      blocks.push(current);
      current = [];
      used = keptWidth;
    }
    current.push(col);
    used += widths[col]! + (current.length > 1 ? gap : 0);
  }
  if (current.length > 0 || blocks.length === 0) blocks.push(current);
  const lines: string[] = [];
  for (const [i, block] of blocks.entries()) {
    if (i > 0) lines.push('');
    const columns = [...kept, ...block];
    const render = (row: readonly string[]) =>
      `${indent}${columns.map((col) => (col < leftAligned ? (row[col] ?? '').padEnd(widths[col]!) : (row[col] ?? '').padStart(widths[col]!))).join(' '.repeat(gap))}`.trimEnd();
    lines.push(render(head), ...rows.map(render));
  }
  return lines;
}

/**
 * Prose wrapped at word boundaries to `width`; continuation lines get `hanging` extra spaces so a
 * wrapped verdict or note still reads as one item. A single word longer than the line is left whole.
 */
export function wrapProse(text: string, indent = '  ', hanging = 4, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + ' '.repeat(hanging);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Items packed into lines of at most `width`, never split inside an item (e.g. a ratio and its interval). */
export function packItems(items: readonly string[], separator = ' · ', indent = '  ', width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}${separator}${item}` : item;
    if (line && indent.length + next.length > width) {
      lines.push(`${indent}${line}${separator.trimEnd()}`);
      line = item;
    } else {
      line = next;
    }
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

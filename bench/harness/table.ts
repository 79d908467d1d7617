export type TableFormat = 'markdown' | 'text';

/** A Markdown table (for bench/results/ and the docs) or the same cells column-aligned (for a terminal). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], format: TableFormat = 'markdown'): string[] {
  if (format === 'markdown') {
    const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
    return [`| ${header.map(escapeCell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`)];
  }
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

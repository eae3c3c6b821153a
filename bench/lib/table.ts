// Aligned text tables for benchmark output, and the number formats they use. The same rows print to the
// console (`plain`) and paste into the README (`markdown`), so the README shows exactly what a run printed.

export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned; names left-aligned (the default). */
  readonly align?: 'left' | 'right';
}

export type TableStyle = 'plain' | 'markdown';

/** Rows shorter than `columns` are padded with empty cells; longer rows are an error. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[], style: TableStyle = 'plain'): string {
  for (const [i, row] of rows.entries()) {
    if (row.length > columns.length) throw new RangeError(`formatTable: row ${i} has ${row.length} cells, ${columns.length} columns`);
  }
  const cells = rows.map((row) => columns.map((_, c) => row[c] ?? ''));
  const widths = columns.map((col, c) => Math.max(col.header.length, ...cells.map((row) => (row[c] ?? '').length)));
  const pad = (text: string, c: number): string => {
    const width = widths[c] ?? 0;
    return columns[c]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (row: readonly string[]): string =>
    style === 'markdown' ? `| ${row.map(pad).join(' | ')} |` : row.map(pad).join('  ').trimEnd();
  const header = line(columns.map((col) => col.header));
  const rule =
    style === 'markdown'
      ? `|${widths.map((w, c) => (columns[c]?.align === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
      : widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, rule, ...cells.map(line)].join('\n');
}

/** Thousands separators, with decimals only where the integer part alone would hide them: 12,345 / 45.6 / 1.23. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration given in milliseconds, in the unit that keeps 3 significant digits readable: 81.2 µs, 1.23 ms, 0.52 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const three = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  if (ms < 1) return `${three(ms * 1000)} µs`;
  if (ms < 1000) return `${three(ms)} ms`;
  return `${three(ms / 1000)} s`;
}

/** A relative margin of error as printed next to a rate: ±1.2%. */
export function formatPercent(value: number, sign = '±'): string {
  if (!Number.isFinite(value)) return String(value);
  return `${sign}${value < 10 ? value.toFixed(1) : value.toFixed(0)}%`;
}

/** Plain-text tables for a terminal: columns padded to their widest cell, no colours, no wrapping. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string;
  /** Numbers read better right-aligned. */
  readonly right?: boolean;
}

/** Control characters in data (names, notes) must not move the terminal's cursor. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => printable(column.cell(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (columns[i]?.right ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((column) => column.header)), ...cells.map(line)].join('\n')}\n`;
}

/** Key: value lines for one record. */
export function renderRecord(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return `${entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)}  ${printable(value)}`).join('\n')}\n`;
}

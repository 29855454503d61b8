import { UnknownLayoutError } from './errors.ts';

/** A column the reader needs, under every name Ethereum-ETL has given it over the years. */
export interface ColumnSpec {
  readonly names: readonly string[];
  readonly required: boolean;
}

/** Column positions found in a header; -1 for an optional column the file does not have. */
export type ColumnIndexes<K extends string> = { readonly [P in K]: number };

/**
 * Finds each wanted column by name, so the columns may come in any order and extra columns (the
 * BigQuery tables add block_hash, receipt_* ...) are ignored. A header missing a required column is
 * not a layout this reader knows: better to say so than to read the wrong column.
 */
export function resolveColumns<K extends string>(
  header: readonly string[],
  spec: Readonly<Record<K, ColumnSpec>>,
  file: string,
  what: string,
): ColumnIndexes<K> {
  if (header.length > 0 && /^(0x[0-9a-f]*|\d+)$/i.test(header[0]?.trim() ?? '')) {
    throw new UnknownLayoutError(
      file,
      `the first line is data, not a header: an Ethereum-ETL ${what} file starts with its column names`,
    );
  }
  const positions = new Map<string, number>();
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    if (positions.has(name))
      throw new UnknownLayoutError(file, `column ${JSON.stringify(name)} appears twice`);
    positions.set(name, index);
  });
  const indexes: Record<string, number> = {};
  const missing: string[] = [];
  for (const key of Object.keys(spec) as K[]) {
    const column = spec[key];
    const found = column.names.map((name) => positions.get(name)).find((index) => index !== undefined);
    if (found === undefined && column.required) missing.push(column.names.join(' or '));
    indexes[key] = found ?? -1;
  }
  if (missing.length > 0) {
    throw new UnknownLayoutError(
      file,
      `not an Ethereum-ETL ${what} layout: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(header: ${header.join(',').slice(0, 300)})`,
    );
  }
  return indexes as ColumnIndexes<K>;
}

/** Names of the block number column, as in the readers' layouts (transactions.csv's old one has tx_). */
const BLOCK_NUMBER_NAMES = ['block_number', 'tx_block_number'];

/** Columns before the block number that may hold quoted commas, which a plain `sort -t,` would split. */
const COMMA_COLUMNS = ['trace_address'];

/**
 * A shell command that sorts `file` by its block number column, header first, keeping the order of
 * rows within a block (-s), for the message that refuses an unsorted file.
 */
export function sortCommandFor(file: string, header: readonly string[]): string {
  const names = header.map((name) => name.trim().toLowerCase());
  const column = blockNumberColumn(header);
  if (column < 0) return 'sort the file by its block number';
  // The constant, not the header's text: that is a slice of the first chunk, which it would keep.
  const name = BLOCK_NUMBER_NAMES.find((known) => known === names[column]);
  if (names.slice(0, column).some((other) => COMMA_COLUMNS.includes(other))) {
    return `sort the file by ${name} with a CSV-aware tool (its quoted trace_address commas defeat sort -t,)`;
  }
  const path = /^[\w./-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`;
  return (
    `sort the file by ${name}: { head -n 1 ${path}; tail -n +2 ${path} | LC_ALL=C sort -s -t, ` +
    `-k${column + 1},${column + 1}n; } > sorted.csv`
  );
}

/** Name of the block number column found at `column` (the readers have checked there is one). */
export function blockNumberName(header: readonly string[], column: number): string {
  const name = header[column]?.trim().toLowerCase();
  return BLOCK_NUMBER_NAMES.find((known) => known === name) ?? 'block_number';
}

/** Position of the block number column (the readers have checked there is one), -1 if none. */
export function blockNumberColumn(header: readonly string[]): number {
  const names = header.map((name) => name.trim().toLowerCase());
  for (const name of BLOCK_NUMBER_NAMES) {
    const column = names.indexOf(name);
    if (column >= 0) return column;
  }
  return -1;
}

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

import { readFileSync } from 'node:fs';
import type { Address } from '../../domain/address.ts';
import { readCsvBatches } from '../../etl/csv-records.ts';
import { parseAddressInput } from '../address-argument.ts';
import { CliInputError } from '../errors.ts';

export interface SeedList {
  readonly addresses: readonly Address[];
  /** Incident names of the chosen rows, when the file has an `incident` column (thefts.csv). */
  readonly incidents: readonly string[];
}

/**
 * A seed file is either one address per line, or a CSV with an `address` column (the project's
 * thefts.csv: `chain,address,incident,date,source`). Lines starting with `#` and blank lines are
 * ignored (quoted CSV fields follow RFC 4180). With a `chain` column, only rows of the backtest's chain are seeds; the others are skipped
 * on purpose, and a file with none for the chain is an error rather than an empty backtest.
 */
export async function readSeedFile(file: string, chain: string): Promise<SeedList> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
    throw new CliInputError(`${file}: cannot read the seed file: ${reason}`);
  }
  // Comment lines become empty lines, which the CSV reader skips while keeping line numbers true.
  const uncommented = text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? '' : line))
    .join('\n');
  const rows: { line: number; fields: string[] }[] = [];
  for await (const batch of readCsvBatches([uncommented], file)) {
    batch.records.forEach((fields, index) => {
      if (fields.some((field) => field.trim() !== ''))
        rows.push({ line: batch.lines[index] as number, fields });
    });
  }
  const first = rows[0];
  if (!first) throw new CliInputError(`${file}: the seed file has no address`);
  const header = first.fields.map((name) => name.trim().toLowerCase());
  return header.includes('address')
    ? readSeedCsv(file, chain, header, rows.slice(1))
    : readAddressLines(file, rows);
}

function readAddressLines(file: string, rows: { line: number; fields: string[] }[]): SeedList {
  const addresses = new Set<Address>();
  for (const row of rows) {
    const parsed = parseAddressInput(row.fields.join(','));
    if ('problem' in parsed) {
      throw new CliInputError(
        `${file}:${row.line}: ${parsed.problem} (a seed file has one address per line, or an address column)`,
      );
    }
    addresses.add(parsed.address);
  }
  return { addresses: [...addresses], incidents: [] };
}

function readSeedCsv(
  file: string,
  chain: string,
  header: string[],
  rows: { line: number; fields: string[] }[],
): SeedList {
  const addressColumn = header.indexOf('address');
  const chainColumn = header.indexOf('chain');
  const incidentColumn = header.indexOf('incident');
  const addresses = new Set<Address>();
  const incidents = new Set<string>();
  const otherChains = new Set<string>();
  for (const { line, fields } of rows) {
    if (fields.length !== header.length) {
      throw new CliInputError(
        `${file}:${line}: expected ${header.length} fields like the header, found ${fields.length}`,
      );
    }
    const rowChain = chainColumn >= 0 ? (fields[chainColumn] ?? '').trim().toLowerCase() : chain;
    if (rowChain !== chain) {
      otherChains.add(rowChain);
      continue;
    }
    const parsed = parseAddressInput(fields[addressColumn] ?? '');
    if ('problem' in parsed) throw new CliInputError(`${file}:${line}: address ${parsed.problem}`);
    addresses.add(parsed.address);
    const incident = incidentColumn >= 0 ? (fields[incidentColumn] ?? '').trim() : '';
    if (incident !== '') incidents.add(incident);
  }
  if (addresses.size === 0) {
    const others =
      otherChains.size > 0 ? ` (it has seeds on ${[...otherChains].sort().join(', ')}: use --chain)` : '';
    throw new CliInputError(`${file}: no seed address for chain ${chain}${others}`);
  }
  return { addresses: [...addresses], incidents: [...incidents] };
}

/**
 * One-off importer: turns the project's normalized label and theft datasets (the read-only
 * /work/shared/data snapshot, see its SOURCES.md) into the compact files shared/labels loads at run
 * time. Nothing else in the project reads /work/shared; the outputs are committed with their
 * provenance in shared/labels/data/PROVENANCE.md.
 *
 *   npx tsx scripts/import-labels.ts [--from /work/shared/data]
 *
 * Writes shared/labels/data/{labels.json, thefts.csv, thefts.json}. Deterministic: the same input
 * gives byte-identical output, so a re-import shows up in git only when the data changed.
 *
 * What it changes on the way, all logged:
 *  - rows from Dune's cex_evms list go to `everyEvmChain` (Dune applies them to every EVM chain);
 *  - "Tornado.Cash" / "Typhoon.Cash" become "Tornado Cash" / "Typhoon Cash" in names;
 *  - Tornado/Typhoon contracts that receive no deposits (governance, vesting, tokens, verifiers,
 *    registries, reward and mining contracts) are demoted from 'mixer' to 'other': labelling them
 *    mixers would stop taint and raise MIXER_DEPOSIT alerts where no mixing happens. The pools,
 *    routers and proxies stay mixers. Their sanctioned rows, if any, are untouched;
 *  - two Tornado USDC pool names swapped in the Etherscan scrape are corrected (NAME_CORRECTIONS);
 *  - a row whose source is not a provenance reference is repaired from raw/supplementary_bridge_
 *    labels.csv when that file has the address, and the import fails otherwise.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT = 'laundering-alerts/labels@1';
const THEFTS_FORMAT = 'laundering-alerts/thefts@1';
const CATEGORIES = ['exchange', 'mixer', 'bridge', 'sanctioned', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

const ADDRESS = /^0x[0-9a-f]{40}$/;
/** "owner/repo:path@commit" optionally followed by " [role]"; paths may contain spaces. */
const REFERENCE = /^(.+?@[0-9a-f]{7,40})(?: \[(.*)\])?$/s;
/** Free-text provenance that SOURCES.md itself flags as weak; kept verbatim, flagged in PROVENANCE.md. */
const WEAK_REFERENCE = /^public code index\b/;
const EVERY_EVM_CHAIN_SOURCE = 'cex_evms_addresses.sql';
const MIXER_INFRASTRUCTURE =
  /\b(Governance|Vesting|Token|Verifier|Hasher|Poseidon|Echoer|Fee Manager|Gas Compensation|Instance Registry|Relayer Registry|Mining|Reward|Trees|Community Fund|Donate)\b|^Gitcoin Grants/;

/**
 * Names in labels.csv known to be wrong, corrected only while they still read as below (a fixed
 * dataset passes through untouched). The Etherscan scrape swaps Tornado's two USDC pools and drops a
 * zero; Dune's OFAC label list and Tornado's own pool configuration (mixerAddress '100' / '1000')
 * agree on 0xd96f... = 100 USDC and 0x4736... = 1,000 USDC.
 */
const NAME_CORRECTIONS: ReadonlyMap<string, { readonly wrong: string; readonly right: string }> = new Map([
  [
    '0xd96f2b1c14db8458374d9aca76e26c3d18364307',
    { wrong: 'Tornado.Cash: 1,000 USDC', right: 'Tornado Cash: 100 USDC' },
  ],
  [
    '0x4736dcf1b7a3d580672cce6e7c65cd5cc9cfba9d',
    { wrong: 'Tornado.Cash: 1,00 USDC', right: 'Tornado Cash: 1,000 USDC' },
  ],
]);

class ImportError extends Error {
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'ImportError';
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readTable(file: string, header: readonly string[]): { line: number; fields: string[] }[] {
  const [first, ...rest] = parseCsv(readFileSync(file, 'utf8'));
  if (first?.join(',') !== header.join(',')) {
    throw new ImportError(file, 1, `header is not ${header.join(',')}`);
  }
  return rest.map((fields, index) => ({ line: index + 2, fields }));
}

interface Repair {
  readonly name: string;
  readonly category: string;
  readonly source: string;
}

/**
 * raw/supplementary_bridge_labels.csv has a row whose name holds an unquoted comma
 * ("THORChain Router (ETH, second entry)"), which is how labels.csv lost that row's name and source.
 * The name is the only free-text column before category and source_note, so extra fields belong to it.
 */
function readSupplementaryRepairs(file: string): Map<string, Repair> {
  const repairs = new Map<string, Repair>();
  for (const { line, fields } of readTable(file, ['chain', 'address', 'name', 'category', 'source_note'])) {
    if (fields.length < 5) throw new ImportError(file, line, `expected 5 fields, got ${fields.length}`);
    const [chain, address] = fields;
    const category = fields[fields.length - 2] ?? '';
    const source = fields[fields.length - 1] ?? '';
    repairs.set(`${chain}:${address}`, { name: fields.slice(2, -2).join(','), category, source });
  }
  return repairs;
}

interface ParsedSource {
  readonly reference: string;
  readonly role?: string;
}

function parseSource(source: string): ParsedSource[] | undefined {
  const parts: ParsedSource[] = [];
  for (const part of source.split(' ; ')) {
    const match = REFERENCE.exec(part);
    if (match?.[1]) {
      parts.push(match[2] === undefined ? { reference: match[1] } : { reference: match[1], role: match[2] });
    } else if (WEAK_REFERENCE.test(part)) {
      parts.push({ reference: part });
    } else {
      return undefined;
    }
  }
  return parts;
}

function readableName(name: string): string {
  return name.replace(/^(OFAC SDN: )?(Tornado|Typhoon)\.Cash\b/, '$1$2 Cash');
}

interface LabelRecord {
  readonly scope: string;
  readonly address: string;
  readonly name: string;
  readonly category: Category;
  readonly sources: readonly ParsedSource[];
}

class Interner {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();

  of(value: string): number {
    let index = this.#index.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#index.set(value, index);
    }
    return index;
  }
}

function importLabels(from: string, log: string[]): object {
  const file = join(from, 'labels.csv');
  const repairs = readSupplementaryRepairs(join(from, 'raw', 'supplementary_bridge_labels.csv'));
  const records: LabelRecord[] = [];
  const seen = new Set<string>();
  let demoted = 0;

  for (const { line, fields } of readTable(file, ['chain', 'address', 'name', 'category', 'source'])) {
    if (fields.length !== 5) throw new ImportError(file, line, `expected 5 fields, got ${fields.length}`);
    let [chain = '', address = '', name = '', category = '', source = ''] = fields;
    if (!/^[a-z0-9_]+$/.test(chain)) throw new ImportError(file, line, `bad chain ${JSON.stringify(chain)}`);
    if (!ADDRESS.test(address)) throw new ImportError(file, line, `bad address ${JSON.stringify(address)}`);

    let sources = parseSource(source);
    if (!sources) {
      const repair = repairs.get(`${chain}:${address}`);
      if (!repair) throw new ImportError(file, line, `source is not a provenance reference: ${source}`);
      log.push(
        `repaired ${chain} ${address}: name ${JSON.stringify(name)} -> ${JSON.stringify(repair.name)}`,
      );
      ({ name, category } = repair);
      sources = parseSource(repair.source);
      if (!sources) throw new ImportError(file, line, `supplementary source unusable: ${repair.source}`);
    }
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new ImportError(file, line, `unknown category ${JSON.stringify(category)}`);
    }
    if (name.trim() === '') throw new ImportError(file, line, 'empty name');

    const correction = NAME_CORRECTIONS.get(address);
    if (correction?.wrong === name) {
      log.push(`corrected ${address}: ${JSON.stringify(name)} -> ${JSON.stringify(correction.right)}`);
      name = correction.right;
    }
    name = readableName(name);
    let finalCategory = category as Category;
    if (finalCategory === 'mixer' && MIXER_INFRASTRUCTURE.test(name)) {
      finalCategory = 'other';
      demoted += 1;
    }

    const everywhere = sources.some((part) => part.reference.includes(EVERY_EVM_CHAIN_SOURCE));
    if (everywhere && (chain !== 'ethereum' || finalCategory !== 'exchange')) {
      throw new ImportError(file, line, 'a cex_evms row should be an ethereum exchange row');
    }
    const scope = everywhere ? '*' : chain;
    const key = `${scope}:${address}:${finalCategory}`;
    if (seen.has(key)) throw new ImportError(file, line, `duplicate ${finalCategory} label for ${address}`);
    seen.add(key);
    records.push({ scope, address, name, category: finalCategory, sources });
  }
  log.push(`demoted ${demoted} Tornado/Typhoon infrastructure rows from mixer to other`);

  // Stable order: by scope, then address, then category; indices are assigned in that order.
  records.sort(
    (a, b) =>
      a.scope.localeCompare(b.scope) ||
      a.address.localeCompare(b.address) ||
      a.category.localeCompare(b.category),
  );
  const names = new Interner();
  const references = new Interner();
  const toRow = (record: LabelRecord) => [
    record.address,
    names.of(record.name),
    CATEGORIES.indexOf(record.category),
    record.sources.map((part) =>
      part.role === undefined ? [references.of(part.reference)] : [references.of(part.reference), part.role],
    ),
  ];
  const everyEvmChain = records.filter((record) => record.scope === '*').map(toRow);
  const byChain: Record<string, unknown[]> = {};
  for (const record of records) {
    if (record.scope === '*') continue;
    const rows = byChain[record.scope] ?? [];
    rows.push(toRow(record));
    byChain[record.scope] = rows;
  }
  log.push(
    `labels: ${records.length} rows, ${everyEvmChain.length} on every EVM chain, ` +
      Object.entries(byChain)
        .map(([chain, rows]) => `${chain} ${rows.length}`)
        .join(', '),
  );
  return {
    format: FORMAT,
    generatedBy: 'scripts/import-labels.ts from labels.csv (see PROVENANCE.md)',
    categories: CATEGORIES,
    references: references.values,
    names: names.values,
    everyEvmChain,
    byChain,
  };
}

function importThefts(from: string, log: string[]): object {
  const file = join(from, 'thefts.csv');
  const rows: unknown[] = [];
  for (const { line, fields } of readTable(file, ['chain', 'address', 'incident', 'date', 'source'])) {
    if (fields.length !== 5) throw new ImportError(file, line, `expected 5 fields, got ${fields.length}`);
    const [chain = '', address = '', incident = '', date = '', source = ''] = fields;
    if (!/^[a-z0-9_]+$/.test(chain)) throw new ImportError(file, line, `bad chain ${JSON.stringify(chain)}`);
    if (!ADDRESS.test(address)) throw new ImportError(file, line, `bad address ${JSON.stringify(address)}`);
    if (date !== '' && !/^\d{4}-\d{2}(-\d{2})?$/.test(date)) {
      throw new ImportError(file, line, `bad date ${JSON.stringify(date)}`);
    }
    if (incident === '' || source === '') throw new ImportError(file, line, 'empty incident or source');
    rows.push([chain, address, incident, date === '' ? null : date, source]);
  }
  log.push(`thefts: ${rows.length} rows`);
  return { format: THEFTS_FORMAT, generatedBy: 'scripts/import-labels.ts from thefts.csv', rows };
}

/** JSON with one top-level array element per line: compact, yet readable in a diff. */
function stringifyByLine(value: object): string {
  const lines = Object.entries(value).map(([key, field]) => {
    if (Array.isArray(field) && field.length > 0 && Array.isArray(field[0])) {
      return `${JSON.stringify(key)}: [\n${field.map((row) => JSON.stringify(row)).join(',\n')}\n]`;
    }
    if (field !== null && typeof field === 'object' && !Array.isArray(field)) {
      const inner = Object.entries(field).map(
        ([chain, rows]) =>
          `${JSON.stringify(chain)}: [\n${(rows as unknown[]).map((row) => JSON.stringify(row)).join(',\n')}\n]`,
      );
      return `${JSON.stringify(key)}: {\n${inner.join(',\n')}\n}`;
    }
    return `${JSON.stringify(key)}: ${JSON.stringify(field)}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

function main(argv: readonly string[]): void {
  const fromFlag = argv.indexOf('--from');
  const from = resolve(fromFlag >= 0 ? (argv[fromFlag + 1] ?? '') : '/work/shared/data');
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'labels', 'data');
  mkdirSync(out, { recursive: true });

  const log: string[] = [];
  const labels = importLabels(from, log);
  const thefts = importThefts(from, log);
  writeFileSync(join(out, 'labels.json'), stringifyByLine(labels));
  writeFileSync(join(out, 'thefts.json'), stringifyByLine(thefts));
  copyFileSync(join(from, 'thefts.csv'), join(out, 'thefts.csv'));
  // The snapshot is read-only; the copy is a normal project file.
  chmodSync(join(out, 'thefts.csv'), 0o644);
  for (const message of log) console.log(message);
  console.log(`wrote ${out}/{labels.json, thefts.json, thefts.csv}`);
}

main(process.argv.slice(2));

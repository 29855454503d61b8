import { type Address, isCanonicalAddress } from '../domain/address.ts';
import type { Label, LabelCategory, LabelDirectory } from '../domain/label.ts';
import { LABEL_PRECEDENCE } from '../domain/label.ts';
import { chainRegistry } from './chains.ts';
import labelData from './data/labels.json' with { type: 'json' };
import { DEX_VENUES } from './dex-venues.ts';
import { InvalidLabelError, LabelDataError } from './errors.ts';
import { KNOWN_TOKENS } from './known-tokens.ts';

type LabelsByAddress = Map<Address, readonly Label[]>;

export interface LabelBookOptions {
  /** Whose labels apply on a chain (default: chainRegistry.labelSourceOf, 'local' -> 'ethereum'). */
  readonly labelSourceOf?: (chain: string) => string;
}

const CATEGORIES: ReadonlySet<string> = new Set(LABEL_PRECEDENCE);

/**
 * Who an address is, per chain: exchange hot wallets, mixer pools, bridges, sanctioned addresses,
 * DEX routers and pools, plus exchange deposit addresses learned while following a case.
 *
 * Three layers answer a lookup, each an O(1) map access:
 *   1. labels of the chain itself (chain-specific lists and labels learned on that chain),
 *   2. labels of the chain it replays, for an aliased chain ('local' -> 'ethereum'),
 *   3. labels that hold on every EVM chain (Dune's cex_evms exchange addresses: the same key controls
 *      the same address on every EVM chain, so one row serves bsc, base... without copies).
 * An address may carry several labels (a Tornado Cash pool is a mixer and sanctioned); use
 * `mostSpecificLabel` (shared/domain/label.ts) to pick the one an alert should name.
 *
 * Addresses must be canonical: lowercase, 0x-prefixed (shared/domain/address.ts). Lookups do not
 * lowercase on every call (this is the ingester's hot path); callers canonicalize once at the edge,
 * so a checksummed spelling is simply not found. Methods that store a label reject other spellings.
 */
export class LabelBook implements LabelDirectory {
  readonly #byChain = new Map<string, LabelsByAddress>();
  readonly #everyEvmChain: LabelsByAddress = new Map();
  readonly #labelSourceOf: (chain: string) => string;
  #size = 0;

  constructor(options: LabelBookOptions = {}) {
    this.#labelSourceOf = options.labelSourceOf ?? chainRegistry.labelSourceOf;
  }

  /** Number of labels stored (an address with two labels counts twice). */
  get size(): number {
    return this.#size;
  }

  labelsOf(chain: string, address: Address): readonly Label[] | undefined {
    const own = this.#byChain.get(chain)?.get(address);
    const source = this.#labelSourceOf(chain);
    const replayed = source === chain ? undefined : this.#byChain.get(source)?.get(address);
    const everywhere = this.#everyEvmChain.get(address);
    // Most addresses live in one layer only; concatenate (allocate) just for the rare overlaps.
    if (replayed === undefined && everywhere === undefined) return own;
    if (own === undefined && everywhere === undefined) return replayed;
    if (own === undefined && replayed === undefined) return everywhere;
    return [...(own ?? []), ...(replayed ?? []), ...(everywhere ?? [])];
  }

  /** Adds a label from a trusted list that holds on `chain` only. */
  addToChain(chain: string, address: Address, label: Label): void {
    const checked = checkedLabel(chain, address, label);
    this.#append(this.#chainLayer(chain), address, checked);
  }

  /** Adds a label that holds on every EVM chain (an exchange's externally owned hot wallet). */
  addToEveryEvmChain(address: Address, label: Label): void {
    const checked = checkedLabel('every EVM chain', address, label);
    this.#append(this.#everyEvmChain, address, checked);
  }

  /**
   * Records a label learned at run time, typically an exchange deposit address (`depositOf` = the
   * hot wallet it swept to). Returns false, and stores nothing, when the address already carries a
   * label of the same category and name on this chain: the investigator would learn nothing new.
   * The label is kept for `chain` only, even on an aliased chain ('local' does not teach 'ethereum').
   */
  learn(chain: string, address: Address, label: Label): boolean {
    const checked = checkedLabel(chain, address, label);
    const known = this.labelsOf(chain, address);
    if (known?.some((other) => other.category === checked.category && other.name === checked.name)) {
      return false;
    }
    this.#append(this.#chainLayer(chain), address, checked);
    return true;
  }

  #chainLayer(chain: string): LabelsByAddress {
    let layer = this.#byChain.get(chain);
    if (!layer) {
      layer = new Map();
      this.#byChain.set(chain, layer);
    }
    return layer;
  }

  #append(layer: LabelsByAddress, address: Address, label: Label): void {
    // A new array each time: arrays already handed to callers never change under them.
    const existing = layer.get(address);
    layer.set(address, existing ? [...existing, label] : [label]);
    this.#size += 1;
  }
}

function checkedLabel(chain: string, address: Address, label: Label): Label {
  if (typeof address !== 'string' || !isCanonicalAddress(address)) {
    throw new InvalidLabelError(chain, String(address), 'address must be 0x and 40 lowercase hex digits');
  }
  if (!CATEGORIES.has(label.category)) {
    throw new InvalidLabelError(chain, address, `unknown category ${JSON.stringify(label.category)}`);
  }
  if (typeof label.name !== 'string' || label.name.trim() === '') {
    throw new InvalidLabelError(chain, address, 'name is empty');
  }
  if (typeof label.source !== 'string' || label.source.trim() === '') {
    throw new InvalidLabelError(chain, address, 'source is empty: say where the label comes from');
  }
  if (label.depositOf !== undefined && !isCanonicalAddress(label.depositOf)) {
    throw new InvalidLabelError(chain, address, 'depositOf must be a canonical address');
  }
  return label.depositOf === undefined
    ? { category: label.category, name: label.name, source: label.source }
    : { category: label.category, name: label.name, source: label.source, depositOf: label.depositOf };
}

// ---- The bundled dataset (shared/labels/data/labels.json, written by scripts/import-labels.ts) ----

const LABELS_FILE = 'shared/labels/data/labels.json';
/** Must match FORMAT in scripts/import-labels.ts. */
export const LABELS_FORMAT = 'laundering-alerts/labels@1';

/**
 * One row: [address, index into names, index into categories, sources]. A source is
 * [index into references] or [index into references, role], the role being the per-row detail
 * ("Binance 14", "[ofac-sanctions-lists]"...). Interning keeps the file small and the load fast.
 */
type SourcePart = readonly [number] | readonly [number, string];
type LabelRow = readonly [string, number, number, readonly SourcePart[]];

interface LabelBundle {
  readonly format: string;
  readonly categories: readonly string[];
  readonly references: readonly string[];
  readonly names: readonly string[];
  readonly everyEvmChain: readonly LabelRow[];
  readonly byChain: Readonly<Record<string, readonly LabelRow[]>>;
}

function bundleOf(data: unknown): LabelBundle {
  const bundle = data as Partial<LabelBundle> | null;
  if (!bundle || bundle.format !== LABELS_FORMAT) {
    throw new LabelDataError(LABELS_FILE, `format is not ${LABELS_FORMAT}`);
  }
  for (const key of ['categories', 'references', 'names', 'everyEvmChain'] as const) {
    if (!Array.isArray(bundle[key])) throw new LabelDataError(LABELS_FILE, `${key} is not an array`);
  }
  if (typeof bundle.byChain !== 'object' || bundle.byChain === null) {
    throw new LabelDataError(LABELS_FILE, 'byChain is not an object');
  }
  for (const category of bundle.categories ?? []) {
    if (!CATEGORIES.has(category)) throw new LabelDataError(LABELS_FILE, `unknown category ${category}`);
  }
  return bundle as LabelBundle;
}

function labelOfRow(bundle: LabelBundle, row: LabelRow, where: string): [Address, Label] {
  const [address, nameIndex, categoryIndex, sources] = row;
  const name = bundle.names[nameIndex];
  const category = bundle.categories[categoryIndex] as LabelCategory | undefined;
  if (name === undefined || category === undefined || !Array.isArray(sources) || sources.length === 0) {
    throw new LabelDataError(LABELS_FILE, `malformed row for ${String(address)} in ${where}`);
  }
  const parts: string[] = [];
  for (const [referenceIndex, role] of sources) {
    const reference = bundle.references[referenceIndex];
    if (reference === undefined) {
      throw new LabelDataError(LABELS_FILE, `unknown reference ${referenceIndex} for ${address} in ${where}`);
    }
    parts.push(role === undefined ? reference : `${reference} [${role}]`);
  }
  return [address, { category, name, source: parts.join(' ; ') }];
}

/**
 * Builds a fresh book from the bundled dataset and the DEX venues. Prefer `builtInLabels()`, which
 * builds it once per process; this one is for tests and for measuring the build.
 */
export function loadBuiltInLabels(options: LabelBookOptions = {}): LabelBook {
  const book = new LabelBook(options);
  const bundle = bundleOf(labelData);
  const tokenContracts = new Set(KNOWN_TOKENS.map((token) => token.address));
  for (const row of bundle.everyEvmChain) {
    const [address, label] = labelOfRow(bundle, row, 'everyEvmChain');
    book.addToEveryEvmChain(address, notCustodianIfToken(tokenContracts, address, label));
  }
  for (const [chain, rows] of Object.entries(bundle.byChain)) {
    for (const row of rows) {
      const [address, label] = labelOfRow(bundle, row, chain);
      book.addToChain(chain, address, notCustodianIfToken(tokenContracts, address, label));
    }
  }
  for (const venue of DEX_VENUES) {
    for (const chain of venue.chains) {
      book.addToChain(chain, venue.address, { category: 'dex', name: venue.name, source: venue.source });
    }
  }
  return book;
}

/**
 * Some sources tag token contracts with their issuer's category (Etherscan puts USDT under
 * "exchange", Dune lists BUSD among Binance's addresses). A token contract holds no one's deposits:
 * tokens sent to it are stuck, not at an exchange, so such a label must neither stop taint nor raise
 * an exchange alert. It is kept, as 'other', with the reason.
 */
function notCustodianIfToken(tokenContracts: ReadonlySet<Address>, address: Address, label: Label): Label {
  if (!tokenContracts.has(address) || label.category === 'other' || label.category === 'sanctioned')
    return label;
  return {
    ...label,
    category: 'other',
    source: `${label.source} (was ${label.category}: an allow-listed token contract is not a custodian)`,
  };
}

let builtIn: LabelBook | undefined;

/**
 * The process-wide book: the bundled dataset plus DEX venues, built on first use. Labels learned on
 * it (`learn`) are shared by every caller in the process, which is what the ingester wants: a deposit
 * address learned in one block alerts at once in the next.
 */
export function builtInLabels(): LabelBook {
  builtIn ??= loadBuiltInLabels();
  return builtIn;
}

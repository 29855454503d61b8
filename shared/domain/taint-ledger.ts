import type { Address } from './address.ts';
import { AddressFilter } from './address-filter.ts';
import type { AssetId } from './transfer.ts';

/**
 * Per asset, what the tracer knows of a tainted wallet since it was first tainted:
 * balance   - observed inflows minus outflows (the wallet's earlier balance is unknown, so this is
 *             the haircut denominator "from observed inflows", never below zero)
 * tainted   - the part of `balance` that is tainted
 * taintedIn - all tainted value ever received (for reports; never decreases)
 */
export interface AssetTaint {
  balance: bigint;
  tainted: bigint;
  taintedIn: bigint;
}

/**
 * One link of the evidence chain: `address` was tainted by `txHash` (null for a seed), `hop` steps from
 * a seed. Links form a persistent list towards the seed, so a million wallets share their prefixes.
 */
export interface TaintLink {
  readonly address: Address;
  readonly txHash: string | null;
  readonly hop: number;
  readonly previous: TaintLink | null;
}

export interface TaintedWallet {
  readonly address: Address;
  readonly seed: boolean;
  /** How this wallet was first reached by the shortest path known; its hop is `link.hop`. */
  link: TaintLink;
  readonly holdings: Map<AssetId, AssetTaint>;
  /** Block of the first tainting transfer (0 for seeds registered without one). */
  readonly firstBlock: number;
}

export function linkToPath(link: TaintLink): { address: Address; txHash: string | null }[] {
  const steps: { address: Address; txHash: string | null }[] = [];
  for (let at: TaintLink | null = link; at; at = at.previous)
    steps.push({ address: at.address, txHash: at.txHash });
  return steps.reverse();
}

export function pathToLink(steps: readonly { address: Address; txHash: string | null }[]): TaintLink {
  let link: TaintLink | null = null;
  steps.forEach((step, hop) => {
    link = { address: step.address, txHash: step.txHash, hop, previous: link };
  });
  if (!link) throw new RangeError('a taint path has at least the seed');
  return link;
}

/** Below this many wallets a map lookup stays in cache and a filter would only add work. */
const FILTER_FROM_SIZE = 50_000;

/**
 * The tainted wallets of one case on one chain. The live ingester loads only the wallets a block range
 * touches; the backtest keeps all of them. Changes are tracked so adapters persist only what moved.
 */
export class TaintLedger {
  readonly #wallets = new Map<Address, TaintedWallet>();
  readonly #changed = new Set<Address>();
  /** Built once the ledger is large enough for map lookups to miss the caches (see AddressFilter). */
  #filter: AddressFilter | undefined;

  get size(): number {
    return this.#wallets.size;
  }

  get(address: Address): TaintedWallet | undefined {
    if (this.#filter && !this.#filter.mayContain(address)) return undefined;
    return this.#wallets.get(address);
  }

  has(address: Address): boolean {
    if (this.#filter && !this.#filter.mayContain(address)) return false;
    return this.#wallets.has(address);
  }

  /** Loads a wallet from storage without marking it changed. */
  load(wallet: TaintedWallet): void {
    this.#add(wallet);
  }

  put(wallet: TaintedWallet): void {
    this.#add(wallet);
    this.#changed.add(wallet.address);
  }

  #add(wallet: TaintedWallet): void {
    this.#wallets.set(wallet.address, wallet);
    if (this.#filter) {
      this.#filter.add(wallet.address);
    } else if (this.#wallets.size >= FILTER_FROM_SIZE) {
      this.#filter = new AddressFilter();
      for (const address of this.#wallets.keys()) this.#filter.add(address);
    }
  }

  markChanged(address: Address): void {
    this.#changed.add(address);
  }

  *changed(): IterableIterator<TaintedWallet> {
    for (const address of this.#changed) {
      const wallet = this.#wallets.get(address);
      if (wallet) yield wallet;
    }
  }

  clearChanges(): void {
    this.#changed.clear();
  }

  wallets(): IterableIterator<TaintedWallet> {
    return this.#wallets.values();
  }
}

export function seedWallet(address: Address): TaintedWallet {
  return {
    address,
    seed: true,
    link: { address, txHash: null, hop: 0, previous: null },
    holdings: new Map(),
    firstBlock: 0,
  };
}

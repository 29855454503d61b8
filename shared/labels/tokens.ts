import { type Address, isCanonicalAddress } from '../domain/address.ts';
import { parseUnits } from '../domain/amount.ts';
import type { TokenDirectory, TokenInfo } from '../domain/chain.ts';
import { chainRegistry } from './chains.ts';
import { InvalidTokenError, TokenConflictError } from './errors.ts';
import { KNOWN_TOKENS } from './known-tokens.ts';

type TokensByAddress = ReadonlyMap<Address, TokenInfo>;

/** ERC-20 decimals is a uint8; anything above 36 is no real currency and would overflow displays. */
const MAX_DECIMALS = 36;

export interface TokenAllowListOptions {
  /** Which chain's list applies on a chain (default: chainRegistry.labelSourceOf, 'local' -> 'ethereum'). */
  readonly labelSourceOf?: (chain: string) => string;
}

/**
 * The tokens taint may flow through, per chain (DESIGN invariant 4). Immutable: a case's own tokens
 * give a new list layered on top (`withExtraTokens`), so one case cannot widen another's.
 *
 * Lookups are O(1) and expect canonical lowercase addresses (shared/domain/address.ts); a
 * checksummed address is simply not found, so adapters canonicalize once at the edge.
 */
export class TokenAllowList implements TokenDirectory {
  // Assigned only by the constructor and #fromMaps (a fresh list): never changes after that.
  #byChain: ReadonlyMap<string, TokensByAddress>;
  readonly #labelSourceOf: (chain: string) => string;

  constructor(
    tokensByChain: Readonly<Record<string, readonly TokenInfo[]>>,
    options: TokenAllowListOptions = {},
  ) {
    this.#labelSourceOf = options.labelSourceOf ?? chainRegistry.labelSourceOf;
    const byChain = new Map<string, TokensByAddress>();
    for (const [chain, tokens] of Object.entries(tokensByChain)) {
      const byAddress = new Map<Address, TokenInfo>();
      for (const candidate of tokens) {
        const info = checkedToken(chain, candidate);
        if (byAddress.has(info.address)) {
          throw new InvalidTokenError(chain, info.address, 'listed twice');
        }
        byAddress.set(info.address, info);
      }
      byChain.set(chain, byAddress);
    }
    this.#byChain = byChain;
  }

  tokenOf(chain: string, address: Address): TokenInfo | undefined {
    const own = this.#byChain.get(chain)?.get(address);
    if (own) return own;
    const source = this.#labelSourceOf(chain);
    return source === chain ? undefined : this.#byChain.get(source)?.get(address);
  }

  /** All tokens trusted on `chain` (for 'local': Ethereum's plus any added for 'local'). */
  tokensOf(chain: string): TokenInfo[] {
    const merged = new Map<Address, TokenInfo>();
    const source = this.#labelSourceOf(chain);
    if (source !== chain) {
      for (const [address, info] of this.#byChain.get(source) ?? []) merged.set(address, info);
    }
    for (const [address, info] of this.#byChain.get(chain) ?? []) merged.set(address, info);
    return [...merged.values()];
  }

  /**
   * A new list where `tokens` are also trusted on `chain`: a case vouching for a token the built-in
   * list lacks. A token already listed with the same decimals takes the case's symbol and dust; with
   * other decimals it is refused (TokenConflictError), since amounts would be misread.
   */
  withExtraTokens(chain: string, tokens: readonly TokenInfo[]): TokenAllowList {
    const layer = new Map<Address, TokenInfo>(this.#byChain.get(chain) ?? []);
    const added = new Set<Address>();
    for (const candidate of tokens) {
      const info = checkedToken(chain, candidate);
      if (added.has(info.address)) throw new InvalidTokenError(chain, info.address, 'listed twice');
      added.add(info.address);
      const known = this.tokenOf(chain, info.address);
      if (known && known.decimals !== info.decimals) {
        throw new TokenConflictError(chain, info.address, known.decimals, info.decimals);
      }
      layer.set(info.address, info);
    }
    const byChain = new Map(this.#byChain);
    byChain.set(chain, layer);
    return TokenAllowList.#fromMaps(byChain, this.#labelSourceOf);
  }

  /** `withExtraTokens` for every chain of a case's `extraTokens` (shared/domain/case.ts). */
  withCaseTokens(extraTokens: Readonly<Record<string, readonly TokenInfo[]>>): TokenAllowList {
    let list: TokenAllowList = this;
    for (const [chain, tokens] of Object.entries(extraTokens)) {
      if (tokens.length > 0) list = list.withExtraTokens(chain, tokens);
    }
    return list;
  }

  static #fromMaps(
    byChain: ReadonlyMap<string, TokensByAddress>,
    labelSourceOf: (chain: string) => string,
  ): TokenAllowList {
    const list = new TokenAllowList({}, { labelSourceOf });
    // Already validated layers: skip re-checking every token of every chain for each case.
    list.#byChain = byChain;
    return list;
  }
}

function checkedToken(chain: string, token: TokenInfo): TokenInfo {
  const address = String(token.address);
  if (!isCanonicalAddress(address)) {
    throw new InvalidTokenError(chain, address, 'address must be 0x and 40 lowercase hex digits');
  }
  if (typeof token.symbol !== 'string' || token.symbol.trim() === '') {
    throw new InvalidTokenError(chain, address, 'symbol is empty');
  }
  if (!Number.isInteger(token.decimals) || token.decimals < 0 || token.decimals > MAX_DECIMALS) {
    throw new InvalidTokenError(chain, address, `decimals must be an integer 0..${MAX_DECIMALS}`);
  }
  if (typeof token.minAmount !== 'bigint' || token.minAmount < 0n) {
    throw new InvalidTokenError(chain, address, 'minAmount must be a non-negative bigint in base units');
  }
  return { address, symbol: token.symbol, decimals: token.decimals, minAmount: token.minAmount };
}

let builtIn: TokenAllowList | undefined;

/** The allow-list of shared/labels/known-tokens.ts, built once per process. */
export function builtInTokens(): TokenAllowList {
  if (!builtIn) {
    const byChain: Record<string, TokenInfo[]> = {};
    for (const known of KNOWN_TOKENS) {
      const tokens = byChain[known.chain] ?? [];
      tokens.push({
        address: known.address,
        symbol: known.symbol,
        decimals: known.decimals,
        minAmount: parseUnits(known.dust, known.decimals),
      });
      byChain[known.chain] = tokens;
    }
    builtIn = new TokenAllowList(byChain);
  }
  return builtIn;
}

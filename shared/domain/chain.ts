import type { Address } from './address.ts';

/** What the core needs to know of a chain to word its alerts. */
export interface ChainInfo {
  readonly name: string;
  readonly chainId: number;
  readonly nativeSymbol: string;
  readonly nativeDecimals: number;
  /** Base of the block explorer, without a trailing slash, e.g. https://etherscan.io */
  readonly explorerUrl: string;
  /** The wrapped native token (WETH, WBNB...), if the chain has one: sending native coin to it wraps. */
  readonly wrappedNative?: Address;
  /** Below this many base units of native coin a transfer is dust: it neither taints nor alerts. */
  readonly nativeMinAmount: bigint;
}

/** A token the chain's allow-list trusts: taint flows only through these (DESIGN invariant 4). */
export interface TokenInfo {
  readonly address: Address;
  readonly symbol: string;
  readonly decimals: number;
  /** Below this many base units a transfer is dust. */
  readonly minAmount: bigint;
}

/** Port: the chain's token allow-list. Lookups are O(1). */
export interface TokenDirectory {
  tokenOf(chain: string, address: Address): TokenInfo | undefined;
}

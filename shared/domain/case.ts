import type { Address } from './address.ts';
import type { TokenInfo } from './chain.ts';
import type { AssetId } from './transfer.ts';

/**
 * haircut: an outgoing transfer carries taint in proportion to the sender's tainted share of what it
 * received (per asset). poison: everything a tainted wallet sends is tainted.
 */
export type TaintModel = 'haircut' | 'poison';

export interface SeedWallet {
  readonly chain: string;
  readonly address: Address;
}

export interface Case {
  readonly id: string;
  readonly name: string;
  readonly seeds: readonly SeedWallet[];
  readonly model: TaintModel;
  /** Wallets further than this many hops from a seed are not tainted (custodian alerts still fire). */
  readonly maxHops: number;
  /**
   * Minimum tainted amount, in base units, per `${chain}:${asset}`, for a transfer to taint or alert.
   * Missing entries fall back to the chain's dust thresholds.
   */
  readonly minAmounts: Readonly<Record<string, bigint>>;
  /** Tokens the case follows on top of the chain's allow-list, per chain (the case vouches for them). */
  readonly extraTokens: Readonly<Record<string, readonly TokenInfo[]>>;
}

export const DEFAULT_MAX_HOPS = 6;

export function minAmountKey(chain: string, asset: AssetId): string {
  return `${chain}:${asset}`;
}

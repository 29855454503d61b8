import type { Address } from './address.ts';

/** The chain's own coin (ETH, BNB, POL, AVAX...) has no contract address. */
export const NATIVE_ASSET = 'native';
export type AssetId = Address | typeof NATIVE_ASSET;

/**
 * native: the value of a transaction itself; erc20: a `Transfer` log of a token;
 * internal: value moved by a contract call inside a transaction (a trace).
 */
export type TransferKind = 'native' | 'erc20' | 'internal';

/**
 * One movement of value, normalized from any source (JSON-RPC, Ethereum-ETL files).
 * `position` identifies it inside its transaction:
 *   native   -> 'tx'
 *   erc20    -> 'log:<logIndex>'
 *   internal -> 'call:<trace address joined by dots>' (e.g. 'call:0.2')
 * Together with chain and tx hash it is the transfer's identity (DESIGN invariant 1).
 */
export interface Transfer {
  readonly chain: string;
  readonly blockNumber: number;
  /** Unix seconds; 0 when the source does not say. */
  readonly blockTime: number;
  readonly txHash: string;
  /** Index of the transaction in its block; orders transfers of different transactions. */
  readonly txIndex: number;
  readonly position: string;
  readonly from: Address;
  readonly to: Address;
  readonly asset: AssetId;
  readonly amount: bigint;
  readonly kind: TransferKind;
}

export function nativePosition(): string {
  return 'tx';
}

export function logPosition(logIndex: number): string {
  return `log:${logIndex}`;
}

export function callPosition(traceAddress: readonly number[]): string {
  return `call:${traceAddress.join('.')}`;
}

const KIND_ORDER: Record<TransferKind, number> = { native: 0, internal: 1, erc20: 2 };

function positionRank(position: string): number[] {
  const body = position.slice(position.indexOf(':') + 1);
  return body === '' || position === 'tx' ? [] : body.split('.').map(Number);
}

/**
 * Order inside a block: by transaction, then the transaction's own value first, then internal calls in
 * trace order, then token logs by log index. Exact interleaving of calls and logs is not recoverable
 * from exports, and taint only needs inflows of a transaction to come before the outflows they fund.
 */
export function compareTransfers(a: Transfer, b: Transfer): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber - b.blockNumber;
  if (a.txIndex !== b.txIndex) return a.txIndex - b.txIndex;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  const ra = positionRank(a.position);
  const rb = positionRank(b.position);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const d = (ra[i] ?? 0) - (rb[i] ?? 0);
    if (d !== 0) return d;
  }
  return ra.length - rb.length;
}

export function transferKey(t: Pick<Transfer, 'chain' | 'txHash' | 'position'>): string {
  return `${t.chain}:${t.txHash}:${t.position}`;
}

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

/**
 * Compares the dotted numbers after the colon ('log:12', 'call:0.2'; 'tx' and 'call:' have none, and
 * come first) without allocating: sorting a block's transfers calls this a lot.
 */
function comparePositions(a: string, b: string): number {
  let i = a.indexOf(':') + 1;
  let j = b.indexOf(':') + 1;
  if (i === 0) i = a.length;
  if (j === 0) j = b.length;
  while (i < a.length && j < b.length) {
    let x = 0;
    for (; i < a.length && a.charCodeAt(i) !== 46; i++) x = x * 10 + (a.charCodeAt(i) - 48);
    let y = 0;
    for (; j < b.length && b.charCodeAt(j) !== 46; j++) y = y * 10 + (b.charCodeAt(j) - 48);
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
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
  return comparePositions(a.position, b.position);
}

export function transferKey(t: Pick<Transfer, 'chain' | 'txHash' | 'position'>): string {
  return `${t.chain}:${t.txHash}:${t.position}`;
}

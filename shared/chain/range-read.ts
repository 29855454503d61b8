import type { Address } from '../domain/address.ts';
import type { Transfer } from '../domain/transfer.ts';
import type { WatchedAddresses } from './tainted-value-scope.ts';

/** What reorg checks need of a block: its place in the chain. */
export interface BlockHeader {
  readonly number: number;
  readonly hash: string;
  readonly parentHash: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/** What to read from a range. */
export interface ReadScope {
  /** ERC-20 contracts whose Transfer logs to read: the chain's allow-list plus the cases' tokens. */
  readonly tokens: readonly Address[];
  /**
   * The tainted wallets. Given: native and internal transfers are read only for transactions that can
   * move tainted value (sent by or to a watched address, or emitting a log naming one). Absent: for all
   * transactions (every value-carrying transaction needs a receipt then: costly on a busy chain).
   */
  readonly watched?: WatchedAddresses;
}

export type UnreadableReason =
  | 'rpc-unavailable'
  | 'rpc-error'
  | 'malformed-response'
  | 'log-query-too-large'
  | 'reorg-during-read'
  | 'receipt-without-status'
  | 'trace-failed';

/** Blocks the reader did not read, why, and the failure itself (for logs and metrics). */
export interface UnreadableRange {
  readonly from: number;
  readonly to: number;
  readonly reason: UnreadableReason;
  readonly message: string;
  readonly error: Error;
}

/**
 * The result of reading blocks `from`..`to`: always a prefix.
 *
 * Blocks `from`..`readThrough` are read completely: `blocks` holds exactly their headers, in order, and
 * `transfers` every transfer of them in scope, in chain order (compareTransfers). When something could
 * not be read, the reader stops at the first block concerned: `readThrough` is the block before it and
 * `unreadable` covers readThrough + 1 .. to, with the reason; nothing after that block is returned,
 * even if it was read, because the core needs a block's inflows before the next block's outflows.
 *
 * An ingester that advances its checkpoint to `readThrough` (never to `to`) therefore cannot mark an
 * unread block as processed, whatever failed; it retries from readThrough + 1 on its next pass.
 */
export interface RangeRead {
  readonly from: number;
  readonly to: number;
  /** Last block read completely; from - 1 when not even the first block could be read. */
  readonly readThrough: number;
  readonly complete: boolean;
  readonly blocks: readonly BlockHeader[];
  readonly transfers: readonly Transfer[];
  readonly unreadable: UnreadableRange | undefined;
}

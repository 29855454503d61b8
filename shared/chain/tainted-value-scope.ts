import type { Address } from '../domain/address.ts';
import type { RpcLog, RpcTransaction } from './rpc-shapes.ts';
import { addressInWord } from './token-transfers.ts';

/**
 * Port: the addresses the ingester watches (its cached set of tainted wallets). `has` must be O(1): the
 * reader asks once per transaction end and once per log word, never iterates the set, so the RPC calls
 * and the work per block do not grow with the number of watched addresses.
 */
export interface WatchedAddresses {
  has(address: Address): boolean;
}

/** A transaction sent by or to a watched address (including a contract it creates, via the receipt). */
export function touchesWatched(tx: Pick<RpcTransaction, 'from' | 'to'>, watched: WatchedAddresses): boolean {
  return watched.has(tx.from) || (tx.to !== null && watched.has(tx.to));
}

/**
 * Whether a log names a watched address: as the emitting contract, in an indexed topic, or as an
 * ABI-encoded word of its data. This is how a transaction that neither comes from nor goes to a tainted
 * wallet can still move its value: an ERC-4337 bundler calls the EntryPoint, which calls the tainted smart
 * account and emits UserOperationEvent(userOpHash, sender indexed, paymaster indexed, ...); relayers and
 * multisig modules log the account they act for in the same way. Addresses packed unaligned into data
 * (abi.encodePacked) are not recognised: trace whole blocks where that matters.
 */
export function logNamesWatched(
  log: Pick<RpcLog, 'address' | 'topics' | 'data'>,
  watched: WatchedAddresses,
): boolean {
  if (watched.has(log.address)) return true;
  // topics[0] is the event signature, never an address.
  for (let i = 1; i < log.topics.length; i++) {
    const named = addressInWord(log.topics[i] as string);
    if (named && watched.has(named)) return true;
  }
  for (let offset = 2; offset + 64 <= log.data.length; offset += 64) {
    const named = addressInWord(`0x${log.data.slice(offset, offset + 64)}`);
    if (named && watched.has(named)) return true;
  }
  return false;
}

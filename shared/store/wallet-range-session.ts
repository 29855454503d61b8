/**
 * Replay-safe tainted-wallet writes without transactions (DESIGN invariants 1 and 2).
 *
 * The ingester of a chain processes block ranges [a, b] in order, writes the wallets a range changed,
 * then advances the chain's checkpoint from a-1 to b. A crash after some wallet writes and before the
 * checkpoint moves leaves the table holding post-range state for some wallets, while the next run
 * processes [a, b'] again from the checkpoint. Re-applying the range on top of that state would count
 * the same taint twice. DynamoDB transactions would close the gap, but the embedded server has none,
 * and 25 items per transaction is too few for a busy range anyway.
 *
 * So each wallet item keeps two versions, `cur = {v, state}` and `prev = {v, state}`, where v is the
 * last block of the range whose processing produced that state:
 *   - reading for range [a, b]: if cur.v >= a, cur was left by an unfinished attempt of this range
 *     (possibly with another b), so the state the range starts from is `prev`; else it is `cur`.
 *     A wallet whose only version was written by the unfinished attempt was not tainted before.
 *   - writing the result of [a, b]: cur = {v: b, state}, prev = the state the range started from,
 *     which is exactly `old.cur.v < a ? old.cur : old.prev`.
 * Writes are then plain idempotent puts, batched 25 at a time.
 *
 * Why this is sound: a range [a, b] always starts right after the checkpoint (a - 1), and the
 * checkpoint moves only by a conditional write from the block it was read at, so committed versions
 * have v <= a - 1 and anything with v >= a is uncommitted. It needs a single writer of these items
 * per chain: the chain's ingester, run with reserved concurrency 1 in AWS and as one loop locally.
 * That is a requirement, not a nicety: a second writer still busy with a range its rival already
 * committed would write versions that the rival's next read takes for uncommitted, and the rival
 * would fall back to a stale `prev`. CheckpointConflictError stops the loser at its next checkpoint
 * write, not before. Backfill of a case must go through the same sessions, in the same single writer,
 * in increasing ranges.
 *
 * Limits, stated: a version left by a crashed attempt for a wallet that the successful retry does not
 * touch keeps v >= a, and becomes "committed" once the checkpoint passes v. Given the same transfers
 * and the same starting state the retry touches the same wallets, so this happens only when the inputs
 * changed between the attempts (a seed added, a label learned). `Checkpoint.inFlightTo` lets the retry
 * reprocess exactly the crashed range, which narrows it to those cases.
 */
import type { Address } from '../domain/address.ts';
import type { TaintedWallet } from '../domain/taint-ledger.ts';
import type { StoredItem } from './attributes.ts';
import { StoreError, WalletNotLoadedError } from './errors.ts';
import { checkAddress, checkBlock, checkCaseId, checkChain, walletPk, walletSk } from './keys.ts';
import type { BlockRange, WalletKey, WalletRangeSession } from './repository.ts';
import { walletMapKey } from './repository.ts';
import type { TableGateway } from './table-gateway.ts';
import {
  readVersion,
  type WalletVersion,
  walletFromState,
  walletIdentity,
  walletStateOf,
  walletToItem,
} from './wallet-item.ts';

/** A stored version is newer than the range start: the checkpoint went backwards, or two writers. */
export class WalletAheadOfRangeError extends StoreError {
  constructor(caseId: string, chain: string, address: Address, version: number, range: BlockRange) {
    super(
      `wallet ${address} of case ${caseId} on ${chain} has state as of block ${version}, both versions at or after the range start ${range.from}: ranges must move forward from the checkpoint`,
    );
    this.name = 'WalletAheadOfRangeError';
  }
}

export class DynamoDbWalletRangeSession implements WalletRangeSession {
  readonly chain: string;
  readonly range: BlockRange;
  readonly #table: TableGateway;
  /** What each loaded wallet was before the range; null: not tainted before it. */
  readonly #bases = new Map<string, WalletVersion | null>();

  constructor(table: TableGateway, chain: string, range: BlockRange) {
    checkChain(chain);
    checkBlock(range.from, 'range.from');
    checkBlock(range.to, 'range.to');
    if (range.to < range.from) throw new StoreError(`empty block range ${range.from}..${range.to}`);
    this.#table = table;
    this.chain = chain;
    this.range = { from: range.from, to: range.to };
  }

  async load(keys: readonly WalletKey[]): Promise<Map<string, TaintedWallet>> {
    const tableKeys = keys.map((key) => ({
      pk: walletPk(this.chain, key.address),
      sk: walletSk(key.caseId),
    }));
    const items = await this.#table.batchGet('walletRange.load', tableKeys, true);
    const found = new Map<string, StoredItem>();
    for (const item of items) {
      const { caseId, address } = walletIdentity(item);
      found.set(walletMapKey(caseId, address), item);
    }
    const wallets = new Map<string, TaintedWallet>();
    for (const key of keys) {
      const mapKey = walletMapKey(key.caseId, key.address);
      const item = found.get(mapKey);
      const base = item ? this.#baseOf(item, key) : null;
      this.#bases.set(mapKey, base);
      if (base) wallets.set(mapKey, walletFromState(key.address, base.state));
    }
    return wallets;
  }

  #baseOf(item: StoredItem, key: WalletKey): WalletVersion | null {
    const cur = readVersion(item, 'cur');
    const prev = readVersion(item, 'prev');
    if (!cur) return null;
    if (cur.v < this.range.from) return cur;
    if (prev && prev.v >= this.range.from) {
      throw new WalletAheadOfRangeError(key.caseId, this.chain, key.address, prev.v, this.range);
    }
    return prev;
  }

  async save(wallets: readonly { readonly caseId: string; readonly wallet: TaintedWallet }[]): Promise<void> {
    const items = wallets.map(({ caseId, wallet }) => {
      checkCaseId(caseId);
      checkAddress(wallet.address);
      const mapKey = walletMapKey(caseId, wallet.address);
      if (!this.#bases.has(mapKey)) throw new WalletNotLoadedError(caseId, this.chain, wallet.address);
      return walletToItem({
        caseId,
        chain: this.chain,
        address: wallet.address,
        cur: { v: this.range.to, state: walletStateOf(wallet) },
        prev: this.#bases.get(mapKey) ?? null,
      });
    });
    await this.#table.batchPut('walletRange.save', items);
  }
}

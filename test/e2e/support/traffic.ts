/**
 * Blocks of synthetic traffic on the embedded node: many unrelated transfers (strangers paying
 * strangers) and a few sent by tainted wallets, so that costs can be counted against both. Addresses
 * are made up and impersonated; each sender is funded once.
 */
import type { Eip1193Provider } from '../../../infra/local/servers/index.ts';
import type { Address } from '../../../shared/domain/address.ts';
import { fund, submitAs } from '../../helpers/impersonated-sender.ts';

const ETH = 10n ** 18n;
const TRANSFER_GAS = 21_000n;

/** A made-up address: `group` (1..0xffffffff, never 0: precompiles live at 0x…01-0x…0a) and an index. */
export function syntheticAddress(group: number, index: number): Address {
  return `0x${group.toString(16).padStart(8, '0')}${index.toString(16).padStart(32, '0')}` as Address;
}

export interface TrafficBlock {
  /** Strangers paying strangers: nothing tainted is involved. */
  readonly unrelated: number;
  /** Transfers sent by tainted wallets (funded on chain beforehand). */
  readonly tainted: readonly { readonly from: Address; readonly to: Address; readonly value: bigint }[];
}

export interface MinedTrafficBlock {
  readonly blockNumber: number;
  readonly transactions: number;
  /** The hashes of the tainted transfers, in submission order. */
  readonly taintedTxHashes: string[];
}

const STRANGERS = 0x5e5e5e5e;
const STRANGERS_PAID = 0x5e5e0000;

/** Mines blocks of traffic one by one; strangers are funded on first use. */
export class TrafficMiner {
  readonly #provider: Eip1193Provider;
  #funded = 0;
  #paid = 0;

  constructor(provider: Eip1193Provider) {
    this.#provider = provider;
  }

  /** Funds wallets on chain (tainted wallets need ETH to move, and gas). */
  async fundWallets(addresses: readonly Address[], wei: bigint): Promise<void> {
    for (const address of addresses) await fund(this.#provider, address, wei);
  }

  async mine(block: TrafficBlock): Promise<MinedTrafficBlock> {
    const provider = this.#provider;
    while (this.#funded < block.unrelated) {
      await fund(provider, syntheticAddress(STRANGERS, this.#funded), 1_000n * ETH);
      this.#funded += 1;
    }
    await provider.request({ method: 'evm_setAutomine', params: [false] });
    try {
      const taintedTxHashes: string[] = [];
      // Tainted transfers go in the middle of the block, among the strangers' ones.
      const half = Math.floor(block.unrelated / 2);
      for (let i = 0; i < block.unrelated; i++) {
        if (i === half) {
          for (const transfer of block.tainted)
            taintedTxHashes.push(await submitAs(provider, { ...transfer, gas: TRANSFER_GAS }));
        }
        await submitAs(provider, {
          from: syntheticAddress(STRANGERS, i),
          to: syntheticAddress(STRANGERS_PAID, this.#paid++),
          value: ETH / 100n,
          gas: TRANSFER_GAS,
        });
      }
      if (block.unrelated === 0) {
        for (const transfer of block.tainted)
          taintedTxHashes.push(await submitAs(provider, { ...transfer, gas: TRANSFER_GAS }));
      }
      await provider.request({ method: 'evm_mine', params: [] });
      const mined = (await provider.request({
        method: 'eth_getBlockByNumber',
        params: ['latest', false],
      })) as {
        number: string;
        transactions: string[];
      };
      const expected = block.unrelated + block.tainted.length;
      if (mined.transactions.length !== expected)
        throw new Error(
          `block ${Number(mined.number)} holds ${mined.transactions.length} transactions, not ${expected}`,
        );
      return { blockNumber: Number(mined.number), transactions: expected, taintedTxHashes };
    } finally {
      await provider.request({ method: 'evm_setAutomine', params: [true] });
    }
  }
}

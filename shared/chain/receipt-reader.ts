import { z } from 'zod';
import { ChainReorganizedDuringReadError, MethodNotSupportedError } from './errors.ts';
import type { CallOutcome, JsonRpcClient, RpcCall } from './json-rpc-client.ts';
import { blockTag, type ReadStop } from './read-stop.ts';
import {
  parserOf,
  type RpcBlockWithTransactions,
  type RpcReceipt,
  type RpcTransaction,
  requiredParserOf,
  rpcReceiptSchema,
} from './rpc-shapes.ts';

/** The transactions of one block whose receipts are needed (value-carrying ones in scope). */
export interface ReceiptNeed {
  readonly block: RpcBlockWithTransactions;
  readonly transactions: readonly RpcTransaction[];
}

const parseBlockReceipts = parserOf(z.array(rpcReceiptSchema));
const parseReceipt = requiredParserOf(rpcReceiptSchema, 'receipt');

/**
 * Receipts, for one thing: whether a value-carrying transaction succeeded. A failed transaction is in its
 * block with its value, but the EVM undid the transfer.
 *
 * Calls: one eth_getBlockReceipts per block that has a transaction in need, where the node has it; else
 * one eth_getTransactionReceipt per transaction in need. Blocks with no value-carrying transaction in scope
 * cost nothing. Whether the node has eth_getBlockReceipts is asked once, with the first block, and
 * remembered. All calls of a range go out together in batches.
 */
export class ReceiptReader {
  readonly #client: JsonRpcClient;
  #blockReceipts: 'unknown' | 'supported' | 'unsupported' = 'unknown';

  constructor(client: JsonRpcClient) {
    this.#client = client;
  }

  get blockReceiptsSupport(): 'unknown' | 'supported' | 'unsupported' {
    return this.#blockReceipts;
  }

  async receipts(
    needs: readonly ReceiptNeed[],
  ): Promise<{ receipts: Map<string, RpcReceipt>; stop?: ReadStop }> {
    const receipts = new Map<string, RpcReceipt>();
    const pending = needs.filter((need) => need.transactions.length > 0);
    if (pending.length === 0) return { receipts };

    let perBlock: CallOutcome<RpcReceipt[]>[] = [];
    if (this.#blockReceipts === 'unknown') {
      const first = pending[0] as ReceiptNeed;
      const [probe] = await this.#client.callAll([blockReceiptsCall(first.block)]);
      if (probe && !probe.ok && probe.error instanceof MethodNotSupportedError) {
        this.#blockReceipts = 'unsupported';
      } else if (probe) {
        if (probe.ok) this.#blockReceipts = 'supported';
        perBlock = [probe];
      }
    }
    if (this.#blockReceipts !== 'unsupported') {
      const rest = pending.slice(perBlock.length);
      perBlock.push(...(await this.#client.callAll(rest.map((need) => blockReceiptsCall(need.block)))));
      for (const [i, outcome] of perBlock.entries()) {
        const need = pending[i] as ReceiptNeed;
        if (!outcome.ok) return { receipts, stop: { block: need.block.number, error: outcome.error } };
        const problem = collect(need, outcome.value, receipts);
        if (problem) return { receipts, stop: { block: need.block.number, error: problem } };
      }
      return { receipts };
    }

    const calls = pending.flatMap((need) => need.transactions.map((tx) => transactionReceiptCall(tx)));
    const outcomes = await this.#client.callAll(calls);
    let next = 0;
    for (const need of pending) {
      const found: RpcReceipt[] = [];
      for (let i = 0; i < need.transactions.length; i++) {
        const outcome = outcomes[next++] as CallOutcome<RpcReceipt>;
        if (!outcome.ok) return { receipts, stop: { block: need.block.number, error: outcome.error } };
        found.push(outcome.value);
      }
      const problem = collect(need, found, receipts);
      if (problem) return { receipts, stop: { block: need.block.number, error: problem } };
    }
    return { receipts };
  }
}

/** Keeps the receipts of the transactions in need; a receipt of another block version means a reorg. */
function collect(
  need: ReceiptNeed,
  found: readonly RpcReceipt[],
  receipts: Map<string, RpcReceipt>,
): ChainReorganizedDuringReadError | undefined {
  const byHash = new Map(found.map((receipt) => [receipt.transactionHash, receipt]));
  for (const tx of need.transactions) {
    const receipt = byHash.get(tx.hash);
    if (!receipt || receipt.blockHash !== need.block.hash) {
      const detail = receipt
        ? `the receipt of ${tx.hash} is in block ${receipt.blockHash}, not ${need.block.hash}`
        : `no receipt for ${tx.hash} in the block's receipts`;
      return new ChainReorganizedDuringReadError(need.block.number, detail);
    }
    receipts.set(tx.hash, receipt);
  }
  return undefined;
}

function blockReceiptsCall(block: RpcBlockWithTransactions): RpcCall<RpcReceipt[]> {
  return {
    method: 'eth_getBlockReceipts',
    params: [blockTag(block.number)],
    parse: (raw) => {
      if (raw === null)
        throw new Error(`receipts of block ${block.number} not found on this node (null result)`);
      return parseBlockReceipts(raw);
    },
  };
}

function transactionReceiptCall(tx: RpcTransaction): RpcCall<RpcReceipt> {
  return {
    method: 'eth_getTransactionReceipt',
    params: [tx.hash],
    parse: (raw) => {
      const receipt = parseReceipt(raw);
      if (receipt.transactionHash !== tx.hash)
        throw new Error(`asked for the receipt of ${tx.hash}, got ${receipt.transactionHash}`);
      return receipt;
    },
  };
}

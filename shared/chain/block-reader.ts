import { ChainReorganizedDuringReadError } from './errors.ts';
import type { JsonRpcClient, RpcCall } from './json-rpc-client.ts';
import type { BlockHeader } from './range-read.ts';
import { blockTag, type ReadStop } from './read-stop.ts';
import {
  type RpcBlockHeader,
  type RpcBlockWithTransactions,
  type RpcTransaction,
  requiredParserOf,
  rpcBlockHeaderSchema,
  rpcBlockWithTransactionsSchema,
} from './rpc-shapes.ts';

export type HeadTag = 'latest' | 'safe' | 'finalized';

/** Blocks by number: full (with transactions) for reading transfers, headers for reorg checks. */
export class BlockReader {
  readonly #client: JsonRpcClient;

  constructor(client: JsonRpcClient) {
    this.#client = client;
  }

  async head(tag: HeadTag): Promise<BlockHeader> {
    return headerOf(
      await this.#client.call({
        method: 'eth_getBlockByNumber',
        params: [tag, false],
        parse: requiredParserOf(rpcBlockHeaderSchema, `the ${tag} block`),
      }),
    );
  }

  /** Headers of from..to in one batch; throws the first failure (callers need all of them or none). */
  async headers(from: number, to: number): Promise<BlockHeader[]> {
    const calls: RpcCall<RpcBlockHeader>[] = [];
    for (let n = from; n <= to; n++)
      calls.push(blockCall(n, false, requiredParserOf(rpcBlockHeaderSchema, `block ${n}`)));
    const outcomes = await this.#client.callAll(calls);
    return outcomes.map((outcome) => {
      if (!outcome.ok) throw outcome.error;
      return headerOf(outcome.value);
    });
  }

  /**
   * Full blocks from..to, as the longest prefix that was read and links up (each block's parentHash is
   * the previous block's hash: answers from before and after a reorg must not be mixed).
   */
  async fullBlocks(
    from: number,
    to: number,
  ): Promise<{ blocks: RpcBlockWithTransactions[]; stop?: ReadStop }> {
    const calls: RpcCall<RpcBlockWithTransactions>[] = [];
    for (let n = from; n <= to; n++)
      calls.push(blockCall(n, true, requiredParserOf(rpcBlockWithTransactionsSchema, `block ${n}`)));
    const outcomes = await this.#client.callAll(calls);
    const blocks: RpcBlockWithTransactions[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const number = from + i;
      if (!outcome.ok) return { blocks, stop: { block: number, error: outcome.error } };
      const previous = blocks[blocks.length - 1];
      if (previous && outcome.value.parentHash !== previous.hash) {
        const detail = `its parent hash ${outcome.value.parentHash} is not block ${previous.number}'s hash ${previous.hash}`;
        return {
          blocks,
          stop: { block: number, error: new ChainReorganizedDuringReadError(number, detail) },
        };
      }
      blocks.push(outcome.value);
    }
    return { blocks };
  }
}

export function headerOf(block: RpcBlockHeader): BlockHeader {
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
}

/** eth_getBlockByNumber whose answer must be that very block, and whose transactions must belong to it. */
function blockCall<T extends RpcBlockHeader & { readonly transactions?: readonly RpcTransaction[] }>(
  number: number,
  withTransactions: boolean,
  parseShape: (raw: unknown) => T,
): RpcCall<T> {
  return {
    method: 'eth_getBlockByNumber',
    params: [blockTag(number), withTransactions],
    parse: (raw) => {
      const block = parseShape(raw);
      if (block.number !== number) throw new Error(`asked for block ${number}, got block ${block.number}`);
      for (const [index, tx] of (block.transactions ?? []).entries()) {
        if (tx.blockHash !== block.hash || tx.blockNumber !== number || tx.transactionIndex !== index) {
          throw new Error(`transaction ${tx.hash} does not sit at index ${index} of block ${number}`);
        }
      }
      return block;
    },
  };
}

import { type Address, canonicalAddress } from '../domain/address.ts';
import { compareTransfers, type Transfer } from '../domain/transfer.ts';
import { ActivityFinder, type ActivityQuery, type ActivitySearch } from './activity-finder.ts';
import { BlockReader, type HeadTag, headerOf } from './block-reader.ts';
import { internalTransfersOf } from './call-tree.ts';
import {
  type ChainReaderConfig,
  type ResolvedChainReaderConfig,
  resolveChainReaderConfig,
} from './chain-reader-config.ts';
import {
  ChainReadFailure,
  ChainReorganizedDuringReadError,
  InvalidBlockRangeError,
  ReceiptWithoutStatusError,
  unreadableReasonOf,
} from './errors.ts';
import { JsonRpcClient, type RpcCallStats } from './json-rpc-client.ts';
import { LogReader } from './log-reader.ts';
import { nativeTransferOf } from './native-transfers.ts';
import type { BlockHeader, RangeRead, ReadScope, UnreadableRange } from './range-read.ts';
import { earliestStop, lastReadableBlock, type ReadStop } from './read-stop.ts';
import { type ReceiptNeed, ReceiptReader } from './receipt-reader.ts';
import type {
  RpcBlockWithTransactions,
  RpcCallFrame,
  RpcLog,
  RpcReceipt,
  RpcTransaction,
} from './rpc-shapes.ts';
import { logNamesWatched, touchesWatched } from './tainted-value-scope.ts';
import { TRANSFER_TOPIC, tokenTransferOf } from './token-transfers.ts';
import { type TraceNeed, TraceReader } from './trace-reader.ts';

export interface ChainReaderOptions {
  /** Injected for tests of the retry schedule; defaults are setTimeout, Math.random and Date.now. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * Reads one chain over JSON-RPC and turns block ranges into normalized transfers: native (a
 * transaction's own value), erc20 (Transfer logs of the given tokens) and internal (value moved by
 * contract calls, from call traces). See RangeRead for the contract on partial reads.
 *
 * Calls per range of n blocks (batched into few HTTP requests), none depending on how many addresses are
 * watched, only on how many transactions touch them:
 *   n                        eth_getBlockByNumber (full transactions)
 *   1+                       eth_getLogs for the tokens' Transfer logs (more only when split)
 *   1+                       eth_getLogs for all logs, to find transactions whose logs name a watched
 *                            address (only with tracing on, a watched set, and not whole blocks)
 *   <= n                     eth_getBlockReceipts, for blocks with a value-carrying transaction in scope
 *     or 1 per such tx       eth_getTransactionReceipt where the node lacks block receipts
 *   <= n                     debug_traceBlockByNumber, for blocks with a transaction to trace
 *     or 1 per such tx       debug_traceTransaction in 'transaction' mode or where block tracing is missing
 */
export class ChainReader {
  readonly config: ResolvedChainReaderConfig;
  readonly #client: JsonRpcClient;
  readonly #blocks: BlockReader;
  readonly #logs: LogReader;
  readonly #allLogs: LogReader;
  readonly #receipts: ReceiptReader;
  readonly #traces: TraceReader | undefined;
  readonly #activity: ActivityFinder;

  constructor(config: ChainReaderConfig, options: ChainReaderOptions = {}) {
    this.config = resolveChainReaderConfig(config);
    const c = this.config;
    this.#client = new JsonRpcClient({
      urls: c.rpcUrls,
      chainId: c.chainId,
      maxBatchSize: c.maxBatchSize,
      requestTimeoutMs: c.requestTimeoutMs,
      maxAttempts: c.maxAttempts,
      backoffBaseMs: c.backoffBaseMs,
      backoffMaxMs: c.backoffMaxMs,
      endpointCooldownMs: c.endpointCooldownMs,
      ...options,
    });
    this.#blocks = new BlockReader(this.#client);
    // Two log readers: token logs and all logs have very different densities, so each learns its own span.
    this.#logs = new LogReader(this.#client, c.maxBlocksPerLogQuery);
    this.#allLogs = new LogReader(this.#client, c.maxBlocksPerLogQuery);
    this.#receipts = new ReceiptReader(this.#client);
    this.#traces = c.tracing === 'off' ? undefined : new TraceReader(this.#client, c.chain, c.tracing);
    this.#activity = new ActivityFinder(this.#client);
  }

  /** JSON-RPC calls made so far, by method (each attempt counts, as providers bill it). */
  get rpcStats(): RpcCallStats {
    return this.#client.stats;
  }

  /** 'block' or 'transaction' once a node without block tracing was met; undefined with tracing off. */
  get tracingInUse(): 'block' | 'transaction' | undefined {
    return this.#traces?.mode;
  }

  endpointHealth(): { label: string; healthy: boolean }[] {
    return this.#client.endpointHealth();
  }

  /**
   * Checks eth_chainId on every configured URL that answers. Throws ChainIdMismatchError on the first
   * URL of another chain, RpcUnavailableError when none answers. Reads check lazily anyway (each URL
   * before its first use); this is for failing fast at start-up.
   */
  async checkChainId(): Promise<void> {
    await this.#client.checkChainIds();
  }

  /** The chain's head, or its safe or finalized block (where the chain has those tags). */
  headBlock(tag: HeadTag = 'latest'): Promise<BlockHeader> {
    return this.#blocks.head(tag);
  }

  /** Headers of from..to for reorg checks (compare hashes with what was stored). Throws on any failure. */
  async blockHeaders(from: number, to: number): Promise<BlockHeader[]> {
    this.#checkRange(from, to);
    return this.#blocks.headers(from, to);
  }

  /** The transfers of blocks from..to in scope, as the longest fully read prefix (see RangeRead). */
  async readRange(from: number, to: number, scope: ReadScope): Promise<RangeRead> {
    this.#checkRange(from, to);
    const tokens = canonicalTokens(scope.tokens);
    const { watched } = scope;
    const chain = this.config.chain;

    const fetched = await this.#blocks.fullBlocks(from, to);
    let stop = fetched.stop;
    const blocks = fetched.blocks;

    const tokenLogs =
      tokens.length > 0 && blocks.length > 0
        ? await this.#logs.logs(from, lastReadableBlock(to, stop), {
            addresses: tokens,
            topic0: [TRANSFER_TOPIC],
          })
        : { logs: [] };
    stop = earliestStop(stop, tokenLogs.stop);
    stop = earliestStop(stop, blockHashMismatch(tokenLogs.logs, blocks));

    // Which transactions can move tainted value through internal calls.
    const traceWholeBlocks = this.config.traceWholeBlocks || watched === undefined;
    let txsNamedInLogs: Set<string> | undefined;
    if (
      this.#traces &&
      !traceWholeBlocks &&
      watched &&
      blocks.length > 0 &&
      lastReadableBlock(to, stop) >= from
    ) {
      const allLogs = await this.#allLogs.logs(from, lastReadableBlock(to, stop), {});
      stop = earliestStop(stop, allLogs.stop);
      stop = earliestStop(stop, blockHashMismatch(allLogs.logs, blocks));
      txsNamedInLogs = new Set(
        allLogs.logs.filter((log) => logNamesWatched(log, watched)).map((log) => log.transactionHash),
      );
    }

    const inScope = (tx: RpcTransaction) => watched === undefined || touchesWatched(tx, watched);
    const receiptNeeds: ReceiptNeed[] = [];
    const traceNeeds: TraceNeed[] = [];
    for (const block of blocks) {
      if (block.number > lastReadableBlock(to, stop)) break;
      receiptNeeds.push({
        block,
        transactions: block.transactions.filter((tx) => tx.value > 0n && inScope(tx)),
      });
      if (this.#traces) {
        const toTrace = traceWholeBlocks
          ? block.transactions
          : block.transactions.filter((tx) => inScope(tx) || txsNamedInLogs?.has(tx.hash));
        traceNeeds.push({ block, transactions: toTrace });
      }
    }

    const receipts = await this.#receipts.receipts(receiptNeeds);
    stop = earliestStop(stop, receipts.stop);

    const traces = this.#traces
      ? await this.#traces.traces(
          traceNeeds.filter((need) => need.block.number <= lastReadableBlock(to, stop)),
        )
      : undefined;
    stop = earliestStop(stop, traces?.stop);

    // Assemble the prefix; a receipt without status stops the read at its block.
    const readThroughSoFar = lastReadableBlock(to, stop);
    const transfers: Transfer[] = [];
    const headers: BlockHeader[] = [];
    let readThrough = from - 1;
    for (const block of blocks) {
      if (block.number > readThroughSoFar) break;
      const valueTransactions = receiptNeeds[block.number - from]?.transactions ?? [];
      const built = transfersOfBlock(chain, block, valueTransactions, receipts.receipts, traces?.frames);
      if (built instanceof ChainReadFailure) {
        stop = earliestStop(stop, { block: block.number, error: built });
        break;
      }
      transfers.push(...built);
      headers.push(headerOf(block));
      readThrough = block.number;
    }
    for (const log of tokenLogs.logs) {
      if (log.blockNumber > readThrough) break;
      const block = blocks[log.blockNumber - from] as RpcBlockWithTransactions;
      const transfer = tokenTransferOf(chain, block.timestamp, log);
      if (transfer) transfers.push(transfer);
    }
    transfers.sort(compareTransfers);

    return {
      from,
      to,
      readThrough,
      complete: readThrough === to,
      blocks: headers,
      transfers,
      unreadable: stop && readThrough < to ? unreadableFrom(readThrough + 1, to, stop) : undefined,
    };
  }

  /**
   * Blocks of from..to where the wallets sent or received native value or a followed token, found with
   * the node's indexes (trace_filter, filtered eth_getLogs) instead of reading the blocks; `indexed: false`
   * when the node has no trace_filter (then only reading every block can tell). See activity-finder.ts.
   */
  findActivity(query: ActivityQuery): Promise<ActivitySearch> {
    return this.#activity.find(query);
  }

  #checkRange(from: number, to: number): void {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
      throw new InvalidBlockRangeError(`not a block range: ${from}..${to}`);
    }
    const length = to - from + 1;
    if (length > this.config.maxBlocksPerRange) {
      throw new InvalidBlockRangeError(
        `blocks ${from}..${to} are ${length} blocks; ${this.config.chain} reads at most ${this.config.maxBlocksPerRange} ` +
          'per range (maxBlocksPerRange)',
      );
    }
  }
}

function transfersOfBlock(
  chain: string,
  block: RpcBlockWithTransactions,
  valueTransactions: readonly RpcTransaction[],
  receipts: ReadonlyMap<string, RpcReceipt>,
  frames: ReadonlyMap<string, RpcCallFrame> | undefined,
): Transfer[] | ChainReadFailure {
  const transfers: Transfer[] = [];
  try {
    for (const tx of valueTransactions) {
      const receipt = receipts.get(tx.hash);
      if (!receipt) throw new Error(`unreachable: no receipt kept for ${tx.hash}`);
      const transfer = nativeTransferOf(chain, block.timestamp, tx, receipt);
      if (transfer) transfers.push(transfer);
    }
  } catch (error) {
    if (error instanceof ReceiptWithoutStatusError) return error;
    throw error;
  }
  if (frames) {
    for (const tx of block.transactions) {
      const root = frames.get(tx.hash);
      if (!root) continue;
      const traced = {
        chain,
        blockNumber: block.number,
        blockTime: block.timestamp,
        txHash: tx.hash,
        txIndex: tx.transactionIndex,
      };
      transfers.push(...internalTransfersOf(traced, root));
    }
  }
  return transfers;
}

/** A log of a block whose hash is not the hash of the block we read: the chain moved under us. */
function blockHashMismatch(
  logs: readonly RpcLog[],
  blocks: readonly RpcBlockWithTransactions[],
): ReadStop | undefined {
  const first = blocks[0];
  if (!first) return undefined;
  for (const log of logs) {
    const block = blocks[log.blockNumber - first.number];
    if (block && block.hash !== log.blockHash) {
      const detail = `a log says its block hash is ${log.blockHash}, the block says ${block.hash}`;
      return { block: log.blockNumber, error: new ChainReorganizedDuringReadError(log.blockNumber, detail) };
    }
  }
  return undefined;
}

/** Token addresses as the log filter needs them: canonical, without repeats; a bad one is named. */
function canonicalTokens(tokens: readonly string[]): Address[] {
  return [...new Set(tokens.map((token) => canonicalAddress(token)))];
}

function unreadableFrom(from: number, to: number, stop: ReadStop): UnreadableRange {
  return { from, to, reason: unreadableReasonOf(stop.error), message: stop.error.message, error: stop.error };
}

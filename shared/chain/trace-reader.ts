import {
  ChainConfigError,
  ChainReorganizedDuringReadError,
  MethodNotSupportedError,
  TraceFailedError,
} from './errors.ts';
import type { CallOutcome, JsonRpcClient, RpcCall } from './json-rpc-client.ts';
import { blockTag, type ReadStop } from './read-stop.ts';
import {
  parserOf,
  type RpcBlockTrace,
  type RpcBlockWithTransactions,
  type RpcCallFrame,
  type RpcTransaction,
  requiredParserOf,
  rpcBlockTraceSchema,
  rpcCallFrameSchema,
} from './rpc-shapes.ts';

/** The transactions of one block to trace. */
export interface TraceNeed {
  readonly block: RpcBlockWithTransactions;
  readonly transactions: readonly RpcTransaction[];
}

const CALL_TRACER = { tracer: 'callTracer' };
const parseBlockTrace = parserOf(rpcBlockTraceSchema);
const parseFrame = requiredParserOf(rpcCallFrameSchema, 'trace');

/**
 * Call trees (geth's callTracer) of the transactions that need them.
 *
 * Calls: in 'block' mode one debug_traceBlockByNumber per block with a transaction to trace (the node
 * re-executes the block either way; one call beats several); in 'transaction' mode one
 * debug_traceTransaction per transaction to trace. A node without block tracing is detected on the first
 * block (method not supported) and the reader switches to 'transaction' for good. A node without
 * debug_traceTransaction either cannot serve this configuration at all: that is a ChainConfigError.
 */
export class TraceReader {
  readonly #client: JsonRpcClient;
  readonly #chain: string;
  #mode: 'block' | 'transaction';
  #blockTracingConfirmed = false;

  constructor(client: JsonRpcClient, chain: string, mode: 'block' | 'transaction') {
    this.#client = client;
    this.#chain = chain;
    this.#mode = mode;
  }

  get mode(): 'block' | 'transaction' {
    return this.#mode;
  }

  async traces(needs: readonly TraceNeed[]): Promise<{ frames: Map<string, RpcCallFrame>; stop?: ReadStop }> {
    const frames = new Map<string, RpcCallFrame>();
    const pending = needs.filter((need) => need.transactions.length > 0);
    if (pending.length === 0) return { frames };

    if (this.#mode === 'block') {
      let outcomes: CallOutcome<RpcBlockTrace>[] = [];
      if (!this.#blockTracingConfirmed) {
        const [probe] = await this.#client.callAll([blockTraceCall(pending[0] as TraceNeed)]);
        if (probe && !probe.ok && probe.error instanceof MethodNotSupportedError) {
          this.#mode = 'transaction';
        } else if (probe) {
          this.#blockTracingConfirmed = probe.ok;
          outcomes = [probe];
        }
      }
      if (this.#mode === 'block') {
        const rest = pending.slice(outcomes.length);
        outcomes.push(...(await this.#client.callAll(rest.map(blockTraceCall))));
        for (const [i, outcome] of outcomes.entries()) {
          const need = pending[i] as TraceNeed;
          if (!outcome.ok) return { frames, stop: { block: need.block.number, error: outcome.error } };
          const problem = collectBlockTrace(need, outcome.value, frames);
          if (problem) return { frames, stop: { block: need.block.number, error: problem } };
        }
        return { frames };
      }
    }

    const calls = pending.flatMap((need) => need.transactions.map(transactionTraceCall));
    const outcomes = await this.#client.callAll(calls);
    let next = 0;
    for (const need of pending) {
      for (const tx of need.transactions) {
        const outcome = outcomes[next++] as CallOutcome<RpcCallFrame>;
        if (!outcome.ok) {
          if (outcome.error instanceof MethodNotSupportedError) {
            throw new ChainConfigError(
              `the RPC of ${this.#chain} has no debug_traceTransaction (${outcome.error.message}): ` +
                "set tracing: 'off' for this chain, or give it an RPC URL with the debug API",
            );
          }
          return { frames, stop: { block: need.block.number, error: outcome.error } };
        }
        frames.set(tx.hash, outcome.value);
      }
    }
    return { frames };
  }
}

/** The block's trace has one entry per transaction, in order; an entry may be a per-transaction failure. */
function collectBlockTrace(
  need: TraceNeed,
  trace: RpcBlockTrace,
  frames: Map<string, RpcCallFrame>,
): ChainReorganizedDuringReadError | TraceFailedError | undefined {
  const { block } = need;
  if (trace.length !== block.transactions.length) {
    return new ChainReorganizedDuringReadError(
      block.number,
      `the trace has ${trace.length} transactions, the block ${block.transactions.length}`,
    );
  }
  const wanted = new Set(need.transactions.map((tx) => tx.hash));
  for (const [index, entry] of trace.entries()) {
    const tx = block.transactions[index] as RpcTransaction;
    if (entry.txHash && entry.txHash !== tx.hash) {
      return new ChainReorganizedDuringReadError(
        block.number,
        `trace entry ${index} is ${entry.txHash}, not ${tx.hash}`,
      );
    }
    if (!wanted.has(tx.hash)) continue;
    if (!entry.result) return new TraceFailedError(tx.hash, entry.error ?? 'no result in the block trace');
    frames.set(tx.hash, entry.result);
  }
  return undefined;
}

function blockTraceCall(need: TraceNeed): RpcCall<RpcBlockTrace> {
  return {
    method: 'debug_traceBlockByNumber',
    params: [blockTag(need.block.number), CALL_TRACER],
    parse: (raw) => {
      if (raw === null)
        throw new Error(`trace of block ${need.block.number} not found on this node (null result)`);
      return parseBlockTrace(raw);
    },
  };
}

function transactionTraceCall(tx: RpcTransaction): RpcCall<RpcCallFrame> {
  return {
    method: 'debug_traceTransaction',
    params: [tx.hash, CALL_TRACER],
    parse: (raw) => {
      const frame = parseFrame(raw);
      if (frame.from !== tx.from)
        throw new Error(`the trace of ${tx.hash} starts from ${frame.from}, not ${tx.from}`);
      return frame;
    },
  };
}

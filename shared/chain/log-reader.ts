import { z } from 'zod';
import type { Address } from '../domain/address.ts';
import { LogQueryTooLargeError, RpcResponseError } from './errors.ts';
import type { JsonRpcClient, RpcCall } from './json-rpc-client.ts';
import { blockTag, type ReadStop } from './read-stop.ts';
import { isLogQueryTooLarge } from './rpc-error-kinds.ts';
import { parserOf, type RpcLog, rpcLogSchema } from './rpc-shapes.ts';

export interface LogFilter {
  /** Emitting contracts; absent: every contract. */
  readonly addresses?: readonly Address[];
  /** topics[0] alternatives; absent: every event. */
  readonly topic0?: readonly string[];
}

const parseLogs = parserOf(z.array(rpcLogSchema));

/**
 * eth_getLogs over a block range, split when the provider refuses the size. Providers cap a query by
 * results (Infura: 10,000 logs), by block span (many: 1,000 to 10,000 blocks) or by response bytes
 * (Alchemy: 150 MB), and say so in different words (see rpc-error-kinds.ts). A refused query is halved
 * and the first half asked again, down to a single block; the span that worked is remembered for the
 * next range so a busy chain does not pay a refused query every time, and doubles again after a range
 * that needed no split (activity varies).
 */
export class LogReader {
  readonly #client: JsonRpcClient;
  readonly #maxSpan: number;
  #span: number;

  constructor(client: JsonRpcClient, maxSpan: number) {
    this.#client = client;
    this.#maxSpan = maxSpan;
    this.#span = maxSpan;
  }

  /** The span the next query starts with (for tests and metrics). */
  get currentSpan(): number {
    return this.#span;
  }

  /** Logs of from..to (sorted by block and log index) as the longest prefix that could be read. */
  async logs(from: number, to: number, filter: LogFilter): Promise<{ logs: RpcLog[]; stop?: ReadStop }> {
    const logs: RpcLog[] = [];
    let start = from;
    let split = false;
    while (start <= to) {
      const end = Math.min(to, start + this.#span - 1);
      const [outcome] = await this.#client.callAll([logsCall(start, end, filter)]);
      if (!outcome) throw new Error('unreachable: no outcome for eth_getLogs');
      if (outcome.ok) {
        logs.push(...outcome.value);
        start = end + 1;
        continue;
      }
      const error = outcome.error;
      if (
        error instanceof RpcResponseError &&
        isLogQueryTooLarge({ code: error.code, message: error.rpcMessage })
      ) {
        if (end > start) {
          this.#span = Math.ceil((end - start + 1) / 2);
          split = true;
          continue;
        }
        return {
          logs: sorted(logs),
          stop: { block: start, error: new LogQueryTooLargeError(start, end, error) },
        };
      }
      return { logs: sorted(logs), stop: { block: start, error } };
    }
    if (!split) this.#span = Math.min(this.#maxSpan, this.#span * 2);
    return { logs: sorted(logs) };
  }
}

function logsCall(from: number, to: number, filter: LogFilter): RpcCall<RpcLog[]> {
  const query: Record<string, unknown> = { fromBlock: blockTag(from), toBlock: blockTag(to) };
  if (filter.addresses) query.address = filter.addresses;
  if (filter.topic0) query.topics = [filter.topic0];
  return {
    method: 'eth_getLogs',
    params: [query],
    parse: (raw) => {
      const logs = parseLogs(raw);
      const wanted = filter.addresses ? new Set(filter.addresses) : undefined;
      const topics = filter.topic0 ? new Set(filter.topic0) : undefined;
      for (const log of logs) {
        // A node that ignores part of the filter, or serves logs a reorg removed, is not trusted.
        if (log.blockNumber < from || log.blockNumber > to)
          throw new Error(`log of block ${log.blockNumber} outside ${from}-${to}`);
        if (log.removed) throw new Error(`log ${log.logIndex} of block ${log.blockNumber} is marked removed`);
        if (wanted && !wanted.has(log.address)) throw new Error(`log of unrequested contract ${log.address}`);
        if (topics && !topics.has(log.topics[0] ?? ''))
          throw new Error(`log with unrequested topic ${log.topics[0]}`);
      }
      return logs;
    },
  };
}

function sorted(logs: RpcLog[]): RpcLog[] {
  return logs.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

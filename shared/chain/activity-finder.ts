import { z } from 'zod';
import { type Address, canonicalAddress } from '../domain/address.ts';
import {
  type ChainReadFailure,
  InvalidBlockRangeError,
  LogQueryTooLargeError,
  MethodNotSupportedError,
  RpcResponseError,
  RpcUnavailableError,
  unreadableReasonOf,
} from './errors.ts';
import type { JsonRpcClient, RpcCall } from './json-rpc-client.ts';
import type { UnreadableRange } from './range-read.ts';
import { blockTag, earliestStop, type ReadStop } from './read-stop.ts';
import { isLogQueryTooLarge } from './rpc-error-kinds.ts';
import { parserOf, rpcLogSchema } from './rpc-shapes.ts';
import { TRANSFER_TOPIC, tokenTransferOf } from './token-transfers.ts';

/** Which blocks of a span a set of wallets was active in. */
export interface ActivityQuery {
  readonly from: number;
  readonly to: number;
  /** The case's seeds and tainted wallets. */
  readonly wallets: Iterable<Address>;
  /** Tokens whose Transfer logs move taint: the allow-list and the case's own tokens (the read scope's). */
  readonly tokens: readonly Address[];
}

/**
 * The answer for a node that indexes value transfers by address (trace_filter): every block of
 * `from..searchedThrough` where a wallet sent or received a followed token or native value (a
 * transaction's own value or an internal call's). Like a range read, it is a prefix: the search stops at
 * the first block it could not search, reported in `unsearchable`, and says nothing past it.
 */
export interface IndexedActivity {
  readonly indexed: true;
  readonly from: number;
  readonly to: number;
  /** Last block searched completely; from - 1 when not even the first could be. */
  readonly searchedThrough: number;
  /** Ascending, without repeats, all within from..searchedThrough. */
  readonly activeBlocks: readonly number[];
  readonly unsearchable: UnreadableRange | undefined;
}

/**
 * The node cannot say where an address moved native value without reading every block: standard
 * JSON-RPC has no index of transactions or internal calls by address, only `trace_filter` (Erigon,
 * Nethermind, Reth, some providers) does. The caller must scan.
 */
export interface UnindexedActivity {
  readonly indexed: false;
  readonly reason: string;
}

export type ActivitySearch = IndexedActivity | UnindexedActivity;

export interface ActivityFinderOptions {
  /**
   * Wallets per address list of one query. Providers cap OR-lists (topics, trace_filter addresses) at a
   * few hundred to a thousand entries, some lower: 100 is below every published limit. Default 100.
   */
  readonly walletsPerQuery?: number;
  /** Largest block span of one query before any split. Default 10,000 (a common provider cap). */
  readonly maxBlocksPerQuery?: number;
}

type QueryKind = 'token-logs' | 'value-traces';

/** One filtered query, walked over the span: a side (sender or recipient) and a chunk of wallets. */
interface QuerySpec {
  readonly kind: QueryKind;
  readonly side: 'sender' | 'recipient';
  readonly wallets: ReadonlySet<Address>;
  readonly tokens: readonly Address[];
}

interface Walk {
  readonly kind: QueryKind;
  readonly blocks: Set<number>;
  readonly split: boolean;
  readonly stop?: ReadStop;
}

const DEFAULT_WALLETS_PER_QUERY = 100;
const DEFAULT_MAX_BLOCKS_PER_QUERY = 10_000;

/**
 * Finds where a case's wallets were active, by index instead of by reading blocks: the targeted half of
 * a backfill. A stolen fund's history is mostly quiet (days between hops), and reading every block of
 * it costs one eth_getBlockByNumber per block; asking the node's indexes costs a few calls per 10,000
 * blocks.
 *
 * Calls per span, with w wallets (c = ceil(w / walletsPerQuery) chunks), more only where the node makes
 * us split the span:
 *   2c  trace_filter   {fromAddress: chunk} and {toAddress: chunk}: native and internal value
 *   2c  eth_getLogs    Transfer logs of the tokens with the chunk as sender (topic 1) or recipient (topic 2)
 * Whether the node has trace_filter is asked once (method not found: it has not) and remembered; without
 * it the answer is `indexed: false` and no log query is made (the span must be read block by block anyway).
 *
 * Exact for what the reader reads: a block is active when it holds a token Transfer log of a followed
 * token with a non-zero amount (zero-amount and ERC-721 logs move nothing: address poisoning fills
 * histories with them), or a CALL, CREATE or SELFDESTRUCT frame moving value from or to a wallet
 * (DELEGATECALL and CALLCODE frames report a value they do not move, as the reader knows).
 * Reverted frames are kept (the node marks them in different ways; reading a block too many is
 * harmless, missing one is not). Block rewards are not transfers and are ignored.
 */
export class ActivityFinder {
  readonly #client: JsonRpcClient;
  readonly #walletsPerQuery: number;
  readonly #maxSpan: number;
  readonly #spans = new Map<QueryKind, number>();
  #valueIndex: 'unknown' | 'trace_filter' | 'none' = 'unknown';
  #noIndexReason = '';

  constructor(client: JsonRpcClient, options: ActivityFinderOptions = {}) {
    this.#client = client;
    this.#walletsPerQuery = positive(options.walletsPerQuery ?? DEFAULT_WALLETS_PER_QUERY, 'walletsPerQuery');
    this.#maxSpan = positive(options.maxBlocksPerQuery ?? DEFAULT_MAX_BLOCKS_PER_QUERY, 'maxBlocksPerQuery');
  }

  /** How native value is found: not yet asked, by trace_filter, or not at all (scan). */
  get valueIndex(): 'unknown' | 'trace_filter' | 'none' {
    return this.#valueIndex;
  }

  /** The span the next query of a kind starts with (learned from refusals; for tests and metrics). */
  currentSpan(kind: QueryKind): number {
    return this.#spans.get(kind) ?? this.#maxSpan;
  }

  async find(query: ActivityQuery): Promise<ActivitySearch> {
    const { from, to } = query;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
      throw new InvalidBlockRangeError(`not a block range: ${from}..${to}`);
    }
    const wallets = [...new Set([...query.wallets].map((wallet) => canonicalAddress(wallet)))];
    const tokens = [...new Set(query.tokens.map((token) => canonicalAddress(token)))];
    if (this.#valueIndex === 'none') return { indexed: false, reason: this.#noIndexReason };
    if (wallets.length === 0) {
      return { indexed: true, from, to, searchedThrough: to, activeBlocks: [], unsearchable: undefined };
    }

    const specs: QuerySpec[] = [];
    for (const chunk of chunks(wallets, this.#walletsPerQuery)) {
      const members = new Set(chunk);
      specs.push({ kind: 'value-traces', side: 'sender', wallets: members, tokens });
      specs.push({ kind: 'value-traces', side: 'recipient', wallets: members, tokens });
      if (tokens.length > 0) {
        specs.push({ kind: 'token-logs', side: 'sender', wallets: members, tokens });
        specs.push({ kind: 'token-logs', side: 'recipient', wallets: members, tokens });
      }
    }

    const walks: Walk[] = [];
    let rest = specs;
    if (this.#valueIndex === 'unknown') {
      // Ask whether the node has trace_filter with the first real query, before spending the others.
      const [probeSpec, ...others] = specs as [QuerySpec, ...QuerySpec[]];
      const probe = await this.#walk(probeSpec, from, to);
      walks.push(probe);
      rest = others;
      // Nothing searched: the others would only repeat the failure (or the missing method).
      if (!probe.stop || probe.stop.block > from) this.#valueIndex = 'trace_filter';
      else rest = [];
    }
    walks.push(...(await Promise.all(rest.map((spec) => this.#walk(spec, from, to)))));

    // The span grows back only after a search in which no query of its kind had to be split.
    for (const kind of new Set(specs.map((spec) => spec.kind))) {
      if (walks.some((walk) => walk.kind === kind && walk.split)) continue;
      this.#spans.set(kind, Math.min(this.#maxSpan, this.currentSpan(kind) * 2));
    }

    let stop: ReadStop | undefined;
    for (const walk of walks) stop = earliestStop(stop, walk.stop);
    if (stop?.error instanceof MethodNotSupportedError && stop.error.method === 'trace_filter') {
      // Believed at once, even from a second URL: scanning is slower, never wrong.
      this.#valueIndex = 'none';
      this.#noIndexReason = `the node has no trace_filter (${stop.error.rpcMessage}): native and internal value cannot be found by address`;
      return { indexed: false, reason: this.#noIndexReason };
    }
    const searchedThrough = stop ? stop.block - 1 : to;
    const active = new Set<number>();
    for (const walk of walks) {
      for (const block of walk.blocks) if (block <= searchedThrough) active.add(block);
    }
    return {
      indexed: true,
      from,
      to,
      searchedThrough,
      activeBlocks: [...active].sort((a, b) => a - b),
      unsearchable: stop ? unsearchableFrom(stop, to) : undefined,
    };
  }

  /**
   * One query over from..to, as spans the node accepts: a span refused as too large is halved and asked
   * again, down to one block; the span that worked is remembered per kind of query (find() doubles it
   * again after a search that needed no split, as the log reader does for the range reads).
   */
  async #walk(spec: QuerySpec, from: number, to: number): Promise<Walk> {
    const blocks = new Set<number>();
    let start = from;
    let split = false;
    while (start <= to) {
      const span = this.currentSpan(spec.kind);
      const end = Math.min(to, start + span - 1);
      const call =
        spec.kind === 'token-logs' ? tokenLogsCall(spec, start, end) : valueTracesCall(spec, start, end);
      const [outcome] = await this.#client.callAll<number[]>([call]);
      if (!outcome) throw new Error(`unreachable: no outcome for ${call.method}`);
      if (outcome.ok) {
        for (const block of outcome.value) blocks.add(block);
        start = end + 1;
        continue;
      }
      if (isQueryTooLarge(outcome.error)) {
        if (end > start) {
          // Never above what a concurrent walk of the same kind has learned meanwhile.
          this.#spans.set(spec.kind, Math.min(this.currentSpan(spec.kind), Math.ceil((end - start + 1) / 2)));
          split = true;
          continue;
        }
        return {
          kind: spec.kind,
          blocks,
          split,
          stop: { block: start, error: new LogQueryTooLargeError(start, end, outcome.error) },
        };
      }
      return { kind: spec.kind, blocks, split, stop: { block: start, error: outcome.error } };
    }
    return { kind: spec.kind, blocks, split };
  }
}

const parseLogs = parserOf(z.array(rpcLogSchema));

/** The blocks of the span where a wallet of the chunk sent (topic 1) or received (topic 2) a followed token. */
function tokenLogsCall(spec: QuerySpec, from: number, to: number): RpcCall<number[]> {
  const padded = [...spec.wallets].map(addressTopic);
  const topics = spec.side === 'sender' ? [TRANSFER_TOPIC, padded] : [TRANSFER_TOPIC, null, padded];
  const tokens = new Set(spec.tokens);
  const named = new Set(padded);
  const position = spec.side === 'sender' ? 1 : 2;
  return {
    method: 'eth_getLogs',
    params: [{ fromBlock: blockTag(from), toBlock: blockTag(to), address: spec.tokens, topics }],
    parse: (raw) => {
      const blocks: number[] = [];
      for (const log of parseLogs(raw)) {
        // A node that ignores part of the filter is not trusted with the rest of the answer either.
        if (log.blockNumber < from || log.blockNumber > to)
          throw new Error(`log of block ${log.blockNumber} outside ${from}-${to}`);
        if (log.removed) throw new Error(`log ${log.logIndex} of block ${log.blockNumber} is marked removed`);
        if (!tokens.has(log.address)) throw new Error(`log of unrequested contract ${log.address}`);
        if (log.topics[0] !== TRANSFER_TOPIC) throw new Error(`log with unrequested topic ${log.topics[0]}`);
        if (!named.has(log.topics[position] ?? ''))
          throw new Error(`log whose topic ${position} names none of the requested wallets`);
        // The reader decodes the same way: what it would not turn into a transfer (ERC-721, malformed)
        // or a zero amount (poisoning) changes nothing for the case.
        const transfer = tokenTransferOf('', 0, log);
        if (transfer && transfer.amount > 0n) blocks.push(log.blockNumber);
      }
      return blocks;
    },
  };
}

const hexQuantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/, 'expected a hex quantity')
  .transform((text) => (text === '0x' ? 0n : BigInt(text)));
const traceAddress = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte address')
  .transform((text) => text.toLowerCase());
// Parity-style traces (OpenEthereum, Erigon, Nethermind, Reth): only the fields used here are checked.
const traceSchema = z.object({
  // A JSON number everywhere we know of; accept a hex quantity too rather than guess wrong.
  blockNumber: z.union([z.number().int().nonnegative(), hexQuantity.transform(Number)]),
  type: z.string().min(1),
  action: z.object({
    callType: z.string().nullish(),
    from: traceAddress.nullish(),
    to: traceAddress.nullish(),
    value: hexQuantity.nullish(),
    // selfdestruct ('suicide'): the destroyed contract, the beneficiary and what it received.
    address: traceAddress.nullish(),
    refundAddress: traceAddress.nullish(),
    balance: hexQuantity.nullish(),
  }),
  result: z.object({ address: traceAddress.nullish() }).nullish(),
});
const parseTraces = parserOf(z.array(traceSchema));
type ParityTrace = z.output<typeof traceSchema>;

/** The blocks of the span where a wallet of the chunk sent or received native value, at any depth. */
function valueTracesCall(spec: QuerySpec, from: number, to: number): RpcCall<number[]> {
  const wallets = [...spec.wallets];
  const filter: Record<string, unknown> = { fromBlock: blockTag(from), toBlock: blockTag(to) };
  filter[spec.side === 'sender' ? 'fromAddress' : 'toAddress'] = wallets;
  return {
    method: 'trace_filter',
    params: [filter],
    parse: (raw) => {
      const blocks: number[] = [];
      for (const trace of parseTraces(raw)) {
        if (trace.blockNumber < from || trace.blockNumber > to)
          throw new Error(`trace of block ${trace.blockNumber} outside ${from}-${to}`);
        // Block and uncle rewards (OpenEthereum, Erigon before the merge) are not transfers the reader reads.
        if (trace.type === 'reward') continue;
        const moved = valueMoved(trace);
        if (moved === undefined) {
          // A kind of trace we do not know: count its block rather than risk missing a transfer.
          blocks.push(trace.blockNumber);
          continue;
        }
        const party = spec.side === 'sender' ? senderOf(trace) : recipientOf(trace);
        if (party === undefined || !spec.wallets.has(party))
          throw new Error(
            `a ${trace.type} trace of block ${trace.blockNumber} names none of the requested wallets`,
          );
        if (moved > 0n) blocks.push(trace.blockNumber);
      }
      return blocks;
    },
  };
}

/** Value a call, create or selfdestruct frame moves; undefined for a type of trace not known here. */
function valueMoved(trace: ParityTrace): bigint | undefined {
  switch (trace.type) {
    case 'call': {
      // DELEGATECALL and CALLCODE report the caller's value but move none; STATICCALL cannot.
      const callType = trace.action.callType?.toLowerCase() ?? 'call';
      return callType === 'call' ? (trace.action.value ?? 0n) : 0n;
    }
    case 'create':
      return trace.action.value ?? 0n;
    case 'suicide':
      return trace.action.balance ?? 0n;
    default:
      return undefined;
  }
}

/** The party trace_filter's fromAddress matches: the caller or creator, or the contract destroyed. */
function senderOf(trace: ParityTrace): Address | undefined {
  if (trace.type === 'suicide') return trace.action.address ?? undefined;
  return trace.action.from ?? undefined;
}

/** The party toAddress matches: the callee, the contract created, or a selfdestruct's beneficiary. */
function recipientOf(trace: ParityTrace): Address | undefined {
  if (trace.type === 'suicide') return trace.action.refundAddress ?? undefined;
  if (trace.type === 'create') return trace.result?.address ?? trace.action.to ?? undefined;
  return trace.action.to ?? undefined;
}

/** A refusal that asks for a smaller span: for eth_getLogs and trace_filter alike, possibly after retries. */
function isQueryTooLarge(error: ChainReadFailure): boolean {
  const response =
    error instanceof RpcResponseError
      ? error
      : error instanceof RpcUnavailableError && error.cause instanceof RpcResponseError
        ? error.cause
        : undefined;
  return response !== undefined && isLogQueryTooLarge({ code: response.code, message: response.rpcMessage });
}

function addressTopic(address: Address): string {
  return `0x${address.slice(2).padStart(64, '0')}`;
}

function unsearchableFrom(stop: ReadStop, to: number): UnreadableRange {
  const { error } = stop;
  return { from: stop.block, to, reason: unreadableReasonOf(error), message: error.message, error };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

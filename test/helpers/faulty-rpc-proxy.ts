import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, LOOPBACK, listenOnLoopback } from '../../infra/local/servers/listen.ts';

/** One JSON-RPC call as the proxy saw it. */
export interface ProxiedCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

/**
 * What a fault does.
 * Whole HTTP request: `http-status` (e.g. 429 with Retry-After, 500, 503), `garbage` (200 with a body
 * that is not JSON), `drop` (the connection is destroyed without an answer), `hang` (no answer ever:
 * the client must time out).
 * One call of the request: `missing-result` (an answer with neither result nor error), `wrong-shape`
 * (a result of the wrong type), `rpc-error` (a JSON-RPC error object), `rewrite-result` (the node's
 * real answer, changed by a function: e.g. a log that claims another block hash).
 */
export type FaultAction =
  | { readonly kind: 'http-status'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'garbage' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'missing-result' }
  | { readonly kind: 'wrong-shape' }
  | { readonly kind: 'rpc-error'; readonly code: number; readonly message: string }
  | { readonly kind: 'rewrite-result'; readonly rewrite: (result: unknown) => unknown };

export interface FaultRule {
  /** Only calls of this method; absent: any method. */
  readonly method?: string;
  /** Finer selection, e.g. one block number. */
  readonly when?: (call: ProxiedCall) => boolean;
  readonly action: FaultAction;
  /** How many times the rule fires before it retires; absent: until cleared. */
  readonly times?: number;
}

export interface FaultyRpcProxyOptions {
  /**
   * Answer eth_getBlockReceipts and debug_traceBlockByNumber (callTracer) from per-transaction calls to
   * the node, which has neither, so that the block-level code paths can be tested over real HTTP. The
   * answers have geth's shapes (block traces as [{ txHash, result }]).
   */
  readonly emulateBlockReceipts?: boolean;
  readonly emulateBlockTracing?: boolean;
  /**
   * Answer trace_filter (Erigon, Nethermind, Reth; Hardhat lacks it) from the node's blocks and
   * debug_traceTransaction (callTracer), in the parity trace format, so that the targeted backfill can be
   * tested over real HTTP. See `emulatedTraceFilter` for the filter semantics.
   */
  readonly emulateTraceFilter?: boolean;
}

export interface FaultyRpcProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /**
   * eth_getLogs spanning more than `blocks` blocks is refused the way Infura does it (code -32005,
   * "query returned more than 10000 results"); undefined lifts the limit.
   */
  setLogRangeLimit(blocks: number | undefined): void;
  /** Every call received, faulted or not, in order of arrival. */
  readonly calls: readonly ProxiedCall[];
  /** Calls received, of one method or all. */
  callCount(method?: string): number;
  /** HTTP requests received. */
  readonly httpRequests: number;
  resetCounts(): void;
  close(): Promise<void>;
}

interface JsonRpcRequest {
  readonly jsonrpc: string;
  readonly id: unknown;
  readonly method: string;
  readonly params?: unknown[];
}

const HTTP_LEVEL = new Set(['http-status', 'garbage', 'drop', 'hang']);

/**
 * A real JSON-RPC HTTP server on 127.0.0.1 (free port) in front of a node, that forwards calls and
 * injects faults on demand: the chain reader meets them over its real protocol, as it would meet a
 * flaky provider.
 */
export async function startFaultyRpcProxy(
  targetUrl: string,
  options: FaultyRpcProxyOptions = {},
): Promise<FaultyRpcProxy> {
  const rules: { rule: FaultRule; remaining: number }[] = [];
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Socket>();
  let logRangeLimit: number | undefined;
  let httpRequests = 0;

  const takeFault = (call: ProxiedCall, httpLevel: boolean): FaultAction | undefined => {
    for (const entry of rules) {
      if (entry.remaining <= 0 || HTTP_LEVEL.has(entry.rule.action.kind) !== httpLevel) continue;
      if (entry.rule.method && entry.rule.method !== call.method) continue;
      if (entry.rule.when && !entry.rule.when(call)) continue;
      entry.remaining -= 1;
      return entry.rule.action;
    }
    return undefined;
  };

  const forward = async (requests: readonly JsonRpcRequest[]): Promise<Map<unknown, unknown>> => {
    const answers = new Map<unknown, unknown>();
    if (requests.length === 0) return answers;
    const response = await fetch(targetUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requests),
    });
    for (const answer of (await response.json()) as { id: unknown }[]) answers.set(answer.id, answer);
    return answers;
  };

  const nodeCall = async (method: string, params: unknown[]): Promise<unknown> => {
    const [answer] = [...(await forward([{ jsonrpc: '2.0', id: 1, method, params }])).values()] as {
      result?: unknown;
      error?: unknown;
    }[];
    if (!answer || answer.error) throw new Error(`node refused ${method}: ${JSON.stringify(answer?.error)}`);
    return answer.result;
  };

  const emulated = async (request: JsonRpcRequest): Promise<unknown> => {
    const params = request.params ?? [];
    try {
      const block = (await nodeCall('eth_getBlockByNumber', [params[0], false])) as {
        transactions: string[];
      } | null;
      if (!block) return { jsonrpc: '2.0', id: request.id, result: null };
      if (request.method === 'eth_getBlockReceipts') {
        const receipts = [];
        for (const hash of block.transactions)
          receipts.push(await nodeCall('eth_getTransactionReceipt', [hash]));
        return { jsonrpc: '2.0', id: request.id, result: receipts };
      }
      const traces = [];
      for (const hash of block.transactions) {
        traces.push({ txHash: hash, result: await nodeCall('debug_traceTransaction', [hash, params[1]]) });
      }
      return { jsonrpc: '2.0', id: request.id, result: traces };
    } catch (error) {
      return { jsonrpc: '2.0', id: request.id, error: { code: -32603, message: String(error) } };
    }
  };

  const traceFilter = async (request: JsonRpcRequest): Promise<unknown> => {
    try {
      const filter = (request.params?.[0] ?? {}) as TraceFilter;
      const result = await emulatedTraceFilter(filter, forward);
      return { jsonrpc: '2.0', id: request.id, result };
    } catch (error) {
      return { jsonrpc: '2.0', id: request.id, error: { code: -32603, message: String(error) } };
    }
  };

  const answerOne = async (request: JsonRpcRequest, fault: FaultAction): Promise<unknown> => {
    switch (fault.kind) {
      case 'rewrite-result': {
        const answer = (await forward([request])).get(request.id) as { result?: unknown };
        return { ...answer, result: fault.rewrite(answer.result) };
      }
      case 'missing-result':
        return { jsonrpc: '2.0', id: request.id };
      case 'wrong-shape':
        return { jsonrpc: '2.0', id: request.id, result: 42 };
      case 'rpc-error':
        return { jsonrpc: '2.0', id: request.id, error: { code: fault.code, message: fault.message } };
      default:
        throw new Error(`not a per-call fault: ${fault.kind}`);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    httpRequests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonRpcRequest | JsonRpcRequest[];
    const batch = Array.isArray(body);
    const requests = batch ? body : [body];
    const seen = requests.map((r) => ({ method: r.method, params: r.params ?? [] }));
    calls.push(...seen);

    for (const call of seen) {
      const fault = takeFault(call, true);
      if (!fault) continue;
      switch (fault.kind) {
        case 'http-status': {
          const headers: Record<string, string> = { 'content-type': 'text/plain' };
          if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
          response.writeHead(fault.status, headers);
          response.end(`injected HTTP ${fault.status}`);
          return;
        }
        case 'garbage':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"jsonrpc":"2.0","id":1,"result":{"trunc');
          return;
        case 'drop':
          request.socket.destroy();
          return;
        case 'hang':
          return;
        default:
          break;
      }
    }

    const answers: unknown[] = new Array(requests.length);
    const toForward: JsonRpcRequest[] = [];
    const emulations: Promise<void>[] = [];
    requests.forEach((call, i) => {
      const fault = takeFault(seen[i] as ProxiedCall, false);
      if (fault) {
        emulations.push(
          answerOne(call, fault).then((answer) => {
            answers[i] = answer;
          }),
        );
      } else if (
        call.method === 'eth_getLogs' &&
        logRangeLimit !== undefined &&
        spanOf(call) > logRangeLimit
      ) {
        answers[i] = {
          jsonrpc: '2.0',
          id: call.id,
          error: { code: -32005, message: 'query returned more than 10000 results' },
        };
      } else if (call.method === 'trace_filter' && options.emulateTraceFilter) {
        emulations.push(
          traceFilter(call).then((answer) => {
            answers[i] = answer;
          }),
        );
      } else if (
        (call.method === 'eth_getBlockReceipts' && options.emulateBlockReceipts) ||
        (call.method === 'debug_traceBlockByNumber' && options.emulateBlockTracing)
      ) {
        emulations.push(
          emulated(call).then((answer) => {
            answers[i] = answer;
          }),
        );
      } else {
        toForward.push(call);
      }
    });
    const forwarded = await forward(toForward);
    await Promise.all(emulations);
    requests.forEach((call, i) => {
      if (answers[i] === undefined) answers[i] = forwarded.get(call.id);
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(batch ? answers : answers[0]));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`proxy failure: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server, 0);

  return {
    url: `http://${LOOPBACK}:${port}`,
    addFault: (rule) => {
      rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults: () => {
      rules.length = 0;
    },
    setLogRangeLimit: (blocks) => {
      logRangeLimit = blocks;
    },
    calls,
    callCount: (method) => (method ? calls.filter((call) => call.method === method).length : calls.length),
    get httpRequests() {
      return httpRequests;
    },
    resetCounts: () => {
      calls.length = 0;
      httpRequests = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

function spanOf(call: JsonRpcRequest): number {
  const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
  const from = Number(filter.fromBlock ?? 0);
  const to = Number(filter.toBlock ?? from);
  return to - from + 1;
}

interface TraceFilter {
  readonly fromBlock?: string;
  readonly toBlock?: string;
  readonly fromAddress?: readonly string[];
  readonly toAddress?: readonly string[];
  readonly after?: number;
  readonly count?: number;
}

interface CallTracerFrame {
  readonly type: string;
  readonly from: string;
  readonly to?: string;
  readonly value?: string;
  readonly gas?: string;
  readonly gasUsed?: string;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly calls?: readonly CallTracerFrame[];
}

interface ParityTrace {
  readonly type: 'call' | 'create' | 'suicide';
  readonly action: Record<string, string>;
  readonly result: Record<string, string> | null;
  readonly error?: string;
  readonly subtraces: number;
  readonly traceAddress: number[];
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly transactionHash: string;
  readonly transactionPosition: number;
}

/**
 * trace_filter as OpenEthereum defined it and Erigon, Nethermind and Reth serve it: every call, create
 * and selfdestruct frame of the blocks fromBlock..toBlock (reverted ones included, marked with `error`),
 * where fromAddress (if given) contains the caller, creator or destroyed contract, and toAddress (if
 * given) the callee, created contract or beneficiary; both given: both must match. Then `after` and
 * `count` page the list. Built from per-transaction callTracer traces of the node.
 */
async function emulatedTraceFilter(
  filter: TraceFilter,
  forward: (requests: readonly JsonRpcRequest[]) => Promise<Map<unknown, unknown>>,
): Promise<ParityTrace[]> {
  const from = Number(filter.fromBlock ?? '0x0');
  const to = Number(filter.toBlock ?? filter.fromBlock ?? '0x0');
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
    throw new Error(`bad block range ${filter.fromBlock}..${filter.toBlock}`);
  }
  const results = async (requests: JsonRpcRequest[]): Promise<unknown[]> => {
    const answers = await forward(requests);
    return requests.map((request) => {
      const answer = answers.get(request.id) as { result?: unknown; error?: unknown } | undefined;
      if (!answer || answer.error)
        throw new Error(`node refused ${request.method}: ${JSON.stringify(answer?.error)}`);
      return answer.result;
    });
  };
  const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const blocks = (await results(
    numbers.map((n) => ({
      jsonrpc: '2.0',
      id: n,
      method: 'eth_getBlockByNumber',
      params: [`0x${n.toString(16)}`, false],
    })),
  )) as ({ hash: string; transactions: string[] } | null)[];
  const transactions = blocks.flatMap((block, i) =>
    (block?.transactions ?? []).map((hash, position) => ({
      hash,
      position,
      blockNumber: numbers[i] as number,
      blockHash: block?.hash as string,
    })),
  );
  const frames = (await results(
    transactions.map((tx, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'debug_traceTransaction',
      params: [tx.hash, { tracer: 'callTracer' }],
    })),
  )) as CallTracerFrame[];
  const senders = filter.fromAddress ? new Set(filter.fromAddress.map((a) => a.toLowerCase())) : undefined;
  const recipients = filter.toAddress ? new Set(filter.toAddress.map((a) => a.toLowerCase())) : undefined;
  const traces: ParityTrace[] = [];
  transactions.forEach((tx, i) => {
    const flat: ParityTrace[] = [];
    flattenFrame(frames[i] as CallTracerFrame, [], tx, flat);
    for (const trace of flat) {
      const sender = trace.type === 'suicide' ? trace.action.address : trace.action.from;
      const recipient =
        trace.type === 'suicide'
          ? trace.action.refundAddress
          : trace.type === 'create'
            ? trace.result?.address
            : trace.action.to;
      if (senders && !senders.has(sender ?? '')) continue;
      if (recipients && !recipients.has(recipient ?? '')) continue;
      traces.push(trace);
    }
  });
  const after = filter.after ?? 0;
  return traces.slice(after, filter.count === undefined ? undefined : after + filter.count);
}

function flattenFrame(
  frame: CallTracerFrame,
  traceAddress: number[],
  tx: { hash: string; position: number; blockNumber: number; blockHash: string },
  out: ParityTrace[],
): void {
  const kind = frame.type.toUpperCase();
  const value = frame.value ?? '0x0';
  const place = {
    subtraces: frame.calls?.length ?? 0,
    traceAddress,
    blockNumber: tx.blockNumber,
    blockHash: tx.blockHash,
    transactionHash: tx.hash,
    transactionPosition: tx.position,
    ...(frame.error ? { error: frame.error } : {}),
  };
  const lower = (address: string | undefined) => (address ?? '').toLowerCase();
  if (kind === 'SELFDESTRUCT') {
    out.push({
      type: 'suicide',
      action: { address: lower(frame.from), refundAddress: lower(frame.to), balance: value },
      result: null,
      ...place,
    });
  } else if (kind === 'CREATE' || kind === 'CREATE2') {
    out.push({
      type: 'create',
      action: { from: lower(frame.from), value, gas: frame.gas ?? '0x0', init: frame.input ?? '0x' },
      result: frame.error
        ? null
        : { address: lower(frame.to), code: frame.output ?? '0x', gasUsed: frame.gasUsed ?? '0x0' },
      ...place,
    });
  } else {
    out.push({
      type: 'call',
      action: {
        callType: kind.toLowerCase(),
        from: lower(frame.from),
        to: lower(frame.to),
        value,
        gas: frame.gas ?? '0x0',
        input: frame.input ?? '0x',
      },
      result: frame.error ? null : { gasUsed: frame.gasUsed ?? '0x0', output: frame.output ?? '0x' },
      ...place,
    });
  }
  (frame.calls ?? []).forEach((child, index) => {
    flattenFrame(child, [...traceAddress, index], tx, out);
  });
}

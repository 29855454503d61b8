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

import { fullJitterDelay } from './backoff.ts';
import {
  ChainIdMismatchError,
  type ChainReadFailure,
  MethodNotSupportedError,
  RpcMalformedResponseError,
  RpcResponseError,
  RpcTransportError,
  RpcUnavailableError,
} from './errors.ts';
import { pickEndpoint, RpcEndpoint } from './rpc-endpoint.ts';
import { isMethodNotSupported, isTransientRpcError } from './rpc-error-kinds.ts';

/**
 * A small JSON-RPC 2.0 client over fetch, written for the chain reader instead of ethers' JsonRpcProvider:
 *  - batches are explicit: the reader hands over "these 100 calls" and they go out in HTTP requests of
 *    `maxBatchSize`, where ethers batches whatever happens to be queued within a 10 ms stall window;
 *  - retries are per call inside a batch: one rate-limited or garbled item is retried alone, possibly on
 *    another URL, while ethers fails or retries the whole request and retries 429 on its own schedule
 *    inside FetchRequest (up to 12 attempts on one URL), which would hide failures from our budget;
 *  - every result is checked by the caller's parser, so a wrong shape counts as a failed attempt and is
 *    retried elsewhere instead of surfacing as a TypeError deep inside the reader;
 *  - JSON-RPC error codes and messages reach the classifier verbatim (ethers rewrites them), which the
 *    log-query splitting and the method-not-supported fallbacks depend on;
 *  - every endpoint's eth_chainId is checked before its first use, not only the first URL's.
 * The reader needs nothing else of ethers (one event topic is all the ABI it decodes); the tests use ethers to
 * encode contract calls.
 */

/** One call and how to read its result; `parse` throws (any error) when the result has the wrong shape. */
export interface RpcCall<T> {
  readonly method: string;
  readonly params: readonly unknown[];
  readonly parse: (result: unknown) => T;
}

export type CallOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ChainReadFailure };

/** Counters for benchmarks and tests: provider bills are per call, batching saves round trips only. */
export interface RpcCallStats {
  httpRequests: number;
  calls: number;
  readonly callsByMethod: Map<string, number>;
  /** Calls sent again after a failed attempt. */
  retries: number;
}

export interface JsonRpcClientOptions {
  readonly urls: readonly string[];
  readonly chainId: number;
  readonly maxBatchSize: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly endpointCooldownMs: number;
  /** Concurrent HTTP requests of one callAll. Default 4. */
  readonly maxConcurrentRequests?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

type ItemOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'final'; readonly error: ChainReadFailure }
  | { readonly kind: 'retry'; readonly error: ChainReadFailure };

interface RpcReply {
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: unknown;
}

export class JsonRpcClient {
  readonly stats: RpcCallStats = { httpRequests: 0, calls: 0, callsByMethod: new Map(), retries: 0 };
  readonly #endpoints: readonly RpcEndpoint[];
  readonly #options: JsonRpcClientOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  #nextId = 1;

  constructor(options: JsonRpcClientOptions) {
    if (options.urls.length === 0) throw new Error('JsonRpcClient needs at least one URL');
    this.#options = options;
    this.#endpoints = options.urls.map((url) => new RpcEndpoint(url));
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** Endpoint labels (redacted) in configured order, with whether each is currently put aside. */
  endpointHealth(): { label: string; healthy: boolean }[] {
    const now = this.#now();
    return this.#endpoints.map((endpoint) => ({ label: endpoint.label, healthy: endpoint.isHealthy(now) }));
  }

  /**
   * Checks eth_chainId on every endpoint now rather than before its first use. Throws ChainIdMismatchError
   * for a URL of another chain; RpcUnavailableError when no endpoint answered (those that did not answer
   * are checked again before their first use).
   */
  async checkChainIds(): Promise<void> {
    let answered = 0;
    let lastFailure: unknown;
    for (const endpoint of this.#endpoints) {
      try {
        await this.#ensureChainId(endpoint);
        answered += 1;
      } catch (error) {
        if (error instanceof ChainIdMismatchError) throw error;
        lastFailure = error;
      }
    }
    if (answered === 0) throw new RpcUnavailableError('eth_chainId', this.#endpoints.length, lastFailure);
  }

  async call<T>(call: RpcCall<T>): Promise<T> {
    const [outcome] = await this.callAll([call]);
    if (!outcome) throw new Error('unreachable: callAll returned no outcome');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Sends the calls in batches and settles each one: its parsed value, or the failure that remains after
   * retries. Throws only ChainIdMismatchError (a configuration error no retry can fix).
   */
  async callAll<T>(calls: readonly RpcCall<T>[]): Promise<CallOutcome<T>[]> {
    const outcomes: (CallOutcome<T> | undefined)[] = new Array(calls.length).fill(undefined);
    const lastFailure: (ChainReadFailure | undefined)[] = new Array(calls.length).fill(undefined);
    let pending = calls.map((_, index) => index);
    let retry = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) this.stats.retries += pending.length;
      const endpoint = pickEndpoint(this.#endpoints, this.#now());
      let endpointFailed = false;
      let retryAfterMs = 0;
      try {
        await this.#ensureChainId(endpoint);
        const items = pending.map((index) => ({ index, call: calls[index] as RpcCall<T> }));
        const chunks = chunk(items, this.#options.maxBatchSize);
        const answers = await mapLimited(chunks, this.#options.maxConcurrentRequests ?? 4, (part) =>
          this.#send(
            endpoint,
            part.map((item) => item.call),
          ),
        );
        const stillPending: number[] = [];
        chunks.forEach((part, c) => {
          const answer = answers[c] ?? [];
          part.forEach((item, i) => {
            const outcome = answer[i];
            if (!outcome) throw new Error('unreachable: an item without an outcome');
            if (outcome.kind === 'ok') outcomes[item.index] = { ok: true, value: outcome.value };
            else if (outcome.kind === 'final') outcomes[item.index] = { ok: false, error: outcome.error };
            else {
              endpointFailed = true;
              lastFailure[item.index] = outcome.error;
              retryAfterMs = Math.max(retryAfterMs, retryAfterOf(outcome.error));
              stillPending.push(item.index);
            }
          });
        });
        pending = stillPending;
      } catch (error) {
        if (error instanceof ChainIdMismatchError) throw error;
        endpointFailed = true;
        const failure = asFailure(endpoint, error);
        retryAfterMs = retryAfterOf(failure);
        for (const index of pending) lastFailure[index] = failure;
      }
      if (endpointFailed) endpoint.putAside(this.#now(), this.#options.endpointCooldownMs);
      else endpoint.recordSuccess();
      if (pending.length === 0) break;
      if (attempt >= this.#options.maxAttempts) {
        for (const index of pending) {
          const method = (calls[index] as RpcCall<T>).method;
          outcomes[index] = {
            ok: false,
            error: new RpcUnavailableError(method, attempt, lastFailure[index]),
          };
        }
        break;
      }
      // Fail over at once while another URL is healthy; wait only when every URL is resting.
      const next = pickEndpoint(this.#endpoints, this.#now());
      if (!next.isHealthy(this.#now())) {
        const { backoffBaseMs, backoffMaxMs } = this.#options;
        await this.#sleep(fullJitterDelay(retry, backoffBaseMs, backoffMaxMs, this.#random, retryAfterMs));
        retry += 1;
      }
    }
    return outcomes.map((outcome, index) => {
      if (outcome) return outcome;
      const method = (calls[index] as RpcCall<T>).method;
      return { ok: false, error: new RpcUnavailableError(method, 0, 'not sent') };
    });
  }

  /** The configured chain id must match every endpoint before it is trusted with a read. */
  #ensureChainId(endpoint: RpcEndpoint): Promise<void> {
    if (!endpoint.chainIdCheck) {
      const check = this.#send(endpoint, [{ method: 'eth_chainId', params: [], parse: parseChainId }]).then(
        ([outcome]) => {
          if (outcome?.kind !== 'ok') throw outcome?.error ?? new Error('no answer to eth_chainId');
          if (outcome.value !== this.#options.chainId) {
            throw new ChainIdMismatchError(endpoint.label, this.#options.chainId, outcome.value);
          }
        },
      );
      endpoint.chainIdCheck = check;
      // A transient failure must not stick: check again next time. A mismatch sticks (it is configuration).
      check.catch((error: unknown) => {
        if (!(error instanceof ChainIdMismatchError)) endpoint.chainIdCheck = undefined;
      });
    }
    return endpoint.chainIdCheck;
  }

  /** One HTTP request; never throws for failures of the endpoint: every call gets an outcome. */
  async #send<T>(endpoint: RpcEndpoint, calls: readonly RpcCall<T>[]): Promise<ItemOutcome<T>[]> {
    const ids = calls.map(() => this.#nextId++);
    const requests = calls.map((call, i) => ({
      jsonrpc: '2.0',
      id: ids[i],
      method: call.method,
      params: call.params,
    }));
    const batch = requests.length > 1;
    this.stats.httpRequests += 1;
    this.stats.calls += calls.length;
    for (const call of calls) {
      this.stats.callsByMethod.set(call.method, (this.stats.callsByMethod.get(call.method) ?? 0) + 1);
    }
    const everyone = (error: ChainReadFailure): ItemOutcome<T>[] =>
      calls.map(() => ({ kind: 'retry', error }));
    const methods = describeMethods(calls);

    let text: string;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(batch ? requests : requests[0]),
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.#now());
        return everyone(
          new RpcTransportError(
            endpoint.label,
            `HTTP ${response.status} for ${methods}`,
            response.status,
            retryAfter,
          ),
        );
      }
      text = await response.text();
    } catch (error) {
      return everyone(transportFailure(endpoint, methods, error, this.#options.requestTimeoutMs));
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return everyone(
        new RpcMalformedResponseError(endpoint.label, methods, `invalid JSON: ${snippet(text)}`),
      );
    }

    const replies = new Map<unknown, RpcReply>();
    if (Array.isArray(body)) {
      for (const reply of body) if (isObject(reply)) replies.set(reply.id, reply);
    } else if (isObject(body)) {
      if (batch && !('id' in body && ids.includes(body.id as number))) {
        // A batch answered by one object: the provider refused the batch as a whole (rate limit, size).
        const problem = isObject(body.error) ? JSON.stringify(body.error) : snippet(text);
        return everyone(new RpcMalformedResponseError(endpoint.label, methods, `batch refused: ${problem}`));
      }
      replies.set(body.id, body);
    } else {
      return everyone(
        new RpcMalformedResponseError(endpoint.label, methods, `not a JSON-RPC answer: ${snippet(text)}`),
      );
    }

    return calls.map((call, i) => readReply(endpoint, call, replies.get(ids[i])));
  }
}

function readReply<T>(endpoint: RpcEndpoint, call: RpcCall<T>, reply: RpcReply | undefined): ItemOutcome<T> {
  const malformed = (problem: string): ItemOutcome<T> => ({
    kind: 'retry',
    error: new RpcMalformedResponseError(endpoint.label, call.method, problem),
  });
  if (!reply) return malformed('no answer with the request id');
  if (reply.error !== undefined && reply.error !== null) {
    const rpcError = reply.error;
    if (!isObject(rpcError) || typeof rpcError.code !== 'number' || typeof rpcError.message !== 'string') {
      return malformed(`error member is not a JSON-RPC error: ${snippet(JSON.stringify(rpcError))}`);
    }
    const details = { code: rpcError.code, message: rpcError.message };
    if (isMethodNotSupported(details)) {
      return {
        kind: 'final',
        error: new MethodNotSupportedError(endpoint.label, call.method, details.code, details.message),
      };
    }
    const error = new RpcResponseError(endpoint.label, call.method, details.code, details.message);
    return { kind: isTransientRpcError(call.method, details) ? 'retry' : 'final', error };
  }
  if (!('result' in reply)) return malformed('neither result nor error');
  try {
    return { kind: 'ok', value: call.parse(reply.result) };
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error));
  }
}

function transportFailure(
  endpoint: RpcEndpoint,
  methods: string,
  error: unknown,
  timeoutMs: number,
): RpcTransportError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new RpcTransportError(
      endpoint.label,
      `no answer to ${methods} within ${timeoutMs} ms`,
      undefined,
      undefined,
      error,
    );
  }
  // undici reports "fetch failed" and keeps the socket error (ECONNREFUSED, ECONNRESET...) as the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : cause?.message;
  const what = error instanceof Error ? error.message : String(error);
  return new RpcTransportError(
    endpoint.label,
    `${methods}: ${what}${code ? ` (${code})` : ''}`,
    undefined,
    undefined,
    error,
  );
}

function asFailure(endpoint: RpcEndpoint, error: unknown): ChainReadFailure {
  if (error instanceof RpcTransportError || error instanceof RpcMalformedResponseError) return error;
  if (error instanceof RpcResponseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RpcTransportError(endpoint.label, message, undefined, undefined, error);
}

function retryAfterOf(error: ChainReadFailure): number {
  return error instanceof RpcTransportError ? (error.retryAfterMs ?? 0) : 0;
}

/** Retry-After is either seconds or an HTTP date. */
function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseChainId(result: unknown): number {
  if (typeof result !== 'string' || !/^0x[0-9a-fA-F]+$/.test(result)) {
    throw new Error(`chain id is not a hex quantity: ${snippet(JSON.stringify(result))}`);
  }
  return Number.parseInt(result, 16);
}

function describeMethods(calls: readonly RpcCall<unknown>[]): string {
  const names = [...new Set(calls.map((call) => call.method))];
  return calls.length === 1 ? (names[0] ?? '') : `a batch of ${calls.length} calls (${names.join(', ')})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snippet(text: string | undefined): string {
  const shown = text ?? 'undefined';
  return shown.length > 120 ? `${shown.slice(0, 120)}...` : shown;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

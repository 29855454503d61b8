import type { UnreadableReason } from './range-read.ts';
/**
 * Failures of the chain reader, by what the caller can do about them.
 *
 * Fatal (thrown by every entry point; retrying cannot help, a person must act):
 *   ChainConfigError, ChainIdMismatchError, InvalidBlockRangeError.
 * Read failures (a block or range could not be read this time; `readRange` reports them as the place
 * where it stopped, `headBlock` and `blockHeaders` throw them):
 *   RpcUnavailableError, RpcResponseError (and MethodNotSupportedError), RpcMalformedResponseError,
 *   LogQueryTooLargeError, ChainReorganizedDuringReadError, ReceiptWithoutStatusError, TraceFailedError.
 *
 * Messages name the endpoint by its origin only: RPC URLs often carry an API key in their path.
 */
export class ChainReaderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The chain's reader configuration is unusable (which field, what is wrong). */
export class ChainConfigError extends ChainReaderError {}

/** An endpoint serves another chain than the configured one: failing over to it would mix chains. */
export class ChainIdMismatchError extends ChainReaderError {
  readonly endpoint: string;
  readonly expected: number;
  readonly actual: number;

  constructor(endpoint: string, expected: number, actual: number) {
    super(
      `RPC endpoint ${endpoint} serves chain id ${actual}, but this chain is configured with chain id ${expected}: ` +
        'fix the rpcUrls or the chainId of the chain configuration',
    );
    this.endpoint = endpoint;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The caller asked for a block range the reader does not accept (reversed, negative, too long). */
export class InvalidBlockRangeError extends ChainReaderError {}

/** Base of the failures that leave a block unread this time and may pass on a later attempt. */
export class ChainReadFailure extends ChainReaderError {}

/**
 * No endpoint gave a usable answer within the retry budget: timeouts, refused or dropped connections,
 * HTTP 429 and 5xx, malformed answers, rate-limit errors. `cause` is the last failure seen.
 */
export class RpcUnavailableError extends ChainReadFailure {
  readonly method: string;
  readonly attempts: number;

  constructor(method: string, attempts: number, cause: unknown) {
    super(`${method} failed after ${attempts} attempt(s): ${describe(cause)}`, { cause });
    this.method = method;
    this.attempts = attempts;
  }
}

/** The node answered with a JSON-RPC error that retrying will not change (bad params, pruned state...). */
export class RpcResponseError extends ChainReadFailure {
  readonly endpoint: string;
  readonly method: string;
  readonly code: number;
  readonly rpcMessage: string;

  constructor(endpoint: string, method: string, code: number, rpcMessage: string) {
    super(`${endpoint} answered ${method} with JSON-RPC error ${code}: ${truncate(rpcMessage, 300)}`);
    this.endpoint = endpoint;
    this.method = method;
    this.code = code;
    this.rpcMessage = rpcMessage;
  }
}

/** The node does not implement the method (e.g. debug_traceBlockByNumber, eth_getBlockReceipts). */
export class MethodNotSupportedError extends RpcResponseError {}

/**
 * An answer that is not what the method returns: invalid JSON, no result, wrong shape, a block for
 * another number. Retried like an outage (another endpoint may answer properly); the cause of an
 * RpcUnavailableError when it persists.
 */
export class RpcMalformedResponseError extends ChainReadFailure {
  readonly endpoint: string;
  readonly method: string;

  constructor(endpoint: string, method: string, problem: string) {
    super(`${endpoint} answered ${method} with a malformed response: ${truncate(problem, 300)}`);
    this.endpoint = endpoint;
    this.method = method;
  }
}

/** An HTTP-level failure of one endpoint (a cause inside RpcUnavailableError). */
export class RpcTransportError extends ChainReadFailure {
  readonly endpoint: string;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Milliseconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(endpoint: string, problem: string, status?: number, retryAfterMs?: number, cause?: unknown) {
    super(`${endpoint}: ${problem}`, { cause });
    this.endpoint = endpoint;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Even a single block's logs exceed the provider's response limit: the block cannot be read with this RPC. */
export class LogQueryTooLargeError extends ChainReadFailure {
  readonly fromBlock: number;
  readonly toBlock: number;

  constructor(fromBlock: number, toBlock: number, cause: unknown) {
    super(
      `eth_getLogs for block ${fromBlock}${toBlock === fromBlock ? '' : `-${toBlock}`} exceeds the provider's ` +
        `size limit even after splitting: ${describe(cause)}`,
      { cause },
    );
    this.fromBlock = fromBlock;
    this.toBlock = toBlock;
  }
}

/** Answers for the same block disagree on its hash: the chain reorganized while we read it. */
export class ChainReorganizedDuringReadError extends ChainReadFailure {
  readonly blockNumber: number;

  constructor(blockNumber: number, detail: string) {
    super(`block ${blockNumber} changed while it was being read (${detail}); read it again`);
    this.blockNumber = blockNumber;
  }
}

/** Pre-Byzantium receipts carry no status: whether the transaction failed cannot be told from them. */
export class ReceiptWithoutStatusError extends ChainReadFailure {
  readonly txHash: string;

  constructor(txHash: string) {
    super(
      `receipt of ${txHash} has no status field (pre-Byzantium block?): cannot tell if the transaction failed`,
    );
    this.txHash = txHash;
  }
}

/** The node could not trace a transaction of the block (pruned state, tracer timeout...). */
export class TraceFailedError extends ChainReadFailure {
  readonly txHash: string;

  constructor(txHash: string, problem: string) {
    super(`tracing ${txHash} failed: ${truncate(problem, 300)}`);
    this.txHash = txHash;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** How a read that stopped is reported: the failure's kind, in the words of `UnreadableRange`. */
export function unreadableReasonOf(error: ChainReadFailure): UnreadableReason {
  if (error instanceof RpcUnavailableError) return 'rpc-unavailable';
  if (error instanceof LogQueryTooLargeError) return 'log-query-too-large';
  if (error instanceof ChainReorganizedDuringReadError) return 'reorg-during-read';
  if (error instanceof ReceiptWithoutStatusError) return 'receipt-without-status';
  if (error instanceof TraceFailedError) return 'trace-failed';
  if (error instanceof RpcMalformedResponseError) return 'malformed-response';
  return 'rpc-error';
}

/**
 * What a JSON-RPC error object means, from its code and message. Providers disagree on codes, so the
 * message decides where codes are ambiguous (Infura uses -32005 both for "query returned more than 10000
 * results" and for rate limits).
 */
export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
}

// Throttling: Alchemy "exceeded its compute units per second capacity", Infura "project ID request rate
// exceeded", QuickNode "429 Too Many Requests", public nodes "rate limit".
const RATE_LIMITED =
  /rate.?limit|too many requests|requests? per second|compute units|capacity|throttl|request rate/i;

// Transient node trouble: load-balanced nodes that lag ("header not found", "unknown block"), timeouts.
const TRANSIENT =
  /timed? ?out|temporarily|try again|overloaded|busy|header not found|unknown block|service unavailable/i;

// eth_getLogs size limits: Infura "query returned more than 10000 results", Alchemy "Log response size
// exceeded", QuickNode/others "block range too large", "eth_getLogs is limited to a 10,000 range",
// "limit exceeded", "exceed maximum block range", Ankr/others "query exceeds max results".
const LOG_QUERY_TOO_LARGE =
  /more than \d[\d,]* (results|logs)|returned more than|block range|range (is )?too (large|wide|big)|response size|size exceeded|limit(ed)? exceeded|is limited to|exceeds? (the )?max|too many (results|logs|blocks)|max(imum)? (results|logs)|query timeout/i;

// geth/erigon "the method debug_x does not exist/is not available", Alchemy "Unsupported method: x",
// Nethermind "The method 'x' is not supported.". The word "method" is required: "state is not available"
// (a pruned node) is not a missing method.
const METHOD_NOT_SUPPORTED =
  /\bmethod\b.*\b(not (found|supported|available|allowed|enabled|implemented)|does not exist|is not available)|unsupported method/i;

export function isRateLimited(error: RpcErrorObject): boolean {
  return error.code === 429 || RATE_LIMITED.test(error.message);
}

/** Worth retrying, possibly on another endpoint. A log query that is too large is not: it must be split. */
export function isTransientRpcError(method: string, error: RpcErrorObject): boolean {
  if (isRateLimited(error)) return true;
  if (method === 'eth_getLogs' && isLogQueryTooLarge(error)) return false;
  return TRANSIENT.test(error.message);
}

/** The query asked for too much at once: split it. Only meaningful for eth_getLogs. */
export function isLogQueryTooLarge(error: RpcErrorObject): boolean {
  if (RATE_LIMITED.test(error.message)) return false;
  return error.code === -32005 || LOG_QUERY_TOO_LARGE.test(error.message);
}

/** -32601 is the standard "method not found"; Hardhat says -32004 "Method ... is not supported". */
export function isMethodNotSupported(error: RpcErrorObject): boolean {
  return error.code === -32601 || error.code === -32004 || METHOD_NOT_SUPPORTED.test(error.message);
}

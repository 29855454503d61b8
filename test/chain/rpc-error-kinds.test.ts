import { describe, expect, it } from 'vitest';
import {
  isLogQueryTooLarge,
  isMethodNotSupported,
  isTransientRpcError,
} from '../../shared/chain/rpc-error-kinds.ts';

// Messages as providers and clients word them (public documentation and issue reports).
describe('reading JSON-RPC errors', () => {
  it.each([
    [-32005, 'query returned more than 10000 results'],
    [-32602, 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range'],
    [-32000, 'block range too large'],
    [-32000, 'exceed maximum block range: 5000'],
    [-32600, 'eth_getLogs is limited to a 10,000 range'],
    [-32000, 'limit exceeded'],
    [-32602, 'query exceeds max results 20000, retry with the range 1-100'],
  ])('%d "%s" means: split the log query', (code, message) => {
    expect(isLogQueryTooLarge({ code, message })).toBe(true);
    expect(isTransientRpcError('eth_getLogs', { code, message })).toBe(false);
  });

  it.each([
    [429, 'Too Many Requests'],
    [-32005, 'daily request count exceeded, request rate limited'],
    [-32000, 'Your app has exceeded its compute units per second capacity'],
    [-32000, 'header not found'],
    [-32603, 'request timed out'],
  ])('%d "%s" is worth retrying', (code, message) => {
    expect(isTransientRpcError('eth_getLogs', { code, message })).toBe(true);
    expect(isLogQueryTooLarge({ code, message })).toBe(false);
  });

  it.each([
    [-32601, 'the method debug_traceBlockByNumber does not exist/is not available'],
    [-32004, 'Method eth_getBlockReceipts is not supported'],
    [-32600, 'Unsupported method: debug_traceBlockByNumber on ETH_MAINNET'],
    [-32000, "The method 'eth_getBlockReceipts' is not supported."],
  ])('%d "%s" means the method is missing', (code, message) => {
    expect(isMethodNotSupported({ code, message })).toBe(true);
  });

  it.each([
    [-32000, 'missing trie node 1f2e (path ) state is not available'],
    [-32000, 'execution reverted'],
    [3, 'execution reverted: refused'],
  ])('%d "%s" is a final answer, not a missing method', (code, message) => {
    expect(isMethodNotSupported({ code, message })).toBe(false);
    expect(isTransientRpcError('debug_traceTransaction', { code, message })).toBe(false);
  });
});

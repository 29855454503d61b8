import type { Eip1193Provider } from '../servers/ethereum-node.ts';
import { DemoRpcError } from './errors.ts';

/** Where the demo sends its transactions: a JSON-RPC URL, or the in-process node's EIP-1193 provider. */
export type DemoNode = string | Eip1193Provider;

/** The few JSON-RPC calls the scenario makes, in one place, with failures as DemoRpcError. */
export interface DemoRpc {
  call<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>;
}

/**
 * A JSON-RPC client over either transport. Deliberately without retries or batching: the node is
 * local, the scenario is a strict sequence, and a failure should stop it at once with the node's words.
 */
export function demoRpc(node: DemoNode): DemoRpc {
  if (typeof node !== 'string') {
    return {
      async call<T>(method: string, params: readonly unknown[] = []): Promise<T> {
        try {
          return (await node.request({ method, params: [...params] })) as T;
        } catch (error) {
          const failure = error as { message?: unknown; code?: unknown };
          throw new DemoRpcError(
            method,
            typeof failure.message === 'string' ? failure.message : String(error),
            typeof failure.code === 'number' ? failure.code : null,
          );
        }
      },
    };
  }

  let url: URL;
  try {
    url = new URL(node);
  } catch {
    throw new DemoRpcError('(connect)', `not a URL: ${JSON.stringify(node)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DemoRpcError('(connect)', `not an http(s) URL: ${url.protocol}`);
  }
  let nextId = 1;
  return {
    async call<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      let body: { result?: unknown; error?: { code?: number; message?: string } };
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        body = (await response.json()) as typeof body;
      } catch (error) {
        throw new DemoRpcError(method, `no answer from ${url.origin}: ${(error as Error).message}`);
      }
      if (body.error) {
        throw new DemoRpcError(method, body.error.message ?? 'unknown error', body.error.code ?? null);
      }
      return body.result as T;
    },
  };
}

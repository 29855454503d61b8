import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import { closeServer, LOOPBACK, listenOnLoopback } from './listen.ts';

/** The EIP-1193 provider of the in-process node, for scenario scripts that need no HTTP. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface EthereumNode {
  /** JSON-RPC over HTTP, e.g. http://127.0.0.1:8545 */
  readonly url: string;
  readonly port: number;
  readonly chainId: number;
  readonly provider: Eip1193Provider;
  close(): Promise<void>;
}

export interface EthereumNodeOptions {
  /** 0 picks a free port. */
  readonly port?: number;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

interface JsonRpcRequest {
  readonly jsonrpc?: string;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

/**
 * Hardhat's EDR node in this process (chain id 31337), served as JSON-RPC over HTTP on loopback,
 * with batch requests, so that the chain reader talks to it exactly as to a remote node.
 */
export async function startEthereumNode(options: EthereumNodeOptions = {}): Promise<EthereumNode> {
  const hre = await createHardhatRuntimeEnvironment({});
  const connection = await hre.network.create();
  const provider = connection.provider as Eip1193Provider;

  const answer = async (call: JsonRpcRequest) => {
    const id = call.id ?? null;
    if (typeof call.method !== 'string') {
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'invalid request: method missing' } };
    }
    try {
      const params = Array.isArray(call.params) ? call.params : [];
      const result = await provider.request({ method: call.method, params });
      return { jsonrpc: '2.0', id, result: result ?? null };
    } catch (error) {
      const failure = error as { code?: unknown; message?: string; data?: unknown };
      const code = typeof failure.code === 'number' ? failure.code : -32603;
      return {
        jsonrpc: '2.0',
        id,
        error: { code, message: failure.message ?? String(error), data: failure.data },
      };
    }
  };

  const server = createServer((request, response) => {
    void serveJsonRpc(request, response, answer);
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  const chainId = Number.parseInt((await provider.request({ method: 'eth_chainId' })) as string, 16);
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    chainId,
    provider,
    close: async () => {
      await closeServer(server);
      await connection.close();
    },
  };
}

async function serveJsonRpc(
  request: IncomingMessage,
  response: ServerResponse,
  answer: (call: JsonRpcRequest) => Promise<unknown>,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method !== 'POST') {
    reply(405, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'JSON-RPC takes POST' } });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      reply(413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'request too large' } });
      return;
    }
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    reply(200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
    return;
  }
  if (Array.isArray(parsed)) {
    // Sequential on purpose: the node executes one request at a time anyway, and order is preserved.
    const results = [];
    for (const call of parsed) results.push(await answer(call as JsonRpcRequest));
    reply(200, results);
    return;
  }
  reply(200, await answer(parsed as JsonRpcRequest));
}

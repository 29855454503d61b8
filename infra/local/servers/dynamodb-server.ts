import dynalite from 'dynalite';
import { closeServer, LOOPBACK, listenOnLoopback } from './listen.ts';

export interface EmbeddedServer {
  /** Base URL clients are configured with, e.g. http://127.0.0.1:8000 */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface DynamoDbServerOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Persist tables to this directory (LevelDB); in memory when absent. */
  readonly dataDir?: string;
}

/** A DynamoDB-compatible server (dynalite) in this process. No Streams, no transactions, no TTL expiry. */
export async function startDynamoDbServer(options: DynamoDbServerOptions = {}): Promise<EmbeddedServer> {
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  return { endpoint: `http://${LOOPBACK}:${port}`, port, close: () => closeServer(server) };
}

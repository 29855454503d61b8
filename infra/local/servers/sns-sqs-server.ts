import { buildApp } from 'fauxqs';
import type { EmbeddedServer } from './dynamodb-server.ts';
import { LOOPBACK } from './listen.ts';

export interface SnsSqsServerOptions {
  /** 0 picks a free port. */
  readonly port?: number;
}

/**
 * An SNS/SQS-compatible server (fauxqs) in this process. `startFauxqs` would always bind 0.0.0.0, so the
 * app is built and bound to loopback here; the price is no on-disk persistence of topics and queues,
 * which the local stack recreates at every start (the outbox in DynamoDB is the durable part).
 */
export async function startSnsSqsServer(options: SnsSqsServerOptions = {}): Promise<EmbeddedServer> {
  const app = buildApp({ logger: false });
  const address = await app.listen({ port: options.port ?? 0, host: LOOPBACK });
  const port = Number(new URL(address).port);
  return { endpoint: `http://${LOOPBACK}:${port}`, port, close: () => app.close() };
}

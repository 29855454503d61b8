import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmbeddedServer, startDynamoDbServer } from '../../infra/local/servers/index.ts';
import { DynamoDbStore, type DynamoDbStoreOptions } from '../../shared/store/dynamodb-store.ts';
import { CountingStoreMetrics } from '../../shared/store/metrics.ts';
import { createTable } from '../../shared/store/table.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoDbClient(endpoint: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    retryMode: 'standard',
    maxAttempts,
  });
}

export interface LocalStore {
  readonly server: EmbeddedServer;
  readonly client: DynamoDBClient;
  readonly metrics: CountingStoreMetrics;
  /** A store on a fresh table of the embedded server. */
  newStore(options?: Partial<DynamoDbStoreOptions>): Promise<DynamoDbStore>;
  close(): Promise<void>;
}

let tables = 0;

/** dynalite on 127.0.0.1, a free port; each `newStore` gets its own table so tests do not interfere. */
export async function startLocalStore(): Promise<LocalStore> {
  const server = await startDynamoDbServer();
  const client = localDynamoDbClient(server.endpoint);
  const metrics = new CountingStoreMetrics();
  return {
    server,
    client,
    metrics,
    async newStore(options = {}) {
      const tableName = `laundering-alerts-test-${++tables}`;
      await createTable(client, tableName);
      return new DynamoDbStore({ client, tableName, metrics, ...options });
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

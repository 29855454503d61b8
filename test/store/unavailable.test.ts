import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbServer } from '../../infra/local/servers/index.ts';
import { DynamoDbStore } from '../../shared/store/dynamodb-store.ts';
import { StoreUnavailableError } from '../../shared/store/errors.ts';
import { localDynamoDbClient } from './local-table.ts';

describe('an unreachable or missing table', () => {
  let closedEndpoint: string;
  let live: Awaited<ReturnType<typeof startDynamoDbServer>>;

  beforeAll(async () => {
    // A port that was free a moment ago and now has no listener.
    const gone = await startDynamoDbServer();
    closedEndpoint = gone.endpoint;
    await gone.close();
    live = await startDynamoDbServer();
  });
  afterAll(() => live?.close());

  it('turns a refused connection into StoreUnavailableError', async () => {
    const store = new DynamoDbStore({ client: localDynamoDbClient(closedEndpoint, 1), tableName: 'any' });
    const error = await store.getCheckpoint('ethereum').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/getCheckpoint: DynamoDB unavailable/);
  });

  it('names the table that does not exist', async () => {
    const store = new DynamoDbStore({
      client: localDynamoDbClient(live.endpoint),
      tableName: 'no-such-table',
    });
    await expect(store.getCase('c-1')).rejects.toThrow(/table no-such-table \(or its index\) does not exist/);
    await expect(store.getCase('c-1')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

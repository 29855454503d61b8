import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, TABLE_KEYS } from '../../shared/store/table.ts';
import { type LocalStore, startLocalStore } from './local-table.ts';

describe('createTable', () => {
  let local: LocalStore;

  beforeAll(async () => {
    local = await startLocalStore();
  });
  afterAll(() => local?.close());

  it('creates the table of the contract, and leaves an existing one alone', async () => {
    await createTable(local.client, 'contract');
    await createTable(local.client, 'contract');
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'contract' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    const [index] = Table?.GlobalSecondaryIndexes ?? [];
    expect(index?.IndexName).toBe(TABLE_KEYS.index.name);
    expect(index?.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.index.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.index.sortKey, KeyType: 'RANGE' },
    ]);
    expect(index?.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

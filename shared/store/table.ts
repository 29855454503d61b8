/**
 * The table contract shared with the CDK stack: partition key `pk`, sort key `sk`, one GSI `gsi1`
 * (`gsi1pk`, `gsi1sk`, projection ALL), TTL attribute `ttl`. The stream feeding the publish Lambda is
 * filtered to items whose `pk` begins with `ALERT#` and whose `outbox` is `pending`.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  index: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'ttl',
  /** Stream filter of the publish Lambda. */
  outbox: { pkPrefix: 'ALERT#', attribute: 'outbox', pending: 'pending' },
} as const;

export const INDEX_NAME = TABLE_KEYS.index.name;

/**
 * Creates the table (on-demand) for local runs and tests; a table that already exists is left as it
 * is. In AWS the CDK stack owns the table; TTL and streams are configured there (the local server
 * has neither).
 */
export async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: INDEX_NAME,
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  if (described.Table?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: name });
  }
}

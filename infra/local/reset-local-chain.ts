import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHECKPOINT_SK, checkpointPk, labelsIndexPk } from '../../shared/store/keys.ts';
import type { Store } from '../../shared/store/repository.ts';
import { INDEX_NAME } from '../../shared/store/table.ts';

/**
 * The embedded node starts a new chain at every start, while the data directory keeps the store. What
 * the store knew of the previous `local` chain (its checkpoint, learned deposit addresses, the cases
 * following it) describes blocks that no longer exist: the checkpoint and learned labels are removed,
 * and open cases with seeds on `local` are closed (they stay readable, with an audit entry).
 */
export async function resetLocalChain(
  client: DynamoDBClient,
  tableName: string,
  store: Store,
  chain: string,
): Promise<{ closedCases: string[] }> {
  const documents = DynamoDBDocumentClient.from(client);
  await documents.send(
    new DeleteCommand({ TableName: tableName, Key: { pk: checkpointPk(chain), sk: CHECKPOINT_SK } }),
  );
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX_NAME,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': labelsIndexPk(chain) },
        ExclusiveStartKey: cursor,
      }),
    );
    for (const item of page.Items ?? []) {
      await documents.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor);

  const closedCases: string[] = [];
  for (const open of await store.loadOpenCases()) {
    if (open.seeds.some((seed) => seed.chain === chain)) {
      await store.updateCase(
        open.record.id,
        { status: 'closed' },
        { by: 'local-stack (the embedded chain was restarted)', at: new Date().toISOString() },
      );
      closedCases.push(open.record.id);
    }
  }
  return { closedCases };
}

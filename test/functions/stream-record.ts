import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/**
 * The record DynamoDB Streams would hand the publish function for an item just written (the embedded
 * server has no streams): its keys and new image as the table holds them, in the stream's attribute
 * value format, and a sequence number. Read from the table, not built from the alert, so the record
 * is what the function would really receive.
 */
export async function streamRecordOfItem(
  client: DynamoDBClient,
  tableName: string,
  key: { readonly pk: string; readonly sk: string },
  sequenceNumber: string,
  eventName: 'INSERT' | 'MODIFY' = 'INSERT',
): Promise<DynamoDBRecord> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new Error(`no item ${key.pk} / ${key.sk} in ${tableName}`);
  const image = Item as unknown as Record<string, AttributeValue>;
  return {
    eventID: `${sequenceNumber}-${key.pk}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/2026-01-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { pk: image.pk as AttributeValue, sk: image.sk as AttributeValue },
      NewImage: image,
      SequenceNumber: sequenceNumber,
      SizeBytes: JSON.stringify(Item).length,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

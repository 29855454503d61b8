import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * AWS clients. In AWS they take region and credentials from the Lambda environment; against the
 * embedded servers an endpoint is given and any static credentials do (the servers ignore them).
 */
const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export function createDynamoDbClient(endpoint?: string): DynamoDBClient {
  return endpoint ? new DynamoDBClient({ ...LOCAL, endpoint }) : new DynamoDBClient({});
}

export function createSnsClient(endpoint?: string): SNSClient {
  return endpoint ? new SNSClient({ ...LOCAL, endpoint }) : new SNSClient({});
}

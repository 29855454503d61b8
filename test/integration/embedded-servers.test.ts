import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedServer,
  type EthereumNode,
  startDynamoDbServer,
  startEthereumNode,
  startSnsSqsServer,
} from '../../infra/local/servers/index.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('embedded servers on loopback', () => {
  let dynamo: EmbeddedServer;
  let snsSqs: EmbeddedServer;
  let node: EthereumNode;

  beforeAll(async () => {
    [dynamo, snsSqs, node] = await Promise.all([
      startDynamoDbServer(),
      startSnsSqsServer(),
      startEthereumNode(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([dynamo?.close(), snsSqs?.close(), node?.close()]);
  });

  it('binds every server to 127.0.0.1', () => {
    for (const url of [dynamo.endpoint, snsSqs.endpoint, node.url]) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
    }
  });

  it('serves the DynamoDB API', async () => {
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
    await client.send(
      new CreateTableCommand({
        TableName: 'probe',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    const tables = await client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain('probe');
  });

  it('delivers an SNS message to a subscribed SQS queue', async () => {
    const sns = new SNSClient({ endpoint: snsSqs.endpoint, region: 'us-east-1', credentials });
    const sqs = new SQSClient({ endpoint: snsSqs.endpoint, region: 'us-east-1', credentials });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'probe-topic' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'probe-queue' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn as string }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(received.Messages?.[0]?.Body).toContain('hello');
  });

  it('answers JSON-RPC, including batches, as chain 31337', async () => {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const [network, block] = await Promise.all([provider.getNetwork(), provider.getBlockNumber()]);
    expect(network.chainId).toBe(31337n);
    expect(block).toBe(0);
    const response = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'no_suchMethod', params: [] },
      ]),
    });
    const answers = (await response.json()) as { id: number; result?: string; error?: unknown }[];
    expect(answers[0]).toMatchObject({ id: 1, result: '0x7a69' });
    expect(answers[1]?.error).toBeDefined();
    provider.destroy();
  });
});

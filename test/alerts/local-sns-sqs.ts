import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../store/local-table.ts';

export function localClients(endpoint: string, maxAttempts = 3): { sns: SNSClient; sqs: SQSClient } {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    retryMode: 'standard',
    maxAttempts,
  };
  return { sns: new SNSClient(config), sqs: new SQSClient(config) };
}

export async function createTopic(sns: SNSClient, name: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (!TopicArn) throw new Error('no topic ARN');
  return TopicArn;
}

/** A queue subscribed to the topic; answers its URL. */
export async function subscribedQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  name: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error('no queue URL');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: attributes,
    }),
  );
  return QueueUrl;
}

/** Every message on the queue until `quietSeconds` pass without a new one. */
export async function drain(sqs: SQSClient, queueUrl: string, quietSeconds = 1): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: quietSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!Messages || Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

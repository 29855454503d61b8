import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export interface LocalMessaging {
  readonly topicArn: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

/**
 * The alert topic and a queue subscribed to it, as a subscriber of a real deployment would set up.
 * Both calls are idempotent, so a restart finds the same topic and queue.
 */
export async function createAlertTopicAndQueue(
  endpoint: string,
  names: { readonly topic: string; readonly queue: string },
): Promise<LocalMessaging> {
  const sns = new SNSClient({ ...LOCAL, endpoint });
  const sqs = new SQSClient({ ...LOCAL, endpoint });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: names.topic }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: names.queue }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn as string;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn }));
  return { topicArn: TopicArn as string, queueUrl: QueueUrl as string, queueArn, sns, sqs };
}

/**
 * What an agency's own consumer does with the alert topic, written from the outside: create an SQS
 * queue, subscribe it to the topic ARN the stack printed, receive. It decodes the messages itself
 * (not with the project's parser), so a mistake in the parser cannot hide a mistake in the messages.
 */
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** One message as it came off the queue, with the alert and the attributes decoded. */
export interface ReceivedAlert {
  /** The alert JSON object (fields as the alert schema names them). */
  readonly alert: Record<string, unknown> & { id: string; caseId: string; txHash: string };
  readonly attributes: Readonly<Record<string, string>>;
  readonly receivedAt: number;
}

export interface SubscriptionOptions {
  /** SNS RawMessageDelivery: the body is the message, attributes are SQS message attributes. */
  readonly raw?: boolean;
  /** An SNS filter policy on message attributes, e.g. { severity: ['critical'] }. */
  readonly filterPolicy?: Record<string, unknown>;
}

export class ExternalSubscriber {
  readonly received: ReceivedAlert[] = [];
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;
  readonly #raw: boolean;

  private constructor(sqs: SQSClient, queueUrl: string, raw: boolean) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
    this.#raw = raw;
  }

  static async subscribe(
    endpoint: string,
    topicArn: string,
    queueName: string,
    options: SubscriptionOptions = {},
  ): Promise<ExternalSubscriber> {
    const sns = new SNSClient({ ...LOCAL, endpoint });
    const sqs = new SQSClient({ ...LOCAL, endpoint });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    if (!QueueUrl) throw new Error(`no URL for queue ${queueName}`);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const attributes: Record<string, string> = {};
    if (options.raw) attributes.RawMessageDelivery = 'true';
    if (options.filterPolicy) attributes.FilterPolicy = JSON.stringify(options.filterPolicy);
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: attributes,
      }),
    );
    sns.destroy();
    return new ExternalSubscriber(sqs, QueueUrl, options.raw ?? false);
  }

  /** One receive (long poll up to `waitSeconds`); the messages are decoded, kept and deleted. */
  async receiveOnce(waitSeconds = 1): Promise<ReceivedAlert[]> {
    const { Messages } = await this.#sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    const now = Date.now();
    const batch = (Messages ?? []).map((message) => ({ ...this.#decode(message), receivedAt: now }));
    this.received.push(...batch);
    if (Messages && Messages.length > 0) {
      await this.#sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
    return batch;
  }

  /** Receives until `done` holds, or fails after `timeoutMs` naming what it has. */
  async receiveUntil(
    done: (received: readonly ReceivedAlert[]) => boolean,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.received)) {
      if (Date.now() > deadline) {
        throw new Error(
          `gave up after ${timeoutMs} ms with ${this.received.length} message(s): ${this.received
            .map((entry) => `${entry.alert.kind} ${entry.alert.txHash}`)
            .join(', ')}`,
        );
      }
      await this.receiveOnce(1);
    }
  }

  /** Receives until the queue stays empty for `quietSeconds`. */
  async drain(quietSeconds = 1): Promise<void> {
    while ((await this.receiveOnce(quietSeconds)).length > 0) {}
  }

  close(): void {
    this.#sqs.destroy();
  }

  #decode(message: Message): Omit<ReceivedAlert, 'receivedAt'> {
    const body = JSON.parse(message.Body ?? '') as Record<string, unknown>;
    let payload: unknown;
    const attributes: Record<string, string> = {};
    if (this.#raw) {
      payload = body;
      for (const [name, value] of Object.entries(message.MessageAttributes ?? {}))
        if (value.StringValue !== undefined) attributes[name] = value.StringValue;
    } else {
      if (body.Type !== 'Notification' || typeof body.Message !== 'string')
        throw new Error(`not an SNS notification: ${message.Body?.slice(0, 200)}`);
      payload = JSON.parse(body.Message);
      const enveloped = (body.MessageAttributes ?? {}) as Record<string, { Type: string; Value: string }>;
      for (const [name, value] of Object.entries(enveloped)) attributes[name] = value.Value;
    }
    // Real SNS hands an SQS subscriber the `sqs` member of a MessageStructure=json message; the
    // embedded server hands over the whole per-protocol object. Accept both, as a consumer must.
    const record = payload as Record<string, unknown>;
    const alert =
      typeof record.sqs === 'string' && !('schemaVersion' in record) ? JSON.parse(record.sqs) : record;
    return { alert: alert as ReceivedAlert['alert'], attributes };
  }
}

/** How many times each alert id arrived. */
export function deliveriesById(received: readonly ReceivedAlert[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of received) counts.set(entry.alert.id, (counts.get(entry.alert.id) ?? 0) + 1);
  return counts;
}

import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type AlertNotification, parseAlertNotification } from '../../shared/alerts/index.ts';

export interface AlertQueueConsumerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly onAlert: (notification: AlertNotification, receivedAt: number) => void;
  /** A message that is not an alert: reported, then deleted so it does not come back forever. */
  readonly onInvalidMessage: (body: string, error: Error) => void;
  readonly onError: (error: unknown) => void;
}

/**
 * Reads the alert queue like any subscriber would: long polling, one delete per message handled. The
 * alert comes from the message, exactly as SNS delivered it through the subscription.
 */
export class AlertQueueConsumer {
  readonly #options: AlertQueueConsumerOptions;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: AlertQueueConsumerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#poll();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #poll(): Promise<void> {
    const { sqs, queueUrl } = this.#options;
    while (this.#running) {
      try {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        for (const message of Messages ?? []) {
          const receivedAt = Date.now();
          try {
            this.#options.onAlert(
              parseAlertNotification(message.Body ?? '', message.MessageAttributes),
              receivedAt,
            );
          } catch (error) {
            this.#options.onInvalidMessage(message.Body ?? '', error as Error);
          }
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      } catch (error) {
        if (!this.#running) return;
        this.#options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

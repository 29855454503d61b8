import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, for the console and for the acknowledgement below: "failed ingest runs for ethereum". */
  readonly holds: string;
}

/**
 * Where an asynchronous path puts what it could not deliver, so that nothing is lost silently:
 * every message here raises an alarm (see Operations) and stays 14 days, the SQS maximum.
 *
 * Encrypted with SQS-managed keys (SSE-SQS): the messages are invocation records (a chain name, a
 * stream shard and sequence numbers, an error message), never case data, and SSE-SQS keeps the
 * senders (EventBridge Scheduler, Lambda destinations) free of KMS grants.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.holds}); a DLQ of a DLQ would only move the problem. Its depth is alarmed instead.`,
    });
  }
}

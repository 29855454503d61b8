import { Duration, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { functionEntry } from '../paths.ts';
import { AgencyFunction } from './AgencyFunction.ts';
import type { CaseStore } from './CaseStore.ts';
import { DeadLetterQueue } from './DeadLetterQueue.ts';

export interface AlertPublisherProps {
  readonly agencyName: string;
  readonly store: CaseStore;
  readonly messagingKey: IKey;
  readonly alertEmails: readonly string[];
  readonly subscriberAccounts: readonly string[];
  readonly commonEnvironment: Readonly<Record<string, string>>;
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

/** Outbox items: written by ingest with `outbox = pending`, flipped to `published` by the publisher. */
export const OUTBOX_PARTITION_PREFIX = 'ALERT#';
export const OUTBOX_PENDING = 'pending';

/**
 * The outbox relay (DESIGN invariant 1): the table's stream -> publish function -> the agency's alert
 * topic. Only pending alert items reach the function (an event source filter), failed batches are
 * split and retried, and a batch that still fails is recorded in a dead-letter queue.
 */
export class AlertPublisher extends Construct {
  readonly topic: Topic;
  readonly function: AgencyFunction;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: AlertPublisherProps) {
    super(scope, id);

    this.topic = new Topic(this, 'AlertTopic', {
      displayName: `laundering-alerts ${props.agencyName}`,
      masterKey: props.messagingKey,
      enforceSSL: true,
      // SHA-256 signatures for HTTPS subscribers that verify messages.
      signatureVersion: '2',
    });
    if (props.subscriberAccounts.length > 0) {
      // Another account (an exchange's compliance team, a partner agency) subscribes its own queue or
      // endpoint; it can neither publish nor change the topic.
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowConfiguredAccountsToSubscribe',
          principals: props.subscriberAccounts.map((account) => new AccountPrincipal(account)),
          actions: ['sns:Subscribe'],
          resources: [this.topic.topicArn],
        }),
      );
    }
    for (const email of props.alertEmails) {
      this.topic.addSubscription(new EmailSubscription(email));
    }

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      holds: 'stream batches of pending alerts the publisher failed to publish after every retry',
    });

    this.function = new AgencyFunction(this, 'Publish', {
      entry: functionEntry('publish'),
      description: 'laundering-alerts: publishes pending alerts from the table stream to the alert topic',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { ...props.commonEnvironment, TOPIC_ARN: this.topic.topicArn },
      logsKey: props.logsKey,
      logRetention: props.logRetention,
    });
    const fn = this.function.fn;

    fn.addEventSource(
      new DynamoEventSource(props.store.table, {
        // From the oldest record the stream holds (24 h): alerts written before the mapping existed
        // are still published.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetterQueue.queue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: {
              NewImage: {
                pk: { S: FilterRule.beginsWith(OUTBOX_PARTITION_PREFIX) },
                outbox: { S: FilterRule.isEqual(OUTBOX_PENDING) },
              },
            },
          }),
        ],
      }),
    );
    Validations.of(this.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" is also granted for dynamodb:ListStreams, which Lambda needs to read the table stream and which supports no resource-level permissions; the record-reading actions are scoped to this table\'s stream.',
    });

    props.store.grantAlertPublishing(fn);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    // SNS encrypts each message with a data key from the topic's key, using the publisher's permissions.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.messagingKey.keyArn],
      }),
    );
  }
}

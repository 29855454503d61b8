import { Duration, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { functionEntry } from '../paths.ts';
import { AgencyFunction } from './AgencyFunction.ts';
import type { CaseStore } from './CaseStore.ts';
import { DeadLetterQueue } from './DeadLetterQueue.ts';
import { invokeOnSchedule } from './invokeOnSchedule.ts';

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
/** The partition of the outbox markers, one per pending alert: what the sweep queries. */
export const OUTBOX_MARKER_PARTITION = 'OUTBOX';

/**
 * How often the sweep publishes alerts the stream left pending (those pending for longer than the
 * handler's 5-minute grace period): an alert the stream gave up on goes out at most about ten minutes
 * after SNS is back, with nobody re-driving it.
 */
export const SWEEP_INTERVAL = Duration.minutes(5);
/** The event the schedule sends; the publish handler accepts this or a stream batch, nothing else. */
export const SWEEP_REQUEST = { sweep: true } as const;

/**
 * The outbox relay (DESIGN invariant 1): the table's stream -> publish function -> the agency's alert
 * topic. Only pending alert items reach the function (an event source filter), failed batches are
 * split and retried, and a batch that still fails is recorded in a dead-letter queue. A schedule
 * starts the same function every 5 minutes to sweep the outbox: alerts still pending after the grace
 * period (the stream gave up on them) are published then, so the DLQ records a delay, not a loss.
 */
export class AlertPublisher extends Construct {
  readonly topic: Topic;
  readonly function: AgencyFunction;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly sweepSchedule: Schedule;

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
      holds:
        'stream batches of pending alerts the publisher failed to publish after every retry, sweeps that failed, and sweep ticks the scheduler could not deliver',
    });

    this.function = new AgencyFunction(this, 'Publish', {
      entry: functionEntry('publish'),
      description:
        'laundering-alerts: publishes pending alerts from the table stream to the alert topic, and sweeps those the stream left pending',
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

    this.sweepSchedule = this.addSweep(props.store);
  }

  /**
   * The sweep reads the outbox the way the store's `pendingAlerts` does: one Query of the markers'
   * partition, a BatchGetItem of the alerts they name, then a DeleteItem for each marker that outlived
   * its alert (DeleteItem, GetItem and UpdateItem are the stream path's grants already). The two new
   * read actions are limited to those partitions by the keys the request names.
   */
  private addSweep(store: CaseStore): Schedule {
    const fn = this.function.fn;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [store.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [OUTBOX_MARKER_PARTITION] },
        },
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [store.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${OUTBOX_PARTITION_PREFIX}*`] },
        },
      }),
    );

    // A failed sweep is not retried: the next one comes within 5 minutes and would only compete with a
    // retry. The failure is kept in the dead-letter queue and alarmed, like the function's error.
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: SWEEP_INTERVAL,
      onFailure: new SqsDestination(this.deadLetterQueue.queue),
    });

    return invokeOnSchedule(this, {
      roleId: 'SweepSchedulerRole',
      scheduleId: 'SweepEveryFiveMinutes',
      fn,
      deadLetterQueue: this.deadLetterQueue.queue,
      rate: SWEEP_INTERVAL,
      input: SWEEP_REQUEST,
      description: 'laundering-alerts: publishes alerts the table stream left pending',
      roleDescription: 'laundering-alerts: lets EventBridge Scheduler start the alert outbox sweep',
    });
  }
}

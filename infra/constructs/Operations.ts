import { Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { AgencyFunction } from './AgencyFunction.ts';
import type { AlertPublisher } from './AlertPublisher.ts';
import type { CaseApi } from './CaseApi.ts';
import type { CaseStore } from './CaseStore.ts';
import type { ChainIngest } from './ChainIngest.ts';
import type { DeadLetterQueue } from './DeadLetterQueue.ts';

/** Custom metrics the functions emit as CloudWatch embedded metric format (Powertools Metrics). */
export const METRIC_NAMESPACE = 'LaunderingAlerts';
export const INGEST_LAG_METRIC = 'IngestLagBlocks';
export const PUBLISH_FAILURES_METRIC = 'PublishFailures';

/** Alerts waiting longer than this in the stream mean the publisher is stuck or far behind. */
const MAX_PUBLISH_ITERATOR_AGE = Duration.minutes(5);

export interface WatchedChain {
  readonly name: string;
  readonly lagAlarmBlocks: number;
  readonly rpcSecretName: string;
  readonly ingest: ChainIngest;
}

export interface OperationsProps {
  readonly agencyName: string;
  /**
   * POWERTOOLS_SERVICE_NAME of the functions. Powertools Metrics adds it as the `service` dimension
   * of every metric, so it is part of the metric's identity, and it keeps two agencies deployed in one
   * account and region from sharing metrics.
   */
  readonly serviceName: string;
  readonly messagingKey: IKey;
  readonly operationsEmails: readonly string[];
  readonly chains: readonly WatchedChain[];
  readonly publisher: AlertPublisher;
  readonly api: CaseApi;
  readonly store: CaseStore;
}

/**
 * What the agency's operators watch: alarms on every dead-letter queue, every function's errors,
 * ingest lag per chain and publish failures, all sent to an operations topic (kept apart from the
 * alert topic that investigators and exchanges subscribe to), and one dashboard.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'OperationsTopic', {
      displayName: `laundering-alerts ${props.agencyName} operations`,
      masterKey: props.messagingKey,
      enforceSSL: true,
    });
    // The topic has its own policy (TLS only), so the CloudWatch service needs an explicit grant,
    // limited to this account's alarms.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    for (const email of props.operationsEmails) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
    this.action = new SnsAction(this.topic);

    const lagMetrics: IMetric[] = [];
    for (const chain of props.chains) {
      const lag = new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: INGEST_LAG_METRIC,
        dimensionsMap: { service: props.serviceName, chain: chain.name },
        statistic: Stats.MAXIMUM,
        period: Duration.minutes(5),
        label: `${chain.name} lag (blocks)`,
      });
      lagMetrics.push(lag);
      this.addAlarm(`${chain.name}IngestLag`, {
        metric: lag,
        threshold: chain.lagAlarmBlocks,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // No lag reported means ingest is not running at all: that is the worst lag.
        treatMissingData: TreatMissingData.BREACHING,
        description: `${chain.name} ingest is more than ${chain.lagAlarmBlocks} blocks behind its confirmed head, or reports nothing. Check the ingest function's logs and its RPC endpoints (secret ${chain.rpcSecretName}).`,
      });
      this.addFunctionErrorAlarm(`${chain.name}IngestErrors`, chain.ingest.function, `${chain.name} ingest`);
      this.addDeadLetterAlarm(
        `${chain.name}IngestDeadLetters`,
        chain.ingest.deadLetterQueue,
        `${chain.name} ingest`,
      );
    }

    const publishFailures = new Metric({
      namespace: METRIC_NAMESPACE,
      metricName: PUBLISH_FAILURES_METRIC,
      dimensionsMap: { service: props.serviceName },
      statistic: Stats.SUM,
      period: Duration.minutes(5),
      label: 'publish failures',
    });
    this.addAlarm('PublishFailures', {
      metric: publishFailures,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description:
        'Alerts failed to publish to the alert topic (they stay pending and are retried). Check the publish function logs.',
    });
    const iteratorAge = props.publisher.function.fn.metric('IteratorAge', {
      statistic: Stats.MAXIMUM,
      period: Duration.minutes(5),
      label: 'oldest unpublished stream record (ms)',
    });
    this.addAlarm('PublishBacklog', {
      metric: iteratorAge,
      threshold: MAX_PUBLISH_ITERATOR_AGE.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `Alerts have waited more than ${MAX_PUBLISH_ITERATOR_AGE.toMinutes()} minutes in the table stream: the publisher is failing or behind.`,
    });
    this.addFunctionErrorAlarm('PublishErrors', props.publisher.function, 'publish');
    this.addDeadLetterAlarm('PublishDeadLetters', props.publisher.deadLetterQueue, 'publish');
    this.addFunctionErrorAlarm('ApiErrors', props.api.function, 'api');

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `LaunderingAlerts-${props.agencyName}-${Aws.REGION}`,
      defaultInterval: Duration.hours(6),
    });
    const ingestFunctions = props.chains.map((chain) => ({ name: chain.name, fn: chain.ingest.function.fn }));
    const deadLetterQueues = [
      ...props.chains.map((chain) => ({ name: `${chain.name} ingest`, dlq: chain.ingest.deadLetterQueue })),
      { name: 'publish', dlq: props.publisher.deadLetterQueue },
    ];
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# laundering-alerts: ${props.agencyName}\nIngest lag per chain, alert publishing, dead-letter queues and the API. Every alarm below notifies the operations topic.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Ingest lag (blocks behind the confirmed head)',
        left: lagMetrics,
        width: 12,
      }),
      new GraphWidget({
        title: 'Ingest errors and throttles',
        left: ingestFunctions.map(({ name, fn }) =>
          fn.metricErrors({ label: `${name} errors`, period: Duration.minutes(5) }),
        ),
        right: ingestFunctions.map(({ name, fn }) =>
          fn.metricThrottles({ label: `${name} throttles`, period: Duration.minutes(5) }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Alert publishing',
        left: [
          props.publisher.function.fn.metricInvocations({
            label: 'publish invocations',
            period: Duration.minutes(5),
          }),
          publishFailures,
          props.publisher.function.fn.metricErrors({ label: 'publish errors', period: Duration.minutes(5) }),
        ],
        right: [iteratorAge],
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead-letter queues (messages waiting)',
        left: deadLetterQueues.map(({ name, dlq }) =>
          dlq.queue.metricApproximateNumberOfMessagesVisible({ label: name, statistic: Stats.MAXIMUM }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [
          props.api.httpApi.metricCount({ label: 'requests', period: Duration.minutes(5) }),
          props.api.httpApi.metricClientError({ label: '4xx', period: Duration.minutes(5) }),
          props.api.httpApi.metricServerError({ label: '5xx', period: Duration.minutes(5) }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (p90, ms)',
        left: [
          props.api.httpApi.metricLatency({ statistic: Stats.percentile(90), period: Duration.minutes(5) }),
        ],
        width: 12,
      }),
    );
  }

  private addAlarm(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
      treatMissingData: TreatMissingData;
      description: string;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator,
      evaluationPeriods: options.evaluationPeriods,
      datapointsToAlarm: options.datapointsToAlarm,
      treatMissingData: options.treatMissingData,
      alarmDescription: options.description,
    });
    // OK notifications too, so that whoever picked up the alarm learns that it cleared.
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private addFunctionErrorAlarm(id: string, agencyFunction: AgencyFunction, label: string): void {
    this.addAlarm(id, {
      metric: agencyFunction.fn.metricErrors({ statistic: Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `The ${label} function failed at least once in 5 minutes. Its log group has the error.`,
    });
  }

  private addDeadLetterAlarm(id: string, deadLetterQueue: DeadLetterQueue, label: string): void {
    this.addAlarm(id, {
      metric: deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({
        statistic: Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops reporting an idle queue's metrics: no data means no message.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `The ${label} dead-letter queue holds a message: something was not processed. Read it (docs/DEPLOYING.md, "Dead-letter queues"), fix the cause, then delete it.`,
    });
  }
}

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { SnsAlertPublisher } from '../../shared/alerts/index.ts';
import { type AlertStreamRecord, parsePublishEvent } from '../../shared/alerts/publish-event.ts';
import { publishStoredAlert } from '../../shared/alerts/publish-stored-alert.ts';
import { StaleAlertsNotPublishedError, sweepStaleAlerts } from '../../shared/alerts/sweep-stale-alerts.ts';
import { createDynamoDbClient, createSnsClient } from '../../shared/runtime/clients.ts';
import { publishEnvironment } from '../../shared/runtime/env.ts';
import { DynamoDbStore } from '../../shared/store/index.ts';

const logger = new Logger();
const metrics = new Metrics({ namespace: 'LaunderingAlerts' });
const env = publishEnvironment();
const store = new DynamoDbStore({
  client: createDynamoDbClient(env.DYNAMODB_ENDPOINT),
  tableName: env.TABLE_NAME,
});
const publisher = new SnsAlertPublisher(createSnsClient(env.SNS_ENDPOINT), env.TOPIC_ARN);

/** A sweep reads no further page with less than this left, so it ends well inside the timeout. */
const SWEEP_STOP_BEFORE_TIMEOUT_MS = 10_000;

export interface SweepSummary {
  readonly published: number;
  readonly leftToStream: number;
}

/**
 * The table's stream, filtered to pending outbox items, delivers each new alert here: publish it to the
 * topic, then mark it published. A failure is reported per record, so Lambda retries just that record
 * (bisecting the batch), and after the retries it lands in the DLQ, alarmed; the alert stays pending.
 */
async function publishStreamBatch(records: readonly AlertStreamRecord[]): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    const { alertId } = record;
    if (alertId === null) {
      logger.warn('stream record of an item that is not an alert, ignored: check the event source filter', {
        partitionKey: record.partitionKey,
      });
      continue;
    }
    try {
      const result = await publishStoredAlert(store, publisher, alertId);
      logger.info('alert handled', { alertId, result });
      if (result === 'published') metrics.addMetric('AlertsPublished', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('alert not published; it stays pending and is retried', {
        alertId,
        error: error as Error,
      });
      metrics.addMetric('PublishFailures', MetricUnit.Count, 1);
      batchItemFailures.push({ itemIdentifier: record.sequenceNumber });
    }
  }
  return { batchItemFailures };
}

/**
 * Every 5 minutes (EventBridge Scheduler): publishes alerts pending for longer than the grace period,
 * those the stream gave up on. A failure fails the invocation, so the function's error alarm fires.
 */
async function sweep(context: Context): Promise<SweepSummary> {
  const run = await sweepStaleAlerts(store, publisher, {
    shouldContinue: () => context.getRemainingTimeInMillis() > SWEEP_STOP_BEFORE_TIMEOUT_MS,
  });
  if (run.published.length > 0) {
    metrics.addMetric('AlertsPublished', MetricUnit.Count, run.published.length);
    logger.warn('published alerts the stream had not', {
      alertIds: run.published.map((entry) => entry.alertId),
    });
  }
  for (const failure of run.failed) {
    logger.error('stale alert not published; it stays pending for the next sweep', {
      alertId: failure.alertId,
      stage: failure.stage,
      error: failure.error,
    });
  }
  if (run.failed.length > 0) {
    metrics.addMetric('PublishFailures', MetricUnit.Count, run.failed.length);
    throw new StaleAlertsNotPublishedError(run.failed);
  }
  return { published: run.published.length, leftToStream: run.leftToStream };
}

async function publish(event: unknown, context: Context): Promise<DynamoDBBatchResponse | SweepSummary> {
  const request = parsePublishEvent(event);
  return request.kind === 'stream' ? publishStreamBatch(request.records) : sweep(context);
}

export const handler = middy(publish).use(injectLambdaContext(logger)).use(logMetrics(metrics));

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { SnsAlertPublisher } from '../../shared/alerts/index.ts';
import { publishStoredAlert } from '../../shared/alerts/publish-stored-alert.ts';
import { createDynamoDbClient, createSnsClient } from '../../shared/runtime/clients.ts';
import { publishEnvironment } from '../../shared/runtime/env.ts';
import { DynamoDbStore, TABLE_KEYS } from '../../shared/store/index.ts';

const logger = new Logger();
const metrics = new Metrics({ namespace: 'LaunderingAlerts' });
const env = publishEnvironment();
const store = new DynamoDbStore({
  client: createDynamoDbClient(env.DYNAMODB_ENDPOINT),
  tableName: env.TABLE_NAME,
});
const publisher = new SnsAlertPublisher(createSnsClient(env.SNS_ENDPOINT), env.TOPIC_ARN);

/**
 * The table's stream, filtered to pending outbox items, delivers each new alert here: publish it to the
 * topic, then mark it published. A failure is reported per record, so Lambda retries just that record
 * (bisecting the batch), and after the retries it lands in the DLQ, alarmed; the alert stays pending.
 */
async function publish(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const pk = record.dynamodb?.Keys?.[TABLE_KEYS.partitionKey]?.S;
    if (!pk?.startsWith(TABLE_KEYS.outbox.pkPrefix)) continue;
    const alertId = pk.slice(TABLE_KEYS.outbox.pkPrefix.length);
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
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber as string });
    }
  }
  return { batchItemFailures };
}

export const handler = middy(publish).use(injectLambdaContext(logger)).use(logMetrics(metrics));

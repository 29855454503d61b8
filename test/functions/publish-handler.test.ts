/**
 * The publish function's real handler module (functions/publish/handler.ts), configured through its
 * environment as Lambda would, against the embedded DynamoDB and SNS/SQS servers: stream batches of
 * pending alert items, and the scheduled sweep.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type EmbeddedServer,
  startDynamoDbServer,
  startSnsSqsServer,
} from '../../infra/local/servers/index.ts';
import { parseAlertNotification } from '../../shared/alerts/notification.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { createTable, DynamoDbStore } from '../../shared/store/index.ts';
import { ALERT_SK, alertPk } from '../../shared/store/keys.ts';
import { createTopic, drain, localClients, subscribedQueue } from '../alerts/local-sns-sqs.ts';
import { sampleAlert } from '../store/fixtures.ts';
import { localDynamoDbClient } from '../store/local-table.ts';
import {
  type CapturedConsole,
  captureConsole,
  clearEnvironment,
  lambdaContext,
  POWERTOOLS_TEST_ENVIRONMENT,
  setEnvironment,
} from './lambda-runtime.ts';
import { streamRecordOfItem } from './stream-record.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const TABLE = 'publish-handler-test';
const ENVIRONMENT_NAMES = ['TABLE_NAME', 'TOPIC_ARN', 'SNS_ENDPOINT', 'DYNAMODB_ENDPOINT'];

describe('the publish function handler', () => {
  let dynamo: EmbeddedServer;
  let snsSqs: EmbeddedServer;
  let client: DynamoDBClient;
  let sns: SNSClient;
  let sqs: SQSClient;
  let store: DynamoDbStore;
  /** Stores alerts as if written ten minutes ago: older than the sweep's grace period. */
  let storeTenMinutesAgo: DynamoDbStore;
  let queueUrl: string;
  let output: CapturedConsole;
  /** The handler as deployed: its topic exists and has a subscribed queue. */
  let publish: Handler;
  /** The same module loaded with a topic ARN that has no topic behind it. */
  let publishToMissingTopic: Handler;
  let sequence = 0;

  const loadHandler = async (topicArn: string): Promise<Handler> => {
    vi.resetModules();
    setEnvironment({
      ...POWERTOOLS_TEST_ENVIRONMENT,
      TABLE_NAME: TABLE,
      TOPIC_ARN: topicArn,
      SNS_ENDPOINT: snsSqs.endpoint,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
    });
    const module = await import('../../functions/publish/handler.ts');
    return module.handler as unknown as Handler;
  };

  /** A batch of one record per alert, each read from the table as the stream would carry it. */
  const streamBatch = async (alerts: readonly Alert[]): Promise<DynamoDBStreamEvent> => ({
    Records: await Promise.all(
      alerts.map((alert) =>
        streamRecordOfItem(client, TABLE, { pk: alertPk(alert.id), sk: ALERT_SK }, String(++sequence * 100)),
      ),
    ),
  });

  const receivedAlertIds = async (): Promise<string[]> =>
    (await drain(sqs, queueUrl)).map((message) => parseAlertNotification(message.Body as string).alert.id);

  beforeAll(async () => {
    [dynamo, snsSqs] = await Promise.all([startDynamoDbServer(), startSnsSqsServer()]);
    client = localDynamoDbClient(dynamo.endpoint);
    await createTable(client, TABLE);
    store = new DynamoDbStore({ client, tableName: TABLE });
    storeTenMinutesAgo = new DynamoDbStore({
      client,
      tableName: TABLE,
      now: () => new Date(Date.now() - 10 * 60_000),
    });
    ({ sns, sqs } = localClients(snsSqs.endpoint));
    const topicArn = await createTopic(sns, 'agency-alerts');
    queueUrl = await subscribedQueue(sns, sqs, topicArn, 'agency-inbox');
    output = captureConsole();
    publishToMissingTopic = await loadHandler(topicArn.replace(/agency-alerts$/, 'no-such-topic'));
    publish = await loadHandler(topicArn);
  });

  afterAll(async () => {
    output?.restore();
    clearEnvironment([...ENVIRONMENT_NAMES, ...Object.keys(POWERTOOLS_TEST_ENVIRONMENT)]);
    client?.destroy();
    sns?.destroy();
    sqs?.destroy();
    await Promise.all([dynamo?.close(), snsSqs?.close()]);
  });

  it('publishes the alert of a stream record to the topic and marks it published, once', async () => {
    const alert = sampleAlert({ caseId: 'c-stream', tx: 1 });
    await store.saveAlerts([alert]);
    const batch = await streamBatch([alert]);
    output.clear();

    const answer = (await publish(batch, lambdaContext('publish'))) as DynamoDBBatchResponse;

    expect(answer).toEqual({ batchItemFailures: [] });
    const received = await drain(sqs, queueUrl);
    expect(received).toHaveLength(1);
    const notification = parseAlertNotification(received[0]?.Body as string);
    expect(notification.alert).toEqual(alert);
    expect(notification.attributes).toMatchObject({
      alertId: alert.id,
      kind: 'EXCHANGE_DEPOSIT',
      caseId: 'c-stream',
      chain: 'ethereum',
    });
    const stored = await store.getAlert(alert.id);
    expect(stored?.outbox).toBe('published');
    expect(stored?.publishedAt).not.toBeNull();
    expect(await store.pendingAlerts(10)).toEqual([]);
    expect(output.metricSum('AlertsPublished')).toBe(1);

    // Lambda delivers the same record again (a retry after another record of the batch failed).
    output.clear();
    expect(await publish(batch, lambdaContext('publish'))).toEqual({ batchItemFailures: [] });
    expect(await receivedAlertIds()).toEqual([]);
    expect(output.metricSum('AlertsPublished')).toBe(0);
  });

  it('reports the record of an alert it could not publish as a batch item failure and keeps it pending', async () => {
    const published = sampleAlert({ caseId: 'c-missing-topic', tx: 2 });
    const failing = sampleAlert({ caseId: 'c-missing-topic', tx: 3 });
    await store.saveAlerts([published, failing]);
    // The first record goes out through the working handler; the second meets the missing topic.
    const [first, second] = (await streamBatch([published, failing])).Records;
    expect(await publish({ Records: [first] }, lambdaContext('publish'))).toEqual({ batchItemFailures: [] });
    output.clear();

    const answer = await publishToMissingTopic({ Records: [second] }, lambdaContext('publish'));

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: second?.dynamodb?.SequenceNumber }] });
    expect((await store.getAlert(failing.id))?.outbox).toBe('pending');
    expect((await store.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([failing.id]);
    expect(output.metricSum('PublishFailures')).toBe(1);
    const errors = output.logEntries('ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ alertId: failing.id });
    expect(JSON.stringify(errors[0])).toContain('TopicNotFoundError');

    // Lambda retries the record; with the topic in place it goes out, once.
    expect(await publish({ Records: [second] }, lambdaContext('publish'))).toEqual({ batchItemFailures: [] });
    expect((await receivedAlertIds()).sort()).toEqual([published.id, failing.id].sort());
    expect((await store.getAlert(failing.id))?.outbox).toBe('published');
  });

  it('sweeps alerts pending for longer than the grace period and leaves a fresh one to the stream', async () => {
    const stale = sampleAlert({ caseId: 'c-sweep', tx: 4 });
    const fresh = sampleAlert({ caseId: 'c-sweep', tx: 5 });
    await storeTenMinutesAgo.saveAlerts([stale]);
    await store.saveAlerts([fresh]);
    output.clear();

    const summary = await publish({ sweep: true }, lambdaContext('publish'));

    expect(summary).toEqual({ published: 1, leftToStream: 1 });
    expect(await receivedAlertIds()).toEqual([stale.id]);
    expect((await store.getAlert(stale.id))?.outbox).toBe('published');
    expect((await store.getAlert(fresh.id))?.outbox).toBe('pending');
    expect(output.metricSum('AlertsPublished')).toBe(1);
    expect(output.metricSum('PublishFailures')).toBe(0);

    // The stream publishes the fresh one; a sweep then finds nothing to do.
    await publish(await streamBatch([fresh]), lambdaContext('publish'));
    expect(await publish({ sweep: true }, lambdaContext('publish'))).toEqual({
      published: 0,
      leftToStream: 0,
    });
    expect(await receivedAlertIds()).toEqual([fresh.id]);
  });

  it('fails a sweep that could not publish a stale alert, counts it and keeps the alert pending', async () => {
    const stale = sampleAlert({ caseId: 'c-sweep-fails', tx: 6 });
    await storeTenMinutesAgo.saveAlerts([stale]);
    output.clear();

    await expect(publishToMissingTopic({ sweep: true }, lambdaContext('publish'))).rejects.toThrow(
      /^1 alert\(s\) pending for longer than the grace period could not be published \(first: [0-9a-f]{32}, publish: SNS topic .*no-such-topic does not exist/,
    );

    expect((await store.getAlert(stale.id))?.outbox).toBe('pending');
    expect(output.metricSum('PublishFailures')).toBe(1);
    expect(output.logEntries('ERROR').some((entry) => entry.alertId === stale.id)).toBe(true);

    // The next sweep, once the topic is right, publishes it.
    expect(await publish({ sweep: true }, lambdaContext('publish'))).toEqual({
      published: 1,
      leftToStream: 0,
    });
    expect(await receivedAlertIds()).toEqual([stale.id]);
  });

  it('rejects an event that is neither a stream batch nor a sweep request, and publishes nothing', async () => {
    const alert = sampleAlert({ caseId: 'c-bad-event', tx: 7 });
    await storeTenMinutesAgo.saveAlerts([alert]);

    await expect(publish({ sweep: 'yes' }, lambdaContext('publish'))).rejects.toThrow(
      /takes a DynamoDB stream batch .* or a sweep request .*: not a sweep request: sweep: /,
    );
    await expect(
      publish({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, lambdaContext('publish')),
    ).rejects.toThrow(/not a stream batch: Records\.0\.eventSource/);
    expect(await receivedAlertIds()).toEqual([]);
    expect((await store.getAlert(alert.id))?.outbox).toBe('pending');
  });
});

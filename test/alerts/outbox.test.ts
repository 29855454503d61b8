import { DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startSnsSqsServer } from '../../infra/local/servers/index.ts';
import { AlertsUnavailableError, TopicNotFoundError } from '../../shared/alerts/errors.ts';
import { parseAlertNotification } from '../../shared/alerts/notification.ts';
import { publishPendingAlerts } from '../../shared/alerts/outbox.ts';
import { SnsAlertPublisher } from '../../shared/alerts/sns-publisher.ts';
import { sampleAlert } from '../store/fixtures.ts';
import { type LocalStore, startLocalStore } from '../store/local-table.ts';
import { createTopic, drain, localClients, subscribedQueue } from './local-sns-sqs.ts';

describe('the outbox from DynamoDB to SNS, on the embedded servers', () => {
  let local: LocalStore;
  let snsSqs: EmbeddedServer;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    [local, snsSqs] = await Promise.all([startLocalStore(), startSnsSqsServer()]);
    ({ sns, sqs } = localClients(snsSqs.endpoint));
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await Promise.all([local?.close(), snsSqs?.close()]);
  });

  it('keeps an alert pending when publishing fails, then publishes it once on the next run', async () => {
    const store = await local.newStore();
    // The topic's ARN, with no topic behind it yet: the first publish fails for real.
    const topicArn = await createTopic(sns, 'agency-alerts');
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    const publisher = new SnsAlertPublisher(sns, topicArn);

    const alert = sampleAlert({ caseId: 'c-outbox', tx: 31 });
    await store.saveAlerts([alert]);

    const failed = await publishPendingAlerts(store, publisher);
    expect(failed.published).toEqual([]);
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]).toMatchObject({ alertId: alert.id, stage: 'publish' });
    expect(failed.failed[0]?.error).toBeInstanceOf(TopicNotFoundError);
    expect((await store.getAlert(alert.id))?.outbox).toBe('pending');

    await createTopic(sns, 'agency-alerts');
    const queue = await subscribedQueue(sns, sqs, topicArn, 'agency-inbox');
    const succeeded = await publishPendingAlerts(store, publisher);
    expect(succeeded.failed).toEqual([]);
    expect(succeeded.published.map((entry) => entry.alertId)).toEqual([alert.id]);
    expect((await store.getAlert(alert.id))?.outbox).toBe('published');

    // Nothing left: later runs publish nothing, and a replayed range stores nothing new.
    expect(await publishPendingAlerts(store, publisher)).toEqual({ published: [], failed: [] });
    expect(await store.saveAlerts([alert])).toEqual({ stored: [], existing: [alert.id] });
    expect(await publishPendingAlerts(store, publisher)).toEqual({ published: [], failed: [] });

    const received = await drain(sqs, queue);
    expect(received).toHaveLength(1);
    const notification = parseAlertNotification(received[0]?.Body as string);
    expect(notification.alert).toEqual(alert);
    expect(notification.attributes.alertId).toBe(alert.id);
  });

  it('publishes a backlog across runs, oldest first, and reports an outage for every alert it hit', async () => {
    const store = await local.newStore();
    const topicArn = await createTopic(sns, 'agency-backlog');
    const queue = await subscribedQueue(sns, sqs, topicArn, 'backlog-inbox');
    const alerts = [...Array(7).keys()].map((i) =>
      sampleAlert({
        caseId: 'c-backlog',
        tx: 40 + i,
        block: 1000 + i,
        timestamp: `2026-11-2${i}T00:00:00.000Z`,
      }),
    );
    await store.saveAlerts(alerts);

    const down = await startSnsSqsServer();
    const { sns: unreachable } = localClients(down.endpoint, 1);
    await down.close();
    const outage = await publishPendingAlerts(store, new SnsAlertPublisher(unreachable, topicArn), {
      limit: 3,
    });
    expect(outage.failed.map((failure) => failure.alertId).sort()).toEqual(
      alerts
        .slice(0, 3)
        .map((alert) => alert.id)
        .sort(),
    );
    expect(outage.failed.every((failure) => failure.error instanceof AlertsUnavailableError)).toBe(true);
    unreachable.destroy();

    const publisher = new SnsAlertPublisher(sns, topicArn);
    const first = await publishPendingAlerts(store, publisher, { limit: 5, concurrency: 1 });
    expect(first.published.map((entry) => entry.alertId)).toEqual(
      alerts.slice(0, 5).map((alert) => alert.id),
    );
    const second = await publishPendingAlerts(store, publisher, { limit: 5 });
    expect(second.published.map((entry) => entry.alertId).sort()).toEqual(
      alerts
        .slice(5)
        .map((alert) => alert.id)
        .sort(),
    );
    const received = (await drain(sqs, queue)).map(
      (message) => parseAlertNotification(message.Body as string).alert.id,
    );
    expect(received.sort()).toEqual(alerts.map((alert) => alert.id).sort());
  });
});

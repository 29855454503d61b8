import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startSnsSqsServer } from '../../infra/local/servers/index.ts';
import { AlertsUnavailableError, TopicNotFoundError } from '../../shared/alerts/errors.ts';
import { parseAlertNotification } from '../../shared/alerts/notification.ts';
import { publishAlert, SnsAlertPublisher } from '../../shared/alerts/sns-publisher.ts';
import { sampleAlert } from '../store/fixtures.ts';
import { createTopic, drain, localClients, subscribedQueue } from './local-sns-sqs.ts';

describe('alerts through the embedded SNS to SQS subscriptions', () => {
  let server: EmbeddedServer;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    server = await startSnsSqsServer();
    ({ sns, sqs } = localClients(server.endpoint));
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await server?.close();
  });

  it('delivers the alert and its attributes, and a severity filter policy selects what a queue gets', async () => {
    const topicArn = await createTopic(sns, 'alerts-delivery');
    const everything = await subscribedQueue(sns, sqs, topicArn, 'everything');
    const criticalOnly = await subscribedQueue(sns, sqs, topicArn, 'critical-only', {
      FilterPolicy: JSON.stringify({ severity: ['critical'] }),
      RawMessageDelivery: 'true',
    });
    const exchangeDeposit = sampleAlert({ caseId: 'c-sns', tx: 21, kind: 'EXCHANGE_DEPOSIT' });
    const moved = sampleAlert({ caseId: 'c-sns', tx: 22, kind: 'FUNDS_MOVED' });
    const mixer = sampleAlert({ caseId: 'c-sns', tx: 23, kind: 'MIXER_DEPOSIT' });
    const publisher = new SnsAlertPublisher(sns, topicArn);
    const messageIds = [];
    for (const alert of [exchangeDeposit, moved, mixer]) messageIds.push(await publisher.publish(alert));
    expect(new Set(messageIds).size).toBe(3);

    const all = (await drain(sqs, everything)).map((received) =>
      parseAlertNotification(received.Body as string),
    );
    expect(
      all.map((notification) => notification.alert).sort((a, b) => a.txHash.localeCompare(b.txHash)),
    ).toEqual([exchangeDeposit, moved, mixer]);
    const first = all.find((notification) => notification.alert.id === exchangeDeposit.id);
    expect(first?.delivery).toBe('envelope');
    expect(first?.attributes).toEqual({
      alertId: exchangeDeposit.id,
      severity: 'critical',
      kind: 'EXCHANGE_DEPOSIT',
      caseId: 'c-sns',
      chain: 'ethereum',
      exchange: 'Binance',
    });
    expect(
      all.find((notification) => notification.alert.id === moved.id)?.attributes.exchange,
    ).toBeUndefined();

    const critical = await drain(sqs, criticalOnly);
    expect(critical).toHaveLength(1);
    const raw = parseAlertNotification(critical[0]?.Body as string, critical[0]?.MessageAttributes);
    expect(raw.delivery).toBe('raw');
    expect(raw.alert).toEqual(exchangeDeposit);
    expect(raw.attributes).toMatchObject({ severity: 'critical', alertId: exchangeDeposit.id });
  });

  it('names a topic that does not exist', async () => {
    const error = await publishAlert(
      sns,
      'arn:aws:sns:us-east-1:000000000000:no-such-topic',
      sampleAlert({}),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TopicNotFoundError);
    expect((error as TopicNotFoundError).retriable).toBe(false);
  });

  it('reports an unreachable SNS as retriable', async () => {
    const gone = await startSnsSqsServer();
    const { sns: nowhere } = localClients(gone.endpoint, 1);
    await gone.close();
    const error = await publishAlert(
      nowhere,
      'arn:aws:sns:us-east-1:000000000000:alerts',
      sampleAlert({}),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertsUnavailableError);
    expect((error as AlertsUnavailableError).retriable).toBe(true);
    nowhere.destroy();
  });
});

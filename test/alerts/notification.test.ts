import { describe, expect, it } from 'vitest';
import { InvalidAlertNotificationError } from '../../shared/alerts/errors.ts';
import { toAlertMessage } from '../../shared/alerts/message.ts';
import { parseAlertNotification } from '../../shared/alerts/notification.ts';
import { sampleAlert } from '../store/fixtures.ts';

const alert = sampleAlert({ caseId: 'c-parse', tx: 8 });
const message = toAlertMessage(alert);
const attributes = Object.fromEntries(
  Object.entries(message.MessageAttributes).map(([name, value]) => [name, value.StringValue as string]),
);

/** What real SNS puts in an SQS body for a non-raw subscription. */
function envelope(inner: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'b7c1d0e2-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts',
    Subject: message.Subject,
    Message: inner,
    Timestamp: '2026-11-20T12:00:00.000Z',
    SignatureVersion: '2',
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }]),
    ),
  });
}

const sqsAttributes = Object.fromEntries(
  Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
);

describe('parseAlertNotification', () => {
  const alertJson = JSON.stringify(alert);
  const wholeStructure = message.Message; // the fauxqs delivery

  it.each([
    ['enveloped, as real SNS delivers', envelope(alertJson), undefined, 'envelope'],
    ['enveloped, fauxqs style', envelope(wholeStructure), undefined, 'envelope'],
    ['raw, as real SNS delivers', alertJson, sqsAttributes, 'raw'],
    ['raw, fauxqs style', wholeStructure, sqsAttributes, 'raw'],
  ] as const)('reads an alert %s', (_what, body, sqs, delivery) => {
    const notification = parseAlertNotification(body, sqs);
    expect(notification.alert).toEqual(alert);
    expect(notification.attributes).toEqual(attributes);
    expect(notification.delivery).toBe(delivery);
    expect(notification.messageId).toBe(
      delivery === 'envelope' ? 'b7c1d0e2-0000-4000-8000-000000000001' : null,
    );
  });

  it('reads a raw delivery without attributes', () => {
    expect(parseAlertNotification(alertJson).attributes).toEqual({});
  });

  const refused: [string, string, RegExp][] = [
    ['an empty body', '', /empty body/],
    ['text', 'hello', /the body is not JSON/],
    ['an envelope without a message', JSON.stringify({ Type: 'Notification' }), /no Message/],
    ['an envelope with a text message', envelope('hello'), /Message of the envelope is not JSON/],
    [
      'another schema version',
      JSON.stringify({ ...alert, schemaVersion: 2 }),
      /schema version 1 \(schemaVersion\)/,
    ],
    ['a missing tx hash', JSON.stringify({ ...alert, txHash: undefined }), /\(txHash\)/],
    [
      'a bad address in the path',
      JSON.stringify({ ...alert, path: [{ address: '0x12', txHash: null }] }),
      /path\.0\.address/,
    ],
    ['a float amount', JSON.stringify({ ...alert, amount: 1.5 }), /\(amount\)/],
    ['an sqs member that is not JSON', JSON.stringify({ default: 'x', sqs: 'not json' }), /sqs member/],
    ['a number', '42', /schema version 1/],
  ];
  it.each(refused)('refuses %s', (_what, body, reason) => {
    expect(() => parseAlertNotification(body)).toThrow(InvalidAlertNotificationError);
    expect(() => parseAlertNotification(body)).toThrow(reason);
  });

  it('refuses an alertId attribute that is not the id of the alert inside', () => {
    const forged = { ...sqsAttributes, alertId: { DataType: 'String', StringValue: 'f'.repeat(32) } };
    expect(() => parseAlertNotification(alertJson, forged)).toThrow(/is not the alert's id/);
  });

  it('answers random damage with InvalidAlertNotificationError and nothing else', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const bodies = [envelope(alertJson), alertJson, wholeStructure];
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const chars = [...(bodies[i % bodies.length] as string)];
      for (let edits = 1 + random(4); edits > 0; edits--) {
        const at = random(chars.length);
        const op = random(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, String.fromCharCode(random(128)));
        else chars[at] = String.fromCharCode(random(65536));
      }
      try {
        const parsed = parseAlertNotification(chars.join(''));
        expect(parsed.alert.schemaVersion).toBe(1);
        accepted++;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidAlertNotificationError);
      }
    }
    // Some edits land in free text (names, the e-mail member) and leave a valid alert; most do not.
    expect(accepted).toBeLessThan(400);
  });
});

/**
 * Reading an alert back from an SQS queue subscribed to the topic, in every shape it can arrive:
 *   - enveloped (the default): the body is SNS's notification JSON, with the message in `Message` and
 *     the attributes in `MessageAttributes`;
 *   - raw (`RawMessageDelivery: true`): the body is the message itself and the attributes are SQS
 *     message attributes, passed separately;
 *   - and, inside either, the whole per-protocol object ({default, sqs, email, sms}) instead of its
 *     `sqs` member: what fauxqs, the embedded SNS, delivers for `MessageStructure: 'json'`.
 */
import { ZodError } from 'zod';
import type { Alert } from '../domain/alert.ts';
import { parseAlert } from './alert-schema.ts';
import { InvalidAlertNotificationError } from './errors.ts';

/** What the SQS SDK gives as `Message.MessageAttributes` (raw delivery). */
export type SqsMessageAttributes = Record<
  string,
  { readonly StringValue?: string; readonly DataType?: string }
>;

export interface AlertNotification {
  readonly alert: Alert;
  /** severity, kind, caseId, chain, exchange (when there is one), alertId. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly delivery: 'raw' | 'envelope';
  /** SNS's message id (enveloped delivery only): two publishes of one alert have different ones. */
  readonly messageId: string | null;
}

/** Far above a real alert notification (SNS caps messages at 256 KiB). */
const MAX_BODY = 1_048_576;

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidAlertNotificationError(`${what} is not JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function envelopeAttributes(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new InvalidAlertNotificationError('MessageAttributes is not an object');
  const attributes: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (isRecord(attribute) && typeof attribute.Value === 'string') attributes[name] = attribute.Value;
  }
  return attributes;
}

function rawAttributes(value: SqsMessageAttributes | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(value ?? {})) {
    if (typeof attribute?.StringValue === 'string') attributes[name] = attribute.StringValue;
  }
  return attributes;
}

/** The alert object out of a message: the alert itself, or the per-protocol object around it. */
function alertPayload(message: unknown): unknown {
  if (isRecord(message) && !('schemaVersion' in message)) {
    const member = typeof message.sqs === 'string' ? message.sqs : message.default;
    if (typeof member === 'string') return parseJson(member, 'the sqs member of the message');
  }
  return message;
}

export function parseAlertNotification(
  body: string,
  sqsAttributes?: SqsMessageAttributes,
): AlertNotification {
  if (typeof body !== 'string' || body.length === 0) throw new InvalidAlertNotificationError('empty body');
  if (body.length > MAX_BODY) throw new InvalidAlertNotificationError(`body of ${body.length} characters`);
  const outer = parseJson(body, 'the body');

  let message: unknown;
  let attributes: Record<string, string>;
  let delivery: 'raw' | 'envelope';
  let messageId: string | null = null;
  if (isRecord(outer) && outer.Type === 'Notification') {
    if (typeof outer.Message !== 'string')
      throw new InvalidAlertNotificationError('the envelope has no Message');
    message = parseJson(outer.Message, 'the Message of the envelope');
    attributes = envelopeAttributes(outer.MessageAttributes);
    delivery = 'envelope';
    messageId = typeof outer.MessageId === 'string' ? outer.MessageId : null;
  } else {
    message = outer;
    attributes = rawAttributes(sqsAttributes);
    delivery = 'raw';
  }

  let alert: Alert;
  try {
    alert = parseAlert(alertPayload(message));
  } catch (error) {
    if (error instanceof ZodError) {
      const fields = [...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))].slice(0, 10);
      throw new InvalidAlertNotificationError(
        `the alert does not match schema version 1 (${fields.join(', ')})`,
      );
    }
    throw error;
  }
  if (attributes.alertId !== undefined && attributes.alertId !== alert.id) {
    throw new InvalidAlertNotificationError(
      `attribute alertId ${attributes.alertId} is not the alert's id ${alert.id}`,
    );
  }
  return { alert, attributes, delivery, messageId };
}

/**
 * Publishing alerts to the agency's SNS topic. The SNS client should use the SDK's standard retry
 * mode (the default), which retries throttling and 5xx with backoff before anything surfaces here.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../domain/alert.ts';
import {
  type AlertPublishError,
  AlertsUnavailableError,
  InvalidAlertMessageError,
  PublishAccessDeniedError,
  PublishThrottledError,
  TopicNotFoundError,
} from './errors.ts';
import { messageSize, SNS_MAX_MESSAGE_BYTES, toAlertMessage } from './message.ts';

/** Port: where alerts go. The outbox depends on this, not on SNS. */
export interface AlertPublisher {
  /** Answers the message id. Throws an AlertPublishError. */
  publish(alert: Alert): Promise<string>;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

function translate(error: unknown, topicArn: string, alert: Alert): AlertPublishError {
  const failure = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = failure?.name ?? '';
  const options = { cause: error };
  switch (name) {
    case 'NotFoundException':
      return new TopicNotFoundError(topicArn, options);
    case 'AuthorizationErrorException':
    case 'KMSAccessDeniedException':
    case 'KMSDisabledException':
    case 'KMSInvalidStateException':
    case 'KMSNotFoundException':
    case 'InvalidSecurityException':
    case 'InvalidClientTokenId':
    case 'AccessDeniedException':
      return new PublishAccessDeniedError(topicArn, `${name}: ${failure.message ?? ''}`, options);
    case 'ThrottledException':
    case 'KMSThrottlingException':
    case 'Throttling':
    case 'ThrottlingException':
      return new PublishThrottledError(topicArn, options);
    case 'InvalidParameterException':
    case 'InvalidParameterValueException':
    case 'ValidationException':
      return new InvalidAlertMessageError(alert.id, `${name}: ${failure.message ?? ''}`, options);
  }
  const status = failure?.$metadata?.httpStatusCode ?? 0;
  if (NETWORK_CODES.has(failure?.code ?? '') || NETWORK_CODES.has(name) || status >= 500 || status === 0) {
    return new AlertsUnavailableError(
      `SNS unreachable or failing for ${topicArn} (${name || failure?.code || status})`,
      options,
    );
  }
  return new AlertsUnavailableError(
    `SNS refused the publish to ${topicArn} (${name}: ${failure?.message ?? ''})`,
    options,
  );
}

/** Publishes one alert; answers the SNS message id. Throws an AlertPublishError. */
export async function publishAlert(sns: SNSClient, topicArn: string, alert: Alert): Promise<string> {
  const message = toAlertMessage(alert);
  const size = messageSize(message);
  if (size > SNS_MAX_MESSAGE_BYTES) {
    throw new InvalidAlertMessageError(
      alert.id,
      `message of ${size} bytes is over the SNS limit of ${SNS_MAX_MESSAGE_BYTES}`,
    );
  }
  try {
    const answer = await sns.send(new PublishCommand({ TopicArn: topicArn, ...message }));
    if (!answer.MessageId)
      throw new AlertsUnavailableError(`SNS answered without a message id for alert ${alert.id}`);
    return answer.MessageId;
  } catch (error) {
    if (error instanceof AlertsUnavailableError) throw error;
    throw translate(error, topicArn, alert);
  }
}

export class SnsAlertPublisher implements AlertPublisher {
  readonly #sns: SNSClient;
  readonly topicArn: string;

  constructor(sns: SNSClient, topicArn: string) {
    this.#sns = sns;
    this.topicArn = topicArn;
  }

  publish(alert: Alert): Promise<string> {
    return publishAlert(this.#sns, this.topicArn, alert);
  }
}

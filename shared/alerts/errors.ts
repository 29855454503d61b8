/**
 * Failures of publishing to SNS, named so the outbox and the handlers can tell a wrong configuration
 * (no topic, no permission: nothing will go out until someone fixes it) from a passing outage.
 * Throttling and 5xx are retried by the SDK's standard retry mode before they surface here.
 */
export class AlertPublishError extends Error {
  /** Worth trying again later without changing anything. */
  readonly retriable: boolean;

  constructor(message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertPublishError';
    this.retriable = retriable;
  }
}

export class TopicNotFoundError extends AlertPublishError {
  readonly topicArn: string;

  constructor(topicArn: string, options?: { cause?: unknown }) {
    super(`SNS topic ${topicArn} does not exist: check the configured topic ARN`, false, options);
    this.name = 'TopicNotFoundError';
    this.topicArn = topicArn;
  }
}

/** IAM or the topic's KMS key refuses the publisher. */
export class PublishAccessDeniedError extends AlertPublishError {
  constructor(topicArn: string, reason: string, options?: { cause?: unknown }) {
    super(`not allowed to publish to ${topicArn}: ${reason}`, false, options);
    this.name = 'PublishAccessDeniedError';
  }
}

export class PublishThrottledError extends AlertPublishError {
  constructor(topicArn: string, options?: { cause?: unknown }) {
    super(`SNS kept throttling publishes to ${topicArn} after retries`, true, options);
    this.name = 'PublishThrottledError';
  }
}

/** Network failure, timeout, 5xx or a KMS outage. */
export class AlertsUnavailableError extends AlertPublishError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, true, options);
    this.name = 'AlertsUnavailableError';
  }
}

/** SNS refused the message itself (size, attributes): retrying the same message will not help. */
export class InvalidAlertMessageError extends AlertPublishError {
  readonly alertId: string;

  constructor(alertId: string, reason: string, options?: { cause?: unknown }) {
    super(`alert ${alertId} cannot be published: ${reason}`, false, options);
    this.name = 'InvalidAlertMessageError';
    this.alertId = alertId;
  }
}

/** A message received from the queue is not an alert notification this code understands. */
export class InvalidAlertNotificationError extends Error {
  constructor(reason: string) {
    super(`not an alert notification: ${reason}`);
    this.name = 'InvalidAlertNotificationError';
  }
}

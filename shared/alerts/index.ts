export { alertJsonSchema, alertSchema, parseAlert } from './alert-schema.ts';
export * from './errors.ts';
export {
  type AlertMessage,
  alertAttributes,
  alertEmailText,
  alertSmsText,
  alertSubject,
  messageSize,
  SNS_MAX_MESSAGE_BYTES,
  toAlertMessage,
} from './message.ts';
export {
  type AlertNotification,
  parseAlertNotification,
  type SqsMessageAttributes,
} from './notification.ts';
export {
  type OutboxFailure,
  type OutboxRun,
  type PublishPendingOptions,
  publishPendingAlerts,
} from './outbox.ts';
export { type AlertPublisher, publishAlert, SnsAlertPublisher } from './sns-publisher.ts';

/**
 * The outbox's publishing half (DESIGN invariant 1): alerts are stored as pending before anything is
 * published; here each pending alert is published, then marked published. A crash or a failure
 * between the two leaves it pending and it is published again on the next run: subscribers may see
 * an alert twice, with the same id in the message and in its `alertId` attribute, never zero times.
 */
import type { AlertOutbox } from '../store/repository.ts';
import type { AlertPublisher } from './sns-publisher.ts';

export interface PublishPendingOptions {
  /** Pending alerts taken per run. Default 100. */
  readonly limit?: number;
  /** Publishes in flight at once. Default 4. */
  readonly concurrency?: number;
}

export interface OutboxFailure {
  readonly alertId: string;
  /** publish: the alert did not go out. mark: it went out, but is still pending (it will go out again). */
  readonly stage: 'publish' | 'mark';
  readonly error: Error;
}

export interface OutboxRun {
  readonly published: { readonly alertId: string; readonly messageId: string }[];
  /** Every failure, for the caller to log and to fail the invocation on: nothing is swallowed here. */
  readonly failed: OutboxFailure[];
}

export async function publishPendingAlerts(
  outbox: AlertOutbox,
  publisher: AlertPublisher,
  options: PublishPendingOptions = {},
): Promise<OutboxRun> {
  const pending = await outbox.pendingAlerts(options.limit ?? 100);
  const run: OutboxRun = { published: [], failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const { alert } = pending[next++] as (typeof pending)[number];
      let messageId: string;
      try {
        messageId = await publisher.publish(alert);
      } catch (error) {
        run.failed.push({ alertId: alert.id, stage: 'publish', error: asError(error) });
        continue;
      }
      try {
        await outbox.markPublished(alert.id);
        run.published.push({ alertId: alert.id, messageId });
      } catch (error) {
        run.failed.push({ alertId: alert.id, stage: 'mark', error: asError(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, pending.length) }, worker));
  return run;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

import type { AlertOutbox, AlertRepository } from '../store/repository.ts';
import type { AlertPublisher } from './sns-publisher.ts';

export type StoredAlertPublication = 'published' | 'already-published' | 'not-found';

/**
 * Publishes one stored alert if it is still pending, then marks it published. Reading the item first
 * makes a redelivered stream record (a retry after a partial failure) publish nothing again.
 */
export async function publishStoredAlert(
  store: Pick<AlertRepository, 'getAlert'> & AlertOutbox,
  publisher: AlertPublisher,
  alertId: string,
): Promise<StoredAlertPublication> {
  const stored = await store.getAlert(alertId);
  if (!stored) return 'not-found';
  if (stored.outbox === 'published') return 'already-published';
  await publisher.publish(stored.alert);
  await store.markPublished(alertId);
  return 'published';
}

import type { Alert } from '../domain/alert.ts';
import { readMap, readNullableString, readString, type StoredItem } from './attributes.ts';
import { CorruptItemError } from './errors.ts';
import { ALERT_SK, alertPk, alertTimeSk, caseAlertsIndexPk, OUTBOX_PK } from './keys.ts';
import type { OutboxState, StoredAlert } from './repository.ts';

const WHAT = 'alert';

/**
 * The alert is kept whole as a map, plus the attributes queries and the stream filter need at the top
 * level (`outbox` is what the publish Lambda's stream filter matches on).
 */
export function alertToItem(alert: Alert, storedAt: string): StoredItem {
  return {
    pk: alertPk(alert.id),
    sk: ALERT_SK,
    gsi1pk: caseAlertsIndexPk(alert.caseId),
    gsi1sk: alertTimeSk(alert.timestamp, alert.id),
    entity: 'alert',
    alertId: alert.id,
    caseId: alert.caseId,
    chain: alert.chain,
    kind: alert.kind,
    severity: alert.severity,
    outbox: 'pending' satisfies OutboxState,
    storedAt,
    publishedAt: null,
    alert: JSON.parse(JSON.stringify(alert)) as StoredItem,
  };
}

/** Marks an alert as waiting for the publisher; keyed so that the oldest block time comes first. */
export function outboxMarkerKey(alert: Pick<Alert, 'id' | 'timestamp'>): { pk: string; sk: string } {
  return { pk: OUTBOX_PK, sk: alertTimeSk(alert.timestamp, alert.id) };
}

export function outboxMarkerToItem(alert: Alert, storedAt: string): StoredItem {
  return { ...outboxMarkerKey(alert), entity: 'outbox', alertId: alert.id, storedAt };
}

export function alertFromItem(item: StoredItem): StoredAlert {
  const outbox = readString(item, 'outbox', WHAT);
  if (outbox !== 'pending' && outbox !== 'published') throw new CorruptItemError(WHAT, `outbox ${outbox}`);
  const alert = readMap(item, 'alert', WHAT);
  if (typeof alert.id !== 'string' || typeof alert.caseId !== 'string' || typeof alert.kind !== 'string') {
    throw new CorruptItemError(WHAT, 'the alert has no id, caseId or kind');
  }
  return {
    alert: alert as unknown as Alert,
    outbox,
    storedAt: readString(item, 'storedAt', WHAT),
    publishedAt: readNullableString(item, 'publishedAt', WHAT),
  };
}

/**
 * The outbox's safety net in AWS. The table's stream hands each new alert to the publisher; when
 * publishing keeps failing (SNS or its key unavailable for longer than the stream's 10 retries), the
 * stream gives up on the record and only a position in the dead-letter queue is left, while the alert
 * stays pending. The sweep, run on a schedule, publishes every alert that has been pending longer than
 * a grace period, so such an alert goes out once SNS is back, with nobody re-driving it by hand.
 *
 * The grace period keeps the sweep off the stream's path: a fresh alert is the stream's to publish,
 * and both publishing it would send it twice (harmless, since subscribers see the same alert id, but
 * avoidable). A sweep can still race a stream retry of an old alert; that too only sends it twice.
 */
import type { AlertOutbox, StoredAlert } from '../store/repository.ts';
import { type OutboxFailure, publishPendingAlerts } from './outbox.ts';
import type { AlertPublisher } from './sns-publisher.ts';

/** Longer than the stream path takes in normal operation (seconds), short enough to matter. */
export const DEFAULT_SWEEP_GRACE_MS = 5 * 60_000;
const DEFAULT_PAGE_SIZE = 100;

export interface SweepOptions {
  /** Alerts stored less than this long ago are left to the stream path. Default 5 minutes. */
  readonly graceMs?: number;
  readonly now?: () => Date;
  /** Pending alerts read per page (oldest block time first). Default 100, at most 1000. */
  readonly pageSize?: number;
  /** Publishes in flight at once. Default 4 (the outbox's default). */
  readonly concurrency?: number;
  /** Asked before each further page: false stops the sweep (the invocation's remaining time). */
  readonly shouldContinue?: () => boolean;
}

export interface SweepRun {
  readonly published: { readonly alertId: string; readonly messageId: string }[];
  /** Every failure: the caller logs each, counts them and fails the invocation. */
  readonly failed: OutboxFailure[];
  /** Pending alerts seen but younger than the grace period: the stream is publishing them. */
  readonly leftToStream: number;
}

/**
 * Publishes the alerts pending for longer than the grace period, page after page while a page was
 * full, wholly stale and wholly published (each published alert leaves the outbox, so the next page
 * holds new ones). A page with a fresh alert or a failure ends the sweep: the next page would be read
 * behind a marker that is still there, and the next sweep comes soon anyway.
 */
export async function sweepStaleAlerts(
  outbox: AlertOutbox,
  publisher: AlertPublisher,
  options: SweepOptions = {},
): Promise<SweepRun> {
  const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    throw new RangeError(`sweep grace period must be a non-negative number of ms, got ${graceMs}`);
  }
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const shouldContinue = options.shouldContinue ?? (() => true);
  const published: SweepRun['published'] = [];
  const failed: SweepRun['failed'] = [];

  for (;;) {
    const cutoff = now().getTime() - graceMs;
    let page: readonly StoredAlert[] = [];
    let fresh = 0;
    // The outbox as the publishing code sees it, narrowed to the stale alerts of each page.
    const staleOutbox: AlertOutbox = {
      pendingAlerts: async (limit) => {
        page = await outbox.pendingAlerts(limit);
        const stale = page.filter((pending) => isStale(pending, cutoff));
        fresh = page.length - stale.length;
        return stale;
      },
      markPublished: (alertId) => outbox.markPublished(alertId),
    };
    const run = await publishPendingAlerts(staleOutbox, publisher, {
      limit: pageSize,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    });
    published.push(...run.published);
    failed.push(...run.failed);
    const fullAndDone = page.length === pageSize && fresh === 0 && run.failed.length === 0;
    // Earlier pages had no fresh alert, so the last page's count is the sweep's.
    if (!fullAndDone || !shouldContinue()) return { published, failed, leftToStream: fresh };
  }
}

/**
 * Stale unless provably younger than the cutoff: an unreadable `storedAt` must not keep an alert
 * from ever being swept.
 */
function isStale(pending: StoredAlert, cutoff: number): boolean {
  return !(Date.parse(pending.storedAt) > cutoff);
}

/** A sweep that left alerts unpublished: the invocation fails, so the function's error alarm fires. */
export class StaleAlertsNotPublishedError extends Error {
  readonly failures: readonly OutboxFailure[];

  constructor(failures: readonly OutboxFailure[]) {
    const first = failures[0];
    super(
      `${failures.length} alert(s) pending for longer than the grace period could not be published` +
        (first ? ` (first: ${first.alertId}, ${first.stage}: ${first.error.message})` : '') +
        '; they stay pending and the next sweep tries again',
    );
    this.name = 'StaleAlertsNotPublishedError';
    this.failures = failures;
  }
}

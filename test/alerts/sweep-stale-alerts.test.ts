import { describe, expect, it } from 'vitest';
import { AlertsUnavailableError } from '../../shared/alerts/errors.ts';
import type { AlertPublisher } from '../../shared/alerts/sns-publisher.ts';
import {
  DEFAULT_SWEEP_GRACE_MS,
  StaleAlertsNotPublishedError,
  sweepStaleAlerts,
} from '../../shared/alerts/sweep-stale-alerts.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import type { AlertOutbox, StoredAlert } from '../../shared/store/repository.ts';
import { sampleAlert } from '../store/fixtures.ts';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

/**
 * The outbox contract of the store, in memory: pending alerts oldest block time first, at most
 * `limit` per call, gone once marked published. Counts the pages read.
 */
class MemoryOutbox implements AlertOutbox {
  readonly #pending = new Map<string, StoredAlert>();
  pagesRead = 0;

  add(alert: Alert, storedAt: string): void {
    this.#pending.set(alert.id, { alert, outbox: 'pending', storedAt, publishedAt: null });
  }

  get pendingIds(): string[] {
    return [...this.#pending.keys()].sort();
  }

  async pendingAlerts(limit: number): Promise<StoredAlert[]> {
    this.pagesRead++;
    return [...this.#pending.values()]
      .sort((a, b) => (a.alert.timestamp ?? '').localeCompare(b.alert.timestamp ?? ''))
      .slice(0, limit);
  }

  async markPublished(alertId: string): Promise<boolean> {
    return this.#pending.delete(alertId);
  }
}

class RecordingPublisher implements AlertPublisher {
  readonly sent: string[] = [];
  readonly failing = new Set<string>();

  async publish(alert: Alert): Promise<string> {
    if (this.failing.has(alert.id)) throw new AlertsUnavailableError('SNS unreachable (test)');
    this.sent.push(alert.id);
    return `message-${alert.id}`;
  }
}

/** Alert n, with a block time that orders alerts by n. */
function alertNumber(n: number): Alert {
  return sampleAlert({
    caseId: 'c-sweep',
    tx: 500 + n,
    block: 1_000 + n,
    timestamp: `2026-11-19T00:${String(n).padStart(2, '0')}:00.000Z`,
  });
}

describe('sweeping alerts the stream path left pending', () => {
  it('publishes alerts pending longer than the grace period and leaves fresh ones to the stream', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    const stale = alertNumber(1);
    const fresh = alertNumber(2);
    const justOverGrace = alertNumber(3);
    outbox.add(stale, minutesAgo(60));
    outbox.add(fresh, minutesAgo(1));
    outbox.add(justOverGrace, new Date(NOW.getTime() - DEFAULT_SWEEP_GRACE_MS - 1).toISOString());

    const run = await sweepStaleAlerts(outbox, publisher, { now: () => NOW });

    expect(run.published.map((entry) => entry.alertId).sort()).toEqual([stale.id, justOverGrace.id].sort());
    expect(run.published.find((entry) => entry.alertId === stale.id)?.messageId).toBe(`message-${stale.id}`);
    expect(run.failed).toEqual([]);
    expect(run.leftToStream).toBe(1);
    expect(publisher.sent.sort()).toEqual([stale.id, justOverGrace.id].sort());
    expect(outbox.pendingIds).toEqual([fresh.id]);
  });

  it('takes the grace period it is given', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    outbox.add(alertNumber(1), minutesAgo(2));
    const patient = await sweepStaleAlerts(outbox, publisher, { now: () => NOW, graceMs: 3 * 60_000 });
    expect(patient.published).toEqual([]);
    expect(patient.leftToStream).toBe(1);
    const eager = await sweepStaleAlerts(outbox, publisher, { now: () => NOW, graceMs: 60_000 });
    expect(eager.published.map((entry) => entry.alertId)).toEqual([alertNumber(1).id]);
  });

  it('sweeps an alert whose storedAt cannot be read, rather than leaving it pending forever', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    outbox.add(alertNumber(1), 'not a time');
    const run = await sweepStaleAlerts(outbox, publisher, { now: () => NOW });
    expect(run.published.map((entry) => entry.alertId)).toEqual([alertNumber(1).id]);
  });

  it('reads page after page while each page was full and wholly published', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    const alerts = Array.from({ length: 7 }, (_, n) => alertNumber(n));
    for (const alert of alerts) outbox.add(alert, minutesAgo(30));

    const run = await sweepStaleAlerts(outbox, publisher, { now: () => NOW, pageSize: 3 });

    expect(run.published.map((entry) => entry.alertId).sort()).toEqual(alerts.map((a) => a.id).sort());
    // 3 + 3 + 1: the short third page ends the sweep.
    expect(outbox.pagesRead).toBe(3);
    expect(outbox.pendingIds).toEqual([]);
  });

  it('stops at a page holding a fresh alert: the stream is still at work there', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    const alerts = Array.from({ length: 6 }, (_, n) => alertNumber(n));
    alerts.forEach((alert, n) => {
      outbox.add(alert, n === 1 ? minutesAgo(0) : minutesAgo(30));
    });

    const run = await sweepStaleAlerts(outbox, publisher, { now: () => NOW, pageSize: 3 });

    expect(outbox.pagesRead).toBe(1);
    expect(run.published.map((entry) => entry.alertId).sort()).toEqual([alerts[0]?.id, alerts[2]?.id].sort());
    expect(run.leftToStream).toBe(1);
  });

  it('stops when the invocation runs out of time, after the page in hand', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    for (let n = 0; n < 9; n++) outbox.add(alertNumber(n), minutesAgo(30));

    const run = await sweepStaleAlerts(outbox, publisher, {
      now: () => NOW,
      pageSize: 3,
      shouldContinue: () => outbox.pagesRead < 2,
    });

    expect(outbox.pagesRead).toBe(2);
    expect(run.published).toHaveLength(6);
    expect(outbox.pendingIds).toHaveLength(3);
  });

  it('reports every failure, keeps those alerts pending and reads no further page', async () => {
    const outbox = new MemoryOutbox();
    const publisher = new RecordingPublisher();
    const alerts = Array.from({ length: 5 }, (_, n) => alertNumber(n));
    for (const alert of alerts) outbox.add(alert, minutesAgo(30));
    publisher.failing.add(alerts[0]?.id as string);
    publisher.failing.add(alerts[2]?.id as string);

    const run = await sweepStaleAlerts(outbox, publisher, { now: () => NOW, pageSize: 3 });

    expect(outbox.pagesRead).toBe(1);
    expect(run.failed.map((failure) => failure.alertId).sort()).toEqual(
      [alerts[0]?.id, alerts[2]?.id].sort(),
    );
    expect(run.failed.every((failure) => failure.stage === 'publish')).toBe(true);
    expect(run.published.map((entry) => entry.alertId)).toEqual([alerts[1]?.id]);
    expect(outbox.pendingIds).toEqual([alerts[0], alerts[2], alerts[3], alerts[4]].map((a) => a?.id).sort());

    const error = new StaleAlertsNotPublishedError(run.failed);
    expect(error.message).toMatch(
      /^2 alert\(s\) pending for longer than the grace period could not be published/,
    );
    expect(error.message).toContain('SNS unreachable (test)');
    expect(error.failures).toBe(run.failed);
  });

  it('refuses a negative grace period', async () => {
    await expect(
      sweepStaleAlerts(new MemoryOutbox(), new RecordingPublisher(), { graceMs: -1 }),
    ).rejects.toThrow(/grace period must be a non-negative/);
  });
});

import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowEdge } from '../../shared/domain/tracer.ts';
import type { DynamoDbStore } from '../../shared/store/dynamodb-store.ts';
import { AlertNotFoundError, InvalidStoreInputError } from '../../shared/store/errors.ts';
import { AGENT, address, sampleAlert, txHash } from './fixtures.ts';
import { type LocalStore, startLocalStore } from './local-table.ts';

function edge(block: number, tx: number, position: string, chain = 'ethereum'): FlowEdge {
  return {
    chain,
    txHash: txHash(tx),
    position,
    blockNumber: block,
    blockTime: 1_700_000_000 + block,
    from: address(1),
    to: address(2),
    asset: 'native',
    amount: 5n * 10n ** 18n,
    taintedAmount: 2n ** 70n,
    hop: 1,
    stop: block % 2 === 0 ? 'exchange' : null,
    counterparty: block % 2 === 0 ? { category: 'exchange', name: 'Binance', source: 'test' } : null,
  };
}

describe('alerts and the outbox on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;
  let clock = Date.parse('2026-11-20T12:00:00.000Z');

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore({ now: () => new Date(clock) });
  });
  afterAll(() => local?.close());

  it('stores an alert once, however often it is saved', async () => {
    const alert = sampleAlert({ caseId: 'c-once', tx: 1 });
    expect(await store.saveAlerts([alert])).toEqual({ stored: [alert.id], existing: [] });
    expect(await store.saveAlerts([alert])).toEqual({ stored: [], existing: [alert.id] });
    const listed = await store.listAlerts('c-once');
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toEqual({
      alert,
      outbox: 'pending',
      storedAt: new Date(clock).toISOString(),
      publishedAt: null,
    });
    expect(await store.getAlert(alert.id)).toEqual(listed.items[0]);
  });

  it('hands pending alerts to the publisher, oldest block first, until each is marked published', async () => {
    const fresh = await local.newStore({ now: () => new Date(clock) });
    const later = sampleAlert({
      caseId: 'c-outbox',
      tx: 2,
      block: 200,
      timestamp: '2026-11-20T11:00:00.000Z',
    });
    const earlier = sampleAlert({
      caseId: 'c-outbox',
      tx: 3,
      block: 100,
      timestamp: '2026-11-20T10:00:00.000Z',
    });
    await fresh.saveAlerts([later, earlier]);
    expect((await fresh.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([
      earlier.id,
      later.id,
    ]);
    expect((await fresh.pendingAlerts(1)).map((pending) => pending.alert.id)).toEqual([earlier.id]);

    expect(await fresh.markPublished(earlier.id)).toBe(true);
    expect(await fresh.markPublished(earlier.id)).toBe(false);
    expect((await fresh.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([later.id]);
    expect(await fresh.getAlert(earlier.id)).toMatchObject({
      outbox: 'published',
      publishedAt: new Date(clock).toISOString(),
    });
    await expect(fresh.markPublished('0'.repeat(32))).rejects.toBeInstanceOf(AlertNotFoundError);
    await expect(fresh.markPublished('not-an-id')).rejects.toBeInstanceOf(InvalidStoreInputError);

    // A replay after publication stores nothing new and publishes nothing again.
    expect(await fresh.saveAlerts([earlier])).toEqual({ stored: [], existing: [earlier.id] });
    expect((await fresh.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([later.id]);
    await fresh.markPublished(later.id);
    expect(await fresh.pendingAlerts(10)).toEqual([]);
  });

  it('removes a marker whose alert never arrived, but only after the grace period', async () => {
    const fresh = await local.newStore({ now: () => new Date(clock), orphanMarkerGraceMs: 60_000 });
    const doc = DynamoDBDocumentClient.from(local.client);
    // What a crash between the marker write and the alert write leaves behind.
    await doc.send(
      new PutCommand({
        TableName: fresh.tableName,
        Item: {
          pk: 'OUTBOX',
          sk: `2026-11-20T09:00:00.000Z#${'a'.repeat(32)}`,
          alertId: 'a'.repeat(32),
          storedAt: new Date(clock).toISOString(),
        },
      }),
    );
    const alert = sampleAlert({ caseId: 'c-orphan', tx: 4 });
    await fresh.saveAlerts([alert]);
    expect((await fresh.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([alert.id]);
    local.metrics.reset();
    clock += 120_000;
    expect((await fresh.pendingAlerts(10)).map((pending) => pending.alert.id)).toEqual([alert.id]);
    expect(local.metrics.byOperation().get('pendingAlerts.cleanup')?.requests).toBe(1);
    local.metrics.reset();
    await fresh.pendingAlerts(10);
    expect(local.metrics.byOperation().get('pendingAlerts.cleanup')).toBeUndefined();
  });

  it('lists a case alerts since a time, by kind and severity, page by page', async () => {
    const fresh = await local.newStore();
    const alerts = [
      sampleAlert({ caseId: 'c-q', tx: 10, kind: 'FUNDS_MOVED', timestamp: '2026-11-01T00:00:00.000Z' }),
      sampleAlert({ caseId: 'c-q', tx: 11, kind: 'MIXER_DEPOSIT', timestamp: '2026-11-02T00:00:00.000Z' }),
      sampleAlert({ caseId: 'c-q', tx: 12, kind: 'EXCHANGE_DEPOSIT', timestamp: '2026-11-03T00:00:00.000Z' }),
      sampleAlert({ caseId: 'c-q', tx: 13, kind: 'BRIDGE_DEPOSIT', timestamp: '2026-11-04T00:00:00.000Z' }),
      sampleAlert({ caseId: 'c-q', tx: 14, kind: 'FUNDS_MOVED', timestamp: null }),
      sampleAlert({ caseId: 'c-other', tx: 15, kind: 'FUNDS_MOVED' }),
    ];
    await fresh.saveAlerts(alerts);
    const ids = (page: { items: { alert: { id: string } }[] }) => page.items.map((item) => item.alert.id);
    const [moved, mixer, exchange, bridge, untimed] = alerts.map((alert) => alert.id);
    expect(ids(await fresh.listAlerts('c-q'))).toEqual([untimed, moved, mixer, exchange, bridge]);
    expect(ids(await fresh.listAlerts('c-q', { since: '2026-11-02' }))).toEqual([mixer, exchange, bridge]);
    expect(ids(await fresh.listAlerts('c-q', { since: '2026-11-02T00:00:00Z', newestFirst: true }))).toEqual([
      bridge,
      exchange,
      mixer,
    ]);
    expect(ids(await fresh.listAlerts('c-q', { severity: 'high' }))).toEqual([mixer, bridge]);
    expect(ids(await fresh.listAlerts('c-q', { kind: 'FUNDS_MOVED' }))).toEqual([untimed, moved]);

    const collected: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await fresh.listAlerts('c-q', { limit: 2, cursor });
      collected.push(...ids(page));
      cursor = page.cursor;
    } while (cursor);
    expect(collected).toEqual([untimed, moved, mixer, exchange, bridge]);
    await expect(fresh.listAlerts('c-q', { since: 'yesterday' })).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
  });
});

describe('flow edges on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore();
  });
  afterAll(() => local?.close());

  it('stores edges idempotently and lists them by chain and block', async () => {
    const edges = [
      edge(30, 3, 'log:2'),
      edge(10, 1, 'tx'),
      edge(20, 2, 'call:0.1'),
      edge(5, 9, 'tx', 'polygon'),
    ];
    await store.saveEdges(edges.map((e) => ({ caseId: 'c-edges', edge: e })));
    await store.saveEdges(edges.map((e) => ({ caseId: 'c-edges', edge: e })));
    const all = await store.listEdges('c-edges');
    expect(all.items).toHaveLength(4);
    expect(all.items.map((e) => `${e.chain}:${e.blockNumber}`)).toEqual([
      'ethereum:10',
      'ethereum:20',
      'ethereum:30',
      'polygon:5',
    ]);
    expect(all.items[2]).toEqual(edges[0]);
    const eth = await store.listEdges('c-edges', { chain: 'ethereum', limit: 2 });
    expect(eth.items.map((e) => e.blockNumber)).toEqual([10, 20]);
    const rest = await store.listEdges('c-edges', { chain: 'ethereum', cursor: eth.cursor });
    expect(rest.items.map((e) => e.blockNumber)).toEqual([30]);
    expect(rest.cursor).toBeUndefined();
  });

  it('refuses an edge whose identity cannot be a key', async () => {
    await expect(
      store.saveEdges([{ caseId: 'c-edges', edge: { ...edge(1, 1, 'tx'), txHash: 'abc' } }]),
    ).rejects.toBeInstanceOf(InvalidStoreInputError);
  });

  it('writes a batch of 60 edges in 3 requests', async () => {
    local.metrics.reset();
    await store.saveEdges(
      [...Array(60).keys()].map((i) => ({ caseId: 'c-many', edge: edge(100 + i, 100 + i, 'tx') })),
    );
    expect(local.metrics.total).toMatchObject({ requests: 3, itemsWritten: 60 });
  });
});

describe('labels on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore();
  });
  afterAll(() => local?.close());

  it('learns a deposit address once and loads learned and agency labels per chain', async () => {
    const learned = {
      chain: 'ethereum',
      address: address(0xd1),
      exchange: 'Binance',
      hotWallet: '0x28c6c06298d514db089934071355e5743bf21d60',
      txHash: txHash(77),
      blockNumber: 19_000_000,
    };
    expect(await store.saveLearnedDepositAddress(learned)).toBe(true);
    expect(await store.saveLearnedDepositAddress({ ...learned, txHash: txHash(78) })).toBe(false);
    await store.putAgencyLabel(
      'ethereum',
      address(0xd2),
      { category: 'other', name: 'Suspect OTC desk', source: 'FIU report 42' },
      AGENT,
    );
    await store.putAgencyLabel(
      'ethereum',
      address(0xd2),
      { category: 'other', name: 'Known OTC desk', source: 'FIU report 43' },
      AGENT,
    );
    await store.putAgencyLabel(
      'polygon',
      address(0xd3),
      { category: 'exchange', name: 'Kraken', source: 'agency' },
      AGENT,
    );

    const [deposit] = await store.getLabels('ethereum', address(0xd1));
    expect(deposit).toMatchObject({
      origin: 'learned',
      txHash: txHash(77),
      blockNumber: 19_000_000,
      label: { category: 'exchange', name: 'Binance', depositOf: learned.hotWallet },
    });
    const ethereum = await store.loadLabels('ethereum');
    expect(ethereum.map((stored) => `${stored.address}:${stored.origin}:${stored.label.name}`)).toEqual([
      `${address(0xd1)}:learned:Binance`,
      `${address(0xd2)}:agency:Known OTC desk`,
    ]);
    expect((await store.loadLabels('polygon')).map((stored) => stored.label.name)).toEqual(['Kraken']);
    await expect(
      store.putAgencyLabel(
        'ethereum',
        address(1),
        { category: 'casino' as never, name: 'x', source: 'y' },
        AGENT,
      ),
    ).rejects.toBeInstanceOf(InvalidStoreInputError);
  });
});

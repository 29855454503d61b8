import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '../../shared/store/dynamodb-store.ts';
import {
  BackfillChangedError,
  CaseExistsError,
  CaseNotFoundError,
  InvalidCursorError,
  InvalidStoreInputError,
  SeedExistsError,
  SeedNotFoundError,
} from '../../shared/store/errors.ts';
import { toDomainCase } from '../../shared/store/repository.ts';
import { AGENT, address, DEFINITION } from './fixtures.ts';
import { type LocalStore, startLocalStore } from './local-table.ts';

const at = (minute: number) => ({ ...AGENT, at: `2026-11-20T10:${String(minute).padStart(2, '0')}:00.000Z` });

describe('cases, seeds and the audit trail on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore();
  });
  afterAll(() => local?.close());

  it('creates a case once and reads it back with bigints and tokens intact', async () => {
    const created = await store.createCase('c-create', DEFINITION, at(0));
    expect(created.status).toBe('open');
    const read = await store.getCase('c-create');
    expect(read).toEqual(created);
    expect(read?.minAmounts['ethereum:native']).toBe(10n ** 16n);
    expect(read?.extraTokens.ethereum?.[0]?.minAmount).toBe(1_000_000n);
    await expect(store.createCase('c-create', DEFINITION, at(1))).rejects.toBeInstanceOf(CaseExistsError);
    expect(await store.getCase('c-missing')).toBeUndefined();
  });

  it('updates fields, status and backfill progress; a missing case is a named error', async () => {
    await store.createCase('c-update', DEFINITION, at(0));
    const updated = await store.updateCase(
      'c-update',
      { name: 'Renamed', maxHops: 3, minAmounts: { 'ethereum:native': 5n }, status: 'closed' },
      at(5),
    );
    expect(updated).toMatchObject({ name: 'Renamed', maxHops: 3, status: 'closed', updatedAt: at(5).at });
    expect(updated.minAmounts).toEqual({ 'ethereum:native': 5n });
    expect(updated.model).toBe('haircut');
    await store.setBackfillProgress('c-update', 'ethereum', {
      fromBlock: 100,
      toBlock: 200,
      doneThrough: 150,
      updatedAt: at(6).at,
    });
    expect((await store.getCase('c-update'))?.backfill.ethereum).toEqual({
      fromBlock: 100,
      toBlock: 200,
      doneThrough: 150,
      updatedAt: at(6).at,
    });
    await expect(store.updateCase('c-nope', { name: 'x' }, at(7))).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      store.setBackfillProgress('c-nope', 'ethereum', {
        fromBlock: 1,
        toBlock: 2,
        doneThrough: null,
        updatedAt: at(7).at,
      }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    // The failed update did not create an item.
    expect(await store.getCase('c-nope')).toBeUndefined();
  });

  it('writes backfill progress only over the progress the worker read, when told which', async () => {
    await store.createCase('c-backfill', DEFINITION, at(0));
    const started = { fromBlock: 100, toBlock: 200, doneThrough: null, updatedAt: at(1).at };
    await store.setBackfillProgress('c-backfill', 'ethereum', started);
    const advanced = { ...started, doneThrough: 120, updatedAt: at(2).at };
    await store.setBackfillProgress('c-backfill', 'ethereum', advanced, started);
    // Meanwhile a seed with an earlier block restarts the backfill (the API does not pass `expected`).
    const restarted = { fromBlock: 50, toBlock: 200, doneThrough: null, updatedAt: at(3).at };
    await store.setBackfillProgress('c-backfill', 'ethereum', restarted);
    // The worker, still holding `advanced`, must not overwrite the restart.
    await expect(
      store.setBackfillProgress(
        'c-backfill',
        'ethereum',
        { ...advanced, doneThrough: 140, updatedAt: at(4).at },
        advanced,
      ),
    ).rejects.toBeInstanceOf(BackfillChangedError);
    expect((await store.getCase('c-backfill'))?.backfill.ethereum).toEqual(restarted);
    await expect(store.setBackfillProgress('c-gone', 'ethereum', advanced, started)).rejects.toBeInstanceOf(
      CaseNotFoundError,
    );
  });

  it('rejects ids and values that would corrupt keys', async () => {
    await expect(store.createCase('a#WALLETS', DEFINITION, at(0))).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
    await expect(store.getCase('../etc')).rejects.toBeInstanceOf(InvalidStoreInputError);
    await expect(store.createCase('c-bad', { ...DEFINITION, maxHops: 5000 }, at(0))).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
  });

  it('lists cases newest first through an opaque cursor, with a status filter', async () => {
    const fresh = await local.newStore();
    for (let i = 0; i < 5; i++) await fresh.createCase(`c-list-${i}`, DEFINITION, at(10 + i));
    await fresh.updateCase('c-list-1', { status: 'closed' }, at(20));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await fresh.listCases({ limit: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['c-list-4', 'c-list-3', 'c-list-2', 'c-list-1', 'c-list-0']);
    expect(pages).toBeGreaterThanOrEqual(3);
    const open = await fresh.listCases({ status: 'open' });
    expect(open.items.map((item) => item.id)).toEqual(['c-list-4', 'c-list-3', 'c-list-2', 'c-list-0']);
    await expect(fresh.listCases({ limit: 0 })).rejects.toBeInstanceOf(InvalidStoreInputError);
  });

  it('validates cursors: garbage and cursors of another list are refused', async () => {
    await store.createCase('c-cursor-a', DEFINITION, at(0));
    await store.createCase('c-cursor-b', DEFINITION, at(0));
    for (const chain of ['ethereum', 'polygon']) {
      await store.addSeed('c-cursor-a', { chain, address: address(1) }, at(1));
    }
    const page = await store.listSeeds('c-cursor-a', { limit: 1 });
    expect(page.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const cursor = page.cursor as string;
    await expect(store.listSeeds('c-cursor-b', { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listCases({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listSeeds('c-cursor-a', { cursor: 'not a cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    const forged = Buffer.from(JSON.stringify({ pk: 'CASE#c-cursor-a', sk: 'AUDIT#x' })).toString(
      'base64url',
    );
    await expect(store.listSeeds('c-cursor-a', { cursor: forged })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    const next = await store.listSeeds('c-cursor-a', { cursor, limit: 1 });
    expect(next.items.map((seed) => seed.chain)).toEqual(['polygon']);
  });

  it('adds seeds once, bumps the chain taint epoch, removes them, and keeps an audit trail', async () => {
    await store.createCase('c-seeds', DEFINITION, at(0));
    const before = (await store.getCheckpoint('gnosis')).taintEpoch;
    const seed = await store.addSeed(
      'c-seeds',
      { chain: 'gnosis', address: address(7), note: 'received the stolen funds', fromBlock: 123 },
      at(1),
    );
    expect(seed).toEqual({
      caseId: 'c-seeds',
      chain: 'gnosis',
      address: address(7),
      note: 'received the stolen funds',
      fromBlock: 123,
      addedBy: AGENT.by,
      addedAt: at(1).at,
    });
    expect(await store.getSeed('c-seeds', 'gnosis', address(7))).toEqual(seed);
    expect((await store.getCheckpoint('gnosis')).taintEpoch).toBe(before + 1);
    await expect(
      store.addSeed('c-seeds', { chain: 'gnosis', address: address(7) }, at(2)),
    ).rejects.toBeInstanceOf(SeedExistsError);
    await expect(
      store.addSeed('c-none', { chain: 'gnosis', address: address(7) }, at(2)),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(
      store.addSeed(
        'c-seeds',
        { chain: 'gnosis', address: '0xABCDEF0000000000000000000000000000000000' },
        at(2),
      ),
    ).rejects.toBeInstanceOf(InvalidStoreInputError);

    await store.removeSeed('c-seeds', 'gnosis', address(7), at(3));
    expect(await store.getSeed('c-seeds', 'gnosis', address(7))).toBeUndefined();
    expect((await store.getCheckpoint('gnosis')).taintEpoch).toBe(before + 2);
    await expect(store.removeSeed('c-seeds', 'gnosis', address(7), at(4))).rejects.toBeInstanceOf(
      SeedNotFoundError,
    );

    const audit = await store.listAudit('c-seeds');
    expect(audit.items.map((entry) => entry.action)).toEqual(['case.created', 'seed.added', 'seed.removed']);
    expect(audit.items[1]).toMatchObject({
      by: AGENT.by,
      details: { chain: 'gnosis', address: address(7), fromBlock: 123 },
    });
    expect(audit.items[0]?.details).toMatchObject({ minAmounts: { 'ethereum:native': '10000000000000000' } });
  });

  it('loads the open cases with all their seeds for the ingester', async () => {
    const fresh = await local.newStore();
    await fresh.createCase('c-open', DEFINITION, at(0));
    await fresh.createCase('c-closed', DEFINITION, at(0));
    for (let i = 0; i < 3; i++)
      await fresh.addSeed('c-open', { chain: 'ethereum', address: address(100 + i) }, at(1));
    await fresh.addSeed('c-closed', { chain: 'ethereum', address: address(200) }, at(1));
    await fresh.updateCase('c-closed', { status: 'closed' }, at(2));
    const open = await fresh.loadOpenCases();
    expect(open.map((entry) => entry.record.id)).toEqual(['c-open']);
    const domain = toDomainCase(open[0] as (typeof open)[0]);
    expect(domain.seeds).toEqual([0, 1, 2].map((i) => ({ chain: 'ethereum', address: address(100 + i) })));
    expect(domain.minAmounts).toEqual(DEFINITION.minAmounts);
  });
});

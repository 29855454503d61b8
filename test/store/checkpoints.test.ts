import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '../../shared/store/dynamodb-store.ts';
import { CheckpointConflictError, InvalidStoreInputError } from '../../shared/store/errors.ts';
import { txHash } from './fixtures.ts';
import { type LocalStore, startLocalStore } from './local-table.ts';

describe('per-chain checkpoints on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore();
  });
  afterAll(() => local?.close());

  it('starts empty, then moves forward from the block it was read at', async () => {
    expect(await store.getCheckpoint('ethereum')).toEqual({
      chain: 'ethereum',
      block: null,
      blockHash: null,
      taintEpoch: 0,
      inFlightTo: null,
    });
    await store.advanceCheckpoint('ethereum', null, 100, txHash(100));
    await store.advanceCheckpoint('ethereum', 100, 150, txHash(150));
    expect(await store.getCheckpoint('ethereum')).toMatchObject({ block: 150, blockHash: txHash(150) });
  });

  it('lets exactly one of two racing writers advance the same checkpoint', async () => {
    await store.advanceCheckpoint('polygon', null, 10, txHash(10));
    const outcomes = await Promise.allSettled([
      store.advanceCheckpoint('polygon', 10, 20, txHash(20)),
      store.advanceCheckpoint('polygon', 10, 25, txHash(25)),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(CheckpointConflictError);
    expect((lost[0] as CheckpointConflictError).expectedBlock).toBe(10);
    const { block } = await store.getCheckpoint('polygon');
    expect([20, 25]).toContain(block);
  });

  it('refuses a first checkpoint when one exists, and a stale expected block', async () => {
    await store.advanceCheckpoint('base', null, 5, txHash(5));
    await expect(store.advanceCheckpoint('base', null, 6, txHash(6))).rejects.toBeInstanceOf(
      CheckpointConflictError,
    );
    await expect(store.advanceCheckpoint('base', 4, 6, txHash(6))).rejects.toBeInstanceOf(
      CheckpointConflictError,
    );
    expect((await store.getCheckpoint('base')).block).toBe(5);
  });

  it('refuses to move backwards or to store a malformed hash', async () => {
    await store.advanceCheckpoint('optimism', null, 50, txHash(50));
    await expect(store.advanceCheckpoint('optimism', 50, 50, txHash(50))).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
    await expect(store.advanceCheckpoint('optimism', 50, 60, '0xABC')).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
  });

  it('records the range in flight and clears it when the checkpoint advances', async () => {
    await store.startRange('arbitrum', null, 99);
    expect(await store.getCheckpoint('arbitrum')).toMatchObject({ block: null, inFlightTo: 99 });
    await store.advanceCheckpoint('arbitrum', null, 99, txHash(99));
    await store.startRange('arbitrum', 99, 120);
    expect(await store.getCheckpoint('arbitrum')).toMatchObject({ block: 99, inFlightTo: 120 });
    await expect(store.startRange('arbitrum', 98, 130)).rejects.toBeInstanceOf(CheckpointConflictError);
    await store.advanceCheckpoint('arbitrum', 99, 120, txHash(120));
    expect(await store.getCheckpoint('arbitrum')).toMatchObject({ block: 120, inFlightTo: null });
  });

  it('counts the taint epoch per chain without touching the checkpoint', async () => {
    expect(await store.bumpTaintEpoch('bsc')).toBe(1);
    expect(await store.bumpTaintEpoch('bsc')).toBe(2);
    // The epoch created the item; the first checkpoint write still expects "no block yet".
    await store.advanceCheckpoint('bsc', null, 7, txHash(7));
    expect(await store.bumpTaintEpoch('bsc')).toBe(3);
    expect(await store.getCheckpoint('bsc')).toMatchObject({ block: 7, taintEpoch: 3 });
    expect((await store.getCheckpoint('avalanche')).taintEpoch).toBe(0);
  });

  it('rejects a chain name that could reach another item key', async () => {
    await expect(store.getCheckpoint('ethereum#x')).rejects.toBeInstanceOf(InvalidStoreInputError);
  });
});

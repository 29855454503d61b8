import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from '../../shared/domain/address.ts';
import type { Case } from '../../shared/domain/case.ts';
import type { ChainInfo } from '../../shared/domain/chain.ts';
import type { Label, LabelDirectory } from '../../shared/domain/label.ts';
import { pathToLink, seedWallet, type TaintedWallet, TaintLedger } from '../../shared/domain/taint-ledger.ts';
import { CaseTracer, processOrdered } from '../../shared/domain/tracer.ts';
import type { Transfer } from '../../shared/domain/transfer.ts';
import type { DynamoDbStore } from '../../shared/store/dynamodb-store.ts';
import {
  InvalidCursorError,
  InvalidStoreInputError,
  WalletNotLoadedError,
} from '../../shared/store/errors.ts';
import { type BlockRange, walletMapKey } from '../../shared/store/repository.ts';
import { WalletAheadOfRangeError } from '../../shared/store/wallet-range-session.ts';
import { address, txHash } from './fixtures.ts';
import { type LocalStore, startLocalStore } from './local-table.ts';

const ETH = 10n ** 18n;

function wallet(addr: Address, hop: number, balance: bigint, tainted: bigint, firstBlock = 1): TaintedWallet {
  const path = [...Array(hop + 1).keys()].map((i) =>
    i === hop
      ? { address: addr, txHash: hop === 0 ? null : txHash(1000 + hop) }
      : { address: address(900 + i), txHash: i === 0 ? null : txHash(1000 + i) },
  );
  return {
    address: addr,
    seed: hop === 0,
    link: pathToLink(path),
    holdings: new Map([['native', { balance, tainted, taintedIn: tainted }]]),
    firstBlock,
  };
}

function holdingOf(found: TaintedWallet | undefined) {
  return found?.holdings.get('native');
}

describe('tainted wallets on dynalite', () => {
  let local: LocalStore;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await startLocalStore();
    store = await local.newStore();
  });
  afterAll(() => local?.close());

  it('round-trips a wallet: holdings beyond 64 bits, the path, the seed flag', async () => {
    const big = 2n ** 100n + 7n;
    const original: TaintedWallet = {
      ...wallet(address(1), 2, big, big - 5n, 42),
      holdings: new Map([
        ['native', { balance: big, tainted: big - 5n, taintedIn: big }],
        ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', { balance: 10n, tainted: 0n, taintedIn: 3n }],
      ]),
    };
    const session = store.walletRange('ethereum', { from: 1, to: 10 });
    expect((await session.load([{ caseId: 'c-round', address: address(1) }])).size).toBe(0);
    await session.save([{ caseId: 'c-round', wallet: original }]);
    const next = store.walletRange('ethereum', { from: 11, to: 20 });
    const loaded = (await next.load([{ caseId: 'c-round', address: address(1) }])).get(
      walletMapKey('c-round', address(1)),
    );
    expect(loaded).toEqual(original);
    expect(loaded?.link.hop).toBe(2);
    const stored = await store.getWallet('c-round', 'ethereum', address(1));
    expect(stored).toMatchObject({ caseId: 'c-round', chain: 'ethereum', asOfBlock: 10 });
  });

  it('answers the pre-range state after a crash, whatever end the retried range has', async () => {
    const caseId = 'c-crash';
    const w = address(10);
    const fresh = address(11);
    const committed = store.walletRange('ethereum', { from: 1, to: 10 });
    await committed.load([{ caseId, address: w }]);
    await committed.save([{ caseId, wallet: wallet(w, 1, 10n * ETH, 10n * ETH) }]);
    // checkpoint would now be 10

    const crashed = store.walletRange('ethereum', { from: 11, to: 20 });
    const before = await crashed.load([
      { caseId, address: w },
      { caseId, address: fresh },
    ]);
    const touched = before.get(walletMapKey(caseId, w)) as TaintedWallet;
    (holdingOf(touched) as { balance: bigint }).balance -= 4n * ETH;
    await crashed.save([
      { caseId, wallet: touched },
      { caseId, wallet: wallet(fresh, 2, 4n * ETH, 4n * ETH, 12) },
    ]);
    // crash: the checkpoint stays at 10

    for (const range of [
      { from: 11, to: 20 },
      { from: 11, to: 25 },
      { from: 11, to: 11 },
    ] satisfies BlockRange[]) {
      const retry = store.walletRange('ethereum', range);
      const seen = await retry.load([
        { caseId, address: w },
        { caseId, address: fresh },
      ]);
      expect(holdingOf(seen.get(walletMapKey(caseId, w)))?.balance).toBe(10n * ETH);
      expect(seen.has(walletMapKey(caseId, fresh))).toBe(false);
    }

    // The retry commits [11, 25]; the next range starts from its result, not from the crashed one.
    const retry = store.walletRange('ethereum', { from: 11, to: 25 });
    const again = await retry.load([{ caseId, address: w }]);
    const redone = again.get(walletMapKey(caseId, w)) as TaintedWallet;
    (holdingOf(redone) as { balance: bigint }).balance -= 4n * ETH;
    await retry.save([{ caseId, wallet: redone }]);
    // checkpoint 10 -> 25
    const after = await store.walletRange('ethereum', { from: 26, to: 30 }).load([{ caseId, address: w }]);
    expect(holdingOf(after.get(walletMapKey(caseId, w)))?.balance).toBe(6n * ETH);
  });

  it('refuses to save a wallet the session did not load, and ranges that go backwards', async () => {
    const session = store.walletRange('ethereum', { from: 1, to: 5 });
    await expect(
      session.save([{ caseId: 'c-guard', wallet: wallet(address(20), 0, 1n, 1n) }]),
    ).rejects.toBeInstanceOf(WalletNotLoadedError);
    await session.load([{ caseId: 'c-guard', address: address(21) }]);
    await session.save([{ caseId: 'c-guard', wallet: wallet(address(21), 0, 1n, 1n) }]);
    const second = store.walletRange('ethereum', { from: 6, to: 9 });
    await second.load([{ caseId: 'c-guard', address: address(21) }]);
    await second.save([{ caseId: 'c-guard', wallet: wallet(address(21), 0, 2n, 2n) }]);
    await expect(
      store.walletRange('ethereum', { from: 3, to: 4 }).load([{ caseId: 'c-guard', address: address(21) }]),
    ).rejects.toBeInstanceOf(WalletAheadOfRangeError);
    expect(() => store.walletRange('ethereum', { from: 9, to: 3 })).toThrow(/empty block range/);
  });

  it('reads and writes hundreds of wallets in batches of 100 and 25', async () => {
    const keys = [...Array(250).keys()].map((i) => ({ caseId: 'c-batch', address: address(10_000 + i) }));
    const first = store.walletRange('ethereum', { from: 1, to: 1 });
    await first.load(keys);
    local.metrics.reset();
    await first.save(
      keys.map((key, i) => ({
        caseId: key.caseId,
        wallet: wallet(key.address, 1, BigInt(i + 1), BigInt(i)),
      })),
    );
    const writes = local.metrics.byOperation().get('walletRange.save');
    expect(writes).toMatchObject({ requests: 10, itemsWritten: 250 });

    local.metrics.reset();
    const absent = [...Array(10).keys()].map((i) => ({ caseId: 'c-batch', address: address(20_000 + i) }));
    const loaded = await store
      .walletRange('ethereum', { from: 2, to: 2 })
      .load([...keys, ...absent, ...keys.slice(0, 5)]);
    expect(loaded.size).toBe(250);
    for (const [i, key] of keys.entries()) {
      expect(holdingOf(loaded.get(walletMapKey(key.caseId, key.address)))?.balance).toBe(BigInt(i + 1));
    }
    const reads = local.metrics.byOperation().get('walletRange.load');
    expect(reads).toMatchObject({ requests: 3, itemsRead: 250 });
    expect(reads?.readUnits).toBeGreaterThan(0);
  });

  it('gives the ingester the tainted addresses of each case on one chain', async () => {
    const fresh = await local.newStore();
    const save = async (chain: string, caseId: string, addr: Address, hop: number) => {
      const session = fresh.walletRange(chain, { from: 1, to: 1 });
      await session.load([{ caseId, address: addr }]);
      await session.save([{ caseId, wallet: wallet(addr, hop, 1n, 1n) }]);
    };
    await save('ethereum', 'c-a', address(1), 0);
    await save('ethereum', 'c-a', address(2), 1);
    await save('polygon', 'c-a', address(3), 1);
    await save('ethereum', 'c-b', address(2), 0);
    const tainted = await fresh.loadTaintedAddresses('ethereum', ['c-a', 'c-b', 'c-none']);
    expect(tainted.get('c-a')).toEqual(new Set([address(1), address(2)]));
    expect(tainted.get('c-b')).toEqual(new Set([address(2)]));
    expect(tainted.get('c-none')).toEqual(new Set());
  });

  it('resets a case wallets on one chain, so a backfill can trace it again from an earlier block', async () => {
    const fresh = await local.newStore();
    const put = async (chain: string, caseId: string, addresses: Address[], range: BlockRange) => {
      const session = fresh.walletRange(chain, range);
      await session.load(addresses.map((addr) => ({ caseId, address: addr })));
      await session.save(addresses.map((addr) => ({ caseId, wallet: wallet(addr, 1, 1n, 1n) })));
    };
    const many = [...Array(30).keys()].map((i) => address(300 + i));
    await put('ethereum', 'c-reset', many, { from: 500, to: 600 });
    await put('polygon', 'c-reset', [address(1)], { from: 500, to: 600 });
    await put('ethereum', 'c-keep', [address(300)], { from: 500, to: 600 });

    expect(await fresh.resetCaseWallets('c-reset', 'ethereum')).toBe(30);
    expect((await fresh.listWallets('c-reset', { chain: 'ethereum' })).items).toEqual([]);
    expect((await fresh.listWallets('c-reset')).items.map((item) => item.chain)).toEqual(['polygon']);
    expect(await fresh.getWallet('c-keep', 'ethereum', address(300))).toBeDefined();
    // Tracing from block 100 now starts from nothing instead of refusing the older range.
    const again = fresh.walletRange('ethereum', { from: 100, to: 120 });
    expect((await again.load([{ caseId: 'c-reset', address: address(300) }])).size).toBe(0);
    expect(await fresh.resetCaseWallets('c-reset', 'ethereum')).toBe(0);
  });

  it('lists a case wallets by chain and hop, page by page', async () => {
    const fresh = await local.newStore();
    const session = fresh.walletRange('ethereum', { from: 1, to: 1 });
    const wallets = [0, 1, 1, 2, 2, 2].map((hop, i) => wallet(address(50 + i), hop, 1n, 1n));
    await session.load(wallets.map((w) => ({ caseId: 'c-list', address: w.address })));
    await session.save(wallets.map((w) => ({ caseId: 'c-list', wallet: w })));
    const other = fresh.walletRange('polygon', { from: 1, to: 1 });
    await other.load([{ caseId: 'c-list', address: address(70) }]);
    await other.save([{ caseId: 'c-list', wallet: wallet(address(70), 1, 1n, 1n) }]);

    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await fresh.listWallets('c-list', { chain: 'ethereum', limit: 4, cursor });
      all.push(...page.items.map((item) => `${item.wallet.link.hop}:${item.wallet.address}`));
      cursor = page.cursor;
    } while (cursor);
    expect(all).toEqual(wallets.map((w) => `${w.link.hop}:${w.address}`));

    const hopTwo = await fresh.listWallets('c-list', { chain: 'ethereum', hop: 2, limit: 2 });
    expect(hopTwo.items.map((item) => item.wallet.address)).toEqual([address(53), address(54)]);
    await expect(
      fresh.listWallets('c-list', { chain: 'ethereum', hop: 1, cursor: hopTwo.cursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    const everything = await fresh.listWallets('c-list');
    expect(everything.items).toHaveLength(7);
    await expect(fresh.listWallets('c-list', { hop: 1 })).rejects.toBeInstanceOf(InvalidStoreInputError);
  });
});

// ------------------------------------------------------------------------------------------------
// The same replay protection seen from the ingester's side, with the real tracer.

const CHAIN: ChainInfo = {
  name: 'ethereum',
  chainId: 1,
  nativeSymbol: 'ETH',
  nativeDecimals: 18,
  explorerUrl: 'https://etherscan.io',
  nativeMinAmount: 10n ** 15n,
};

class MapLabels implements LabelDirectory {
  readonly #labels = new Map<string, Label[]>();
  labelsOf(_chain: string, addr: Address): readonly Label[] | undefined {
    return this.#labels.get(addr);
  }
  learn(_chain: string, addr: Address, label: Label): boolean {
    const list = this.#labels.get(addr) ?? [];
    if (list.some((known) => known.category === label.category && known.name === label.name)) return false;
    this.#labels.set(addr, [...list, label]);
    return true;
  }
}

const SEED = address(0xa1);
const CASE: Case = {
  id: 'c-tracer',
  name: 'Replay',
  seeds: [{ chain: 'ethereum', address: SEED }],
  model: 'haircut',
  maxHops: 6,
  minAmounts: {},
  extraTokens: {},
};

function transfer(block: number, from: Address, to: Address, eth: bigint): Transfer {
  return {
    chain: 'ethereum',
    blockNumber: block,
    blockTime: 1_700_000_000 + block * 12,
    txHash: txHash(block * 1000 + Number(eth)),
    txIndex: 0,
    position: 'tx',
    from,
    to,
    asset: 'native',
    amount: eth * ETH,
    kind: 'native',
  };
}

const [A, B, C, D, X] = [0xb1, 0xb2, 0xb3, 0xb4, 0xc1].map(address) as [
  Address,
  Address,
  Address,
  Address,
  Address,
];
const HISTORY: Transfer[] = [
  transfer(5, SEED, A, 10n),
  transfer(12, A, B, 4n),
  transfer(15, X, A, 6n),
  transfer(18, A, C, 3n),
  transfer(25, B, D, 2n),
  transfer(28, C, A, 1n),
];

/** A minimal ingester step: load every address the range mentions, trace, save, maybe advance. */
async function ingest(
  store: DynamoDbStore,
  range: BlockRange,
  options: { crash?: boolean } = {},
): Promise<void> {
  const checkpoint = await store.getCheckpoint('ethereum');
  const transfers = HISTORY.filter((t) => t.blockNumber >= range.from && t.blockNumber <= range.to);
  const session = store.walletRange('ethereum', range);
  const addresses = new Set([SEED, ...transfers.flatMap((t) => [t.from, t.to])]);
  const loaded = await session.load([...addresses].map((addr) => ({ caseId: CASE.id, address: addr })));
  const ledger = new TaintLedger();
  for (const found of loaded.values()) ledger.load(found);
  if (!ledger.has(SEED)) ledger.put(seedWallet(SEED));
  const tracer = new CaseTracer(
    CASE,
    { chain: CHAIN, tokens: { tokenOf: () => undefined }, labels: new MapLabels() },
    ledger,
  );
  const outcome = processOrdered(tracer, transfers);
  await session.save([...ledger.changed()].map((changed) => ({ caseId: CASE.id, wallet: changed })));
  await store.saveEdges(outcome.edges.map((edge) => ({ caseId: CASE.id, edge })));
  await store.saveAlerts(outcome.alerts);
  if (options.crash) return;
  await store.advanceCheckpoint('ethereum', checkpoint.block, range.to, txHash(range.to));
}

async function finalState(store: DynamoDbStore) {
  const page = await store.listWallets(CASE.id, { chain: 'ethereum' });
  const alerts = await store.listAlerts(CASE.id);
  const edges = await store.listEdges(CASE.id);
  return {
    wallets: page.items.map((item) => ({
      address: item.wallet.address,
      holdings: item.wallet.holdings,
      hop: item.wallet.link.hop,
    })),
    alerts: alerts.items.map((item) => item.alert.id),
    edges: edges.items.map((edge) => `${edge.txHash}:${edge.taintedAmount}`),
  };
}

describe('a crash between wallet writes and the checkpoint, with the real tracer', () => {
  let local: LocalStore;

  beforeAll(async () => {
    local = await startLocalStore();
  });
  afterAll(() => local?.close());

  it('ends in the same state as a run that never crashed', async () => {
    const control = await local.newStore();
    for (const range of [
      { from: 1, to: 10 },
      { from: 11, to: 20 },
      { from: 21, to: 30 },
    ]) {
      await ingest(control, range);
    }
    const expected = await finalState(control);
    expect(expected.wallets.map((w) => w.address)).toEqual([SEED, A, B, C, D]);

    const crashing = await local.newStore();
    await ingest(crashing, { from: 1, to: 10 });
    await ingest(crashing, { from: 11, to: 20 }, { crash: true });
    await ingest(crashing, { from: 11, to: 26 }, { crash: true });
    await ingest(crashing, { from: 11, to: 20 });
    await ingest(crashing, { from: 21, to: 30 });
    expect(await finalState(crashing)).toEqual(expected);
    expect((await crashing.pendingAlerts(100)).length).toBe(expected.alerts.length);
  });

  it('would double-count without the versions: reading the latest state after a crash differs', async () => {
    const store = await local.newStore();
    await ingest(store, { from: 1, to: 10 });
    await ingest(store, { from: 11, to: 20 }, { crash: true });
    // What a naive store would hand the retry: the crashed attempt's result.
    const latest = await store.getWallet(CASE.id, 'ethereum', A);
    const replayBase = (
      await store.walletRange('ethereum', { from: 11, to: 20 }).load([{ caseId: CASE.id, address: A }])
    ).get(walletMapKey(CASE.id, A));
    expect(holdingOf(latest?.wallet)?.balance).toBe(9n * ETH);
    expect(holdingOf(replayBase)?.balance).toBe(10n * ETH);
  });
});

/**
 * Evidence for API tests without a chain: the real tracer follows a small laundering path through
 * real label data (Binance 14 hot wallet, a Tornado Cash pool) and the outcome is stored the way the
 * ingester stores it (wallet range session, flow edges, alert outbox). The end-to-end test with mined
 * transfers is the ingester's.
 */
import { getAddress } from 'ethers';
import type { Address } from '../../shared/domain/address.ts';
import { CaseTracer, processOrdered } from '../../shared/domain/tracer.ts';
import type { Transfer } from '../../shared/domain/transfer.ts';
import { builtInLabels, builtInTokens, chainRegistry } from '../../shared/labels/index.ts';
import type { Store } from '../../shared/store/repository.ts';

export const ETH = 10n ** 18n;
export const VICTIM: Address = '0x9999999999999999999999999999999999999999';
export const HOP1: Address = '0x2222222222222222222222222222222222222222';
export const BINANCE_14: Address = '0x28c6c06298d514db089934071355e5743bf21d60';
export const TORNADO_10_ETH: Address = '0x910cbd523d972eb0a6f4cae4618ad62622b39dbf';

function transfer(n: number, from: Address, to: Address, amount: bigint): Transfer {
  return {
    chain: 'local',
    blockNumber: 100 + n,
    blockTime: 1_767_225_600 + n * 12,
    txHash: `0x${n.toString(16).padStart(64, '0')}`,
    txIndex: 0,
    position: 'tx',
    from,
    to,
    asset: 'native',
    amount,
    kind: 'native',
  };
}

/** Seed -> hop 1 (10 ETH) -> Binance (6 ETH) and Tornado Cash (3 ETH), blocks 101-104, on `local`. */
export async function traceAndStore(
  store: Store,
  caseId: string,
  caseName: string,
  seed: Address,
): Promise<void> {
  const tracer = new CaseTracer(
    {
      id: caseId,
      name: caseName,
      seeds: [{ chain: 'local', address: seed }],
      model: 'haircut',
      maxHops: 6,
      minAmounts: {},
      extraTokens: {},
    },
    {
      chain: chainRegistry.require('local'),
      tokens: builtInTokens(),
      labels: builtInLabels(),
      formatAddress: getAddress,
    },
  );
  const transfers = [
    transfer(1, VICTIM, seed, 20n * ETH),
    transfer(2, seed, HOP1, 10n * ETH),
    transfer(3, HOP1, BINANCE_14, 6n * ETH),
    transfer(4, HOP1, TORNADO_10_ETH, 3n * ETH),
  ];
  const outcome = processOrdered(tracer, transfers);
  const session = store.walletRange('local', { from: 101, to: 104 });
  const wallets = [...tracer.ledger.wallets()];
  await session.load(wallets.map((wallet) => ({ caseId, address: wallet.address })));
  await session.save(wallets.map((wallet) => ({ caseId, wallet })));
  await store.saveEdges(outcome.edges.map((edge) => ({ caseId, edge })));
  await store.saveAlerts(outcome.alerts);
  await store.startRange('local', null, 104);
  await store.advanceCheckpoint('local', null, 104, `0x${'ab'.repeat(32)}`);
}

import { id as eventTopic, getAddress, JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  counterpartyLabelMismatches,
  DEMO_WALLETS,
  demoSeed,
  type ExpectedDemoOutcome,
  expectedDemoAlerts,
  matchesExpectedAlert,
} from '../../infra/local/demo/index.ts';
import { ChainReader } from '../../shared/chain/index.ts';
import { type Address, canonicalAddress } from '../../shared/domain/address.ts';
import type { Case } from '../../shared/domain/case.ts';
import { CaseTracer, processOrdered, type TraceOutcome } from '../../shared/domain/tracer.ts';
import {
  callPosition,
  compareTransfers,
  logPosition,
  NATIVE_ASSET,
  type Transfer,
} from '../../shared/domain/transfer.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { loadBuiltInLabels } from '../../shared/labels/label-book.ts';
import { builtInTokens } from '../../shared/labels/tokens.ts';
import { type ReplayedDemo, replayDemo } from './demo-harness.ts';

const CHAIN = 'local';
const TRANSFER_TOPIC = eventTopic('Transfer(address,address,uint256)');

interface CallFrame {
  from: string;
  to?: string;
  value?: string;
  error?: string;
  calls?: CallFrame[];
}

/**
 * An independent, deliberately plain reading of the node with ethers: every transaction's value, every
 * allow-listed token's Transfer logs, and every internal call with value (each transaction traced).
 */
async function readWithPlainEthers(chain: JsonRpcProvider, from: number, to: number): Promise<Transfer[]> {
  const tokens = builtInTokens()
    .tokensOf(CHAIN)
    .map((token) => token.address);
  const transfers: Transfer[] = [];
  for (let number = from; number <= to; number++) {
    const block = await chain.getBlock(number, true);
    if (!block) throw new Error(`no block ${number}`);
    for (const tx of block.prefetchedTransactions) {
      const receipt = await chain.getTransactionReceipt(tx.hash);
      if (receipt?.status !== 1) continue;
      const base = {
        chain: CHAIN,
        blockNumber: number,
        blockTime: block.timestamp,
        txHash: tx.hash,
        txIndex: tx.index,
      };
      if (tx.value > 0n && tx.to) {
        transfers.push({
          ...base,
          position: 'tx',
          from: canonicalAddress(tx.from),
          to: canonicalAddress(tx.to),
          asset: NATIVE_ASSET,
          amount: tx.value,
          kind: 'native',
        });
      }
      const root = (await chain.send('debug_traceTransaction', [
        tx.hash,
        { tracer: 'callTracer' },
      ])) as CallFrame;
      const walk = (frame: CallFrame, address: number[]) => {
        if (frame.error) return; // a reverted call and everything under it moved nothing
        const value = BigInt(frame.value ?? '0x0');
        if (address.length > 0 && value > 0n && frame.to) {
          transfers.push({
            ...base,
            position: callPosition(address),
            from: canonicalAddress(frame.from),
            to: canonicalAddress(frame.to),
            asset: NATIVE_ASSET,
            amount: value,
            kind: 'internal',
          });
        }
        frame.calls?.forEach((child, index) => {
          walk(child, [...address, index]);
        });
      };
      walk(root, []);
    }
  }
  const logs = await chain.getLogs({
    fromBlock: from,
    toBlock: to,
    address: tokens,
    topics: [TRANSFER_TOPIC],
  });
  for (const log of logs) {
    const block = await chain.getBlock(log.blockNumber);
    transfers.push({
      chain: CHAIN,
      blockNumber: log.blockNumber,
      blockTime: block?.timestamp ?? 0,
      txHash: log.transactionHash,
      txIndex: log.transactionIndex,
      position: logPosition(log.index),
      from: canonicalAddress(`0x${log.topics[1]?.slice(26)}`),
      to: canonicalAddress(`0x${log.topics[2]?.slice(26)}`),
      asset: canonicalAddress(log.address),
      amount: BigInt(log.data),
      kind: 'erc20',
    });
  }
  return transfers.sort(compareTransfers);
}

function demoCase(seed: Address): Case {
  return {
    id: 'demo-harmony',
    name: 'Harmony Horizon Bridge (demo replay)',
    seeds: [{ chain: CHAIN, address: seed }],
    model: 'haircut',
    maxHops: 6,
    minAmounts: {},
    extraTokens: {},
  };
}

/** A tracer with the project's own chain facts, token allow-list and labels (a fresh book: learning stays here). */
function projectTracer(seed: Address): CaseTracer {
  return new CaseTracer(demoCase(seed), {
    chain: chainRegistry.require(CHAIN),
    tokens: builtInTokens(),
    labels: loadBuiltInLabels(),
    formatAddress: getAddress,
  });
}

function expectOutcomeMatches(
  outcome: TraceOutcome,
  tracer: CaseTracer,
  expected: ExpectedDemoOutcome,
): void {
  const summary = (kind: string, txHash: string, position: string) => `${kind} ${txHash} ${position}`;
  expect(outcome.alerts.map((alert) => summary(alert.kind, alert.txHash, alert.position))).toEqual(
    expected.alerts.map((alert) => summary(alert.kind, alert.txHash, alert.position)),
  );
  expected.alerts.forEach((want, index) => {
    const got = outcome.alerts[index];
    if (!got) throw new Error(`missing alert for ${want.step}`);
    expect(matchesExpectedAlert(want, got), `${want.step}: ${JSON.stringify(got)}`).toBe(true);
    expect(got.hop, want.step).toBe(want.hop);
    expect(got.taintedAmount, want.step).toBe(want.taintedAmountText);
    expect(got.asset, want.step).toEqual({
      ...want.asset,
      address: want.asset.address === null ? null : getAddress(want.asset.address),
    });
    expect(
      {
        address: got.counterparty.address.toLowerCase(),
        name: got.counterparty.name,
        category: got.counterparty.category,
      },
      want.step,
    ).toEqual(want.counterparty);
  });
  expect(
    outcome.learned.map((learned) => ({
      address: learned.address,
      exchange: learned.exchange,
      hotWallet: learned.hotWallet,
      txHash: learned.txHash,
    })),
  ).toEqual(expected.learnedDepositAddresses);
  for (const clean of expected.mustStayClean) {
    expect(tracer.ledger.has(clean.address), `${clean.address} (${clean.why})`).toBe(false);
  }
}

describe("the demo's premises in the project's data", () => {
  it('takes its seed from the theft dataset and its counterparties from the project labels', () => {
    const seed = demoSeed();
    expect(seed).toMatchObject({ chain: 'ethereum', incident: 'Harmony Horizon Bridge', date: '2022-06-23' });
    expect(seed.source).toMatch(/Harmony Exploiter 1/);
    expect(counterpartyLabelMismatches(loadBuiltInLabels(), CHAIN)).toEqual([]);
  });

  it('uses fresh wallets nobody has labelled', () => {
    const labels = loadBuiltInLabels();
    for (const [role, address] of Object.entries(DEMO_WALLETS)) {
      expect(labels.labelsOf(CHAIN, address), role).toBeUndefined();
    }
  });
});

describe('the demo through the case tracer, with the project labels', () => {
  let demo: ReplayedDemo;
  let chain: JsonRpcProvider;
  let expected: ExpectedDemoOutcome;

  beforeAll(async () => {
    demo = await replayDemo();
    chain = new JsonRpcProvider(demo.node.url, Network.from(31337), { staticNetwork: true });
    expected = expectedDemoAlerts(demo.log);
  });
  afterAll(async () => {
    chain?.destroy();
    await demo?.node.close();
  });

  it('raises exactly the expected alerts from transfers read with plain ethers, and taints no bystander', async () => {
    const transfers = await readWithPlainEthers(chain, demo.log.firstBlock, demo.log.headBlock);
    const tracer = projectTracer(demo.log.seed.address);
    const outcome = processOrdered(tracer, transfers);
    expectOutcomeMatches(outcome, tracer, expected);
    // The spoofed token is off the allow-list, so its logs are not even read; the poisoning and the dust
    // are read, and ignored by the tracer's rules.
    expect(transfers.filter((t) => t.asset === demo.log.actors.spoofedToken)).toEqual([]);
    expect(transfers.some((t) => t.to === demo.log.actors.lookAlike && t.amount === 0n)).toBe(true);
    expect(transfers.some((t) => t.to === demo.log.actors.dustRecipient)).toBe(true);
  });

  it('raises the same alerts when the project chain reader reads block by block, scoped to tainted wallets', async () => {
    const reader = new ChainReader({
      chain: CHAIN,
      chainId: 31337,
      rpcUrls: [demo.node.url],
      tracing: 'block',
    });
    const tokens = builtInTokens()
      .tokensOf(CHAIN)
      .map((token) => token.address);
    const tracer = projectTracer(demo.log.seed.address);
    const outcome: TraceOutcome = { alerts: [], edges: [], learned: [] };
    // As the ingester does: each block read with the tainted set as it stands after the previous one.
    for (let block = demo.log.firstBlock; block <= demo.log.headBlock; block++) {
      const read = await reader.readRange(block, block, { tokens, watched: tracer.ledger });
      expect(read.complete, `block ${block}: ${read.unreadable?.message}`).toBe(true);
      const step = processOrdered(tracer, read.transfers);
      outcome.alerts.push(...step.alerts);
      outcome.edges.push(...step.edges);
      outcome.learned.push(...step.learned);
    }
    expectOutcomeMatches(outcome, tracer, expected);
  });
});

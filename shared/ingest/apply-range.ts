import type { Address } from '../domain/address.ts';
import type { Alert } from '../domain/alert.ts';
import type { Case } from '../domain/case.ts';
import type { ChainInfo, TokenDirectory } from '../domain/chain.ts';
import { seedWallet, type TaintedWallet, TaintLedger } from '../domain/taint-ledger.ts';
import { CaseTracer, type LearnedDepositAddress } from '../domain/tracer.ts';
import type { Transfer } from '../domain/transfer.ts';
import type { BlockRange, CaseFlowEdge, Store, WalletKey, WalletRangeSession } from '../store/repository.ts';
import { walletMapKey } from '../store/repository.ts';
import type { RangeLabelView } from './range-labels.ts';

/** A case as the ingester traces it on one chain: its definition and the addresses it has tainted. */
export interface TrackedCase {
  readonly caseDef: Case;
  readonly tainted: Set<Address>;
}

export interface RangeOutcome {
  /** The wallets to write, with the session that loaded them; nothing is written until `saveRange`. */
  readonly writes: { readonly caseId: string; readonly wallet: TaintedWallet }[];
  readonly alerts: Alert[];
  readonly edges: CaseFlowEdge[];
  readonly learned: LearnedDepositAddress[];
  /** Wallets a case tainted for the first time in this range. */
  readonly newlyTainted: { readonly caseId: string; readonly address: Address }[];
  walletsRead: number;
  walletsWritten: number;
}

export interface ApplyRangeInput {
  readonly store: Pick<Store, 'walletRange'>;
  readonly chain: ChainInfo;
  readonly range: BlockRange;
  readonly transfers: readonly Transfer[];
  readonly cases: readonly TrackedCase[];
  readonly labels: RangeLabelView;
  readonly tokensOf: (caseDef: Case) => TokenDirectory;
  readonly formatAddress: (address: Address) => string;
}

/** Consecutive transfers of one transaction, the unit the tracer decides on (swaps span a transaction). */
export function groupByTransaction(transfers: readonly Transfer[]): Transfer[][] {
  const transactions: Transfer[][] = [];
  let current: Transfer[] = [];
  for (const transfer of transfers) {
    const last = current[current.length - 1];
    if (last && (last.txHash !== transfer.txHash || last.blockNumber !== transfer.blockNumber)) {
      transactions.push(current);
      current = [];
    }
    current.push(transfer);
  }
  if (current.length > 0) transactions.push(current);
  return transactions;
}

/**
 * Runs one block range through every tracked case, in memory. Only the wallets the range touches are
 * read (the tracer needs both ends of a transfer that can move taint), so reads follow the traffic of
 * tainted wallets, not the chain's. Nothing is written: the caller may find that the range must be read
 * again (a wallet tainted inside the range moved value in it too) and trace it again from scratch.
 */
export async function traceRange(
  input: ApplyRangeInput,
): Promise<RangeOutcome & { session: WalletRangeSession }> {
  const transactions = groupByTransaction(input.transfers);
  const session = input.store.walletRange(input.chain.name, input.range);
  const outcome: RangeOutcome = {
    writes: [],
    alerts: [],
    edges: [],
    learned: [],
    newlyTainted: [],
    walletsRead: 0,
    walletsWritten: 0,
  };
  const ordered = [...input.cases].sort((a, b) => (a.caseDef.id < b.caseDef.id ? -1 : 1));
  for (const tracked of ordered) {
    await traceCase(tracked, transactions, session, input, outcome);
  }
  return { ...outcome, session };
}

/** Writes the wallets a traced range changed (replay-safe: see the store's wallet protocol). */
export async function saveRangeWallets(
  traced: RangeOutcome & { session: WalletRangeSession },
): Promise<void> {
  await traced.session.save(traced.writes);
}

async function traceCase(
  tracked: TrackedCase,
  transactions: readonly Transfer[][],
  session: WalletRangeSession,
  input: ApplyRangeInput,
  outcome: RangeOutcome,
): Promise<void> {
  const { caseDef } = tracked;
  const seeds = new Set(
    caseDef.seeds.filter((seed) => seed.chain === input.chain.name).map((seed) => seed.address),
  );
  const isTracked = (address: Address) => tracked.tainted.has(address) || seeds.has(address);
  const toLoad = new Set<Address>();
  for (const transactionTransfers of transactions) {
    for (const transfer of transactionTransfers) {
      if (isTracked(transfer.from)) toLoad.add(transfer.from);
      if (isTracked(transfer.to)) toLoad.add(transfer.to);
    }
  }
  if (toLoad.size === 0) return;

  // The cached tainted set comes from an eventually consistent index: a wallet created here may in
  // fact have been tainted before the range. Checking after the run and re-running with it loaded
  // keeps the result exact; in practice the loop runs once.
  const labelsMark = input.labels.mark();
  for (;;) {
    input.labels.rollback(labelsMark);
    const keys: WalletKey[] = [...toLoad].map((address) => ({ caseId: caseDef.id, address }));
    const loaded = await session.load(keys);
    outcome.walletsRead += keys.length;
    const ledger = new TaintLedger();
    for (const address of toLoad) {
      const stored = loaded.get(walletMapKey(caseDef.id, address));
      if (stored) ledger.load(stored);
      else if (seeds.has(address)) ledger.put(seedWallet(address));
    }
    const tracer = new CaseTracer(
      caseDef,
      {
        chain: input.chain,
        tokens: input.tokensOf(caseDef),
        labels: input.labels,
        formatAddress: input.formatAddress,
      },
      ledger,
    );
    const alerts: Alert[] = [];
    const edges: CaseFlowEdge[] = [];
    const learned: LearnedDepositAddress[] = [];
    for (const transactionTransfers of transactions) {
      const step = tracer.processTransaction(transactionTransfers);
      alerts.push(...step.alerts);
      for (const edge of step.edges) edges.push({ caseId: caseDef.id, edge });
      learned.push(...step.learned);
    }

    const changed = [...ledger.changed()];
    const created = changed.filter((wallet) => !toLoad.has(wallet.address)).map((wallet) => wallet.address);
    if (created.length > 0) {
      const check = await session.load(created.map((address) => ({ caseId: caseDef.id, address })));
      outcome.walletsRead += created.length;
      const existedBefore = created.filter((address) => check.has(walletMapKey(caseDef.id, address)));
      if (existedBefore.length > 0) {
        for (const address of existedBefore) toLoad.add(address);
        continue;
      }
    }
    for (const wallet of changed) outcome.writes.push({ caseId: caseDef.id, wallet });
    outcome.walletsWritten += changed.length;
    outcome.alerts.push(...alerts);
    outcome.edges.push(...edges);
    outcome.learned.push(...learned);
    for (const address of created) outcome.newlyTainted.push({ caseId: caseDef.id, address });
    return;
  }
}

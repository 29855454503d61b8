import { createHash } from 'node:crypto';
import type { Address } from '../../domain/address.ts';
import type { Alert } from '../../domain/alert.ts';
import type { Case } from '../../domain/case.ts';
import type { ChainInfo, TokenDirectory, TokenInfo } from '../../domain/chain.ts';
import type { LabelCategory, LabelDirectory } from '../../domain/label.ts';
import { CaseTracer, type FlowEdge, type LearnedDepositAddress } from '../../domain/tracer.ts';
import type { AssetId, Transfer } from '../../domain/transfer.ts';
import { detachedTransfer } from '../../etl/detach.ts';
import { type EtlReadProgress, type ExportFileNames, readEtlBlocks } from '../../etl/index.ts';
import type { ExtraTokenOption } from './backtest-options.ts';

/** Custodians whose arrivals the report totals: where the trail ends and someone can freeze funds. */
const REPORTED_STOPS: ReadonlySet<LabelCategory> = new Set(['exchange', 'mixer', 'bridge']);

/** Tainted value that reached one custodian (all its labelled addresses), per asset, in base units. */
export interface CustodianArrivals {
  readonly category: LabelCategory;
  readonly name: string;
  readonly addresses: Set<Address>;
  readonly tainted: Map<AssetId, bigint>;
  transfers: number;
  /**
   * Tainted value sent to the custodian's learned deposit addresses (not yet seen swept): counted apart,
   * since a later sweep to the hot wallet would count it again.
   */
  readonly atDepositAddresses: Map<AssetId, bigint>;
  depositTransfers: number;
}

export interface BacktestInput {
  readonly caseDef: Case;
  readonly chain: ChainInfo;
  readonly files: ExportFileNames;
  readonly tokens: TokenDirectory;
  readonly labels: LabelDirectory;
  readonly formatAddress?: (address: Address) => string;
  /** Called for every alert as soon as it is raised (the jsonl output streams them). */
  readonly onAlert?: (alert: Alert) => void;
  /** Keep every flow edge (for the graph file); off, memory stays flat whatever the taint spreads to. */
  readonly keepEdges?: boolean;
  /** Shared with a progress timer. */
  readonly progress?: EtlReadProgress;
  /** Blocks a file may go back (etl/block-cursor.ts); the reader's default when absent. */
  readonly reorderWindow?: number;
}

export interface BacktestResult {
  readonly tracer: CaseTracer;
  readonly alerts: readonly Alert[];
  readonly edges: readonly FlowEdge[];
  readonly learned: readonly LearnedDepositAddress[];
  readonly custodians: readonly CustodianArrivals[];
  readonly progress: EtlReadProgress;
  readonly firstBlock: number;
}

/**
 * The backtest pipeline, shared by the command and the benchmark: Ethereum-ETL files -> ordered
 * transactions -> the case tracer, with alerts streamed out and totals kept for the report.
 */
export async function runBacktest(input: BacktestInput): Promise<BacktestResult> {
  const tracer = new CaseTracer(input.caseDef, {
    chain: input.chain,
    tokens: input.tokens,
    labels: input.labels,
    ...(input.formatAddress ? { formatAddress: input.formatAddress } : {}),
  });
  const progress = input.progress ?? { rows: 0, blocks: 0, block: -1, transfers: 0 };
  const alerts: Alert[] = [];
  const edges: FlowEdge[] = [];
  const learned: LearnedDepositAddress[] = [];
  const custodians = new Map<string, CustodianArrivals>();
  let firstBlock = -1;

  const reading = {
    chain: input.chain.name,
    progress,
    ...(input.reorderWindow !== undefined ? { reorderWindow: input.reorderWindow } : {}),
  };
  for await (const block of readEtlBlocks(input.files, reading)) {
    if (firstBlock < 0) firstBlock = block.blockNumber;
    for (const read of block.transactions) {
      // Almost no transaction touches the case, and for those the tracer does nothing (its own fast
      // path). The few that do are copied out of the file's chunks first (etl/detach.ts): the tracer
      // keeps their addresses and hashes.
      if (!touchesCase(tracer, read)) continue;
      const outcome = tracer.processTransaction(read.map(detachedTransfer));
      if (outcome.edges.length === 0 && outcome.alerts.length === 0 && outcome.learned.length === 0) continue;
      for (const alert of outcome.alerts) {
        alerts.push(alert);
        input.onAlert?.(alert);
      }
      for (const edge of outcome.edges) {
        if (input.keepEdges) edges.push(edge);
        if (edge.stop && REPORTED_STOPS.has(edge.stop) && edge.counterparty)
          addArrival(custodians, edge, false);
        else if (edge.counterparty?.depositOf !== undefined) addArrival(custodians, edge, true);
      }
      learned.push(...outcome.learned);
    }
  }
  return { tracer, alerts, edges, learned, custodians: [...custodians.values()], progress, firstBlock };
}

function touchesCase(tracer: CaseTracer, transfers: readonly Transfer[]): boolean {
  const ledger = tracer.ledger;
  for (const transfer of transfers) if (ledger.has(transfer.from) || ledger.has(transfer.to)) return true;
  return false;
}

function addArrival(custodians: Map<string, CustodianArrivals>, edge: FlowEdge, atDeposit: boolean): void {
  const label = edge.counterparty as NonNullable<FlowEdge['counterparty']>;
  const key = `${label.category}\u0000${label.name}`;
  let arrivals = custodians.get(key);
  if (!arrivals) {
    arrivals = {
      category: label.category,
      name: label.name,
      addresses: new Set(),
      tainted: new Map(),
      transfers: 0,
      atDepositAddresses: new Map(),
      depositTransfers: 0,
    };
    custodians.set(key, arrivals);
  }
  if (atDeposit) {
    const held = arrivals.atDepositAddresses;
    held.set(edge.asset, (held.get(edge.asset) ?? 0n) + edge.taintedAmount);
    arrivals.depositTransfers++;
    return;
  }
  arrivals.addresses.add(edge.to);
  arrivals.tainted.set(edge.asset, (arrivals.tainted.get(edge.asset) ?? 0n) + edge.taintedAmount);
  arrivals.transfers++;
}

export interface BacktestCaseSpec {
  readonly chain: string;
  readonly seeds: readonly Address[];
  readonly incidents: readonly string[];
  readonly model: Case['model'];
  readonly maxHops: number;
  readonly tokens: readonly ExtraTokenOption[];
}

/**
 * The case a backtest replays. Its id is derived from what defines it (chain, seeds, model, hop limit,
 * tokens), so replaying the same backtest gives the same alert ids, and a different one other ids.
 */
export function backtestCase(spec: BacktestCaseSpec, allowList: TokenDirectory): Case {
  const seeds = [...new Set(spec.seeds)].sort();
  const extraTokens: TokenInfo[] = [];
  for (const token of spec.tokens) {
    const listed = allowList.tokenOf(spec.chain, token.address);
    if (listed && token.symbol === undefined) continue;
    extraTokens.push({
      address: token.address,
      // A bare address: amounts stay in base units, under a symbol that names the contract.
      symbol: token.symbol ?? `TOKEN-${token.address.slice(2, 8)}`,
      decimals: token.decimals ?? 0,
      minAmount: 1n,
    });
  }
  const identity = JSON.stringify([
    spec.chain,
    seeds,
    spec.model,
    spec.maxHops,
    extraTokens.map((t) => t.address),
  ]);
  const id = `backtest-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
  const name =
    spec.incidents.length > 0
      ? spec.incidents.join(' + ')
      : `Backtest of ${seeds.length} seed wallet${seeds.length === 1 ? '' : 's'}`;
  return {
    id,
    name,
    seeds: seeds.map((address) => ({ chain: spec.chain, address })),
    model: spec.model,
    maxHops: spec.maxHops,
    minAmounts: {},
    extraTokens: extraTokens.length > 0 ? { [spec.chain]: extraTokens } : {},
  };
}

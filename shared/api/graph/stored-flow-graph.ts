/**
 * The domain's FlowGraph (shared/domain/flow-graph.ts) from what the store keeps: tainted wallets and
 * flow edges of one case on one chain, drawn by the same `flowGraphOf` as a backtest's.
 */
import type { Address } from '../../domain/address.ts';
import { type FlowGraph, flowGraphOf } from '../../domain/flow-graph.ts';
import { type Label, mostSpecificLabel } from '../../domain/label.ts';
import type { FlowEdge } from '../../domain/tracer.ts';
import type { AssetId } from '../../domain/transfer.ts';
import type { StoredWallet } from '../../store/repository.ts';
import type { AssetDescription } from '../presenters.ts';

export interface StoredFlowGraphInput {
  readonly caseId: string;
  readonly caseName: string;
  readonly chain: string;
  readonly wallets: readonly StoredWallet[];
  /** Seed addresses of the case on this chain, including seeds the ingester has not written yet. */
  readonly seeds: readonly Address[];
  readonly edges: readonly FlowEdge[];
  readonly describe: (asset: AssetId) => AssetDescription;
  /** Built-in labels; an edge's own counterparty label (recorded at trace time) wins for its recipient. */
  readonly labelsOf: (address: Address) => readonly Label[] | undefined;
  readonly formatAddress: (address: Address) => string;
}

export function storedFlowGraph(input: StoredFlowGraphInput): FlowGraph {
  return flowGraphOf({
    caseId: input.caseId,
    caseName: input.caseName,
    chain: input.chain,
    wallets: input.wallets.map((stored) => stored.wallet),
    seeds: input.seeds,
    edges: input.edges,
    describeAsset: input.describe,
    labelOf: (address) => mostSpecificLabel(input.labelsOf(address)),
    formatAddress: input.formatAddress,
  });
}

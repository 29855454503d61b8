/**
 * The domain's FlowGraph (shared/domain/flow-graph.ts) from what the store keeps: tainted wallets and
 * flow edges of one case on one chain. `buildFlowGraph` needs a live CaseTracer; the API has stored
 * state instead, so this builds the same shape with the same ordering, and the domain's
 * `flowGraphToDot` draws it.
 */
import type { Address } from '../../domain/address.ts';
import { formatUnits } from '../../domain/amount.ts';
import type { FlowGraph, FlowGraphEdge, FlowGraphNode } from '../../domain/flow-graph.ts';
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
  const { describe, formatAddress } = input;
  const wallets = new Map(input.wallets.map((stored) => [stored.wallet.address, stored.wallet]));
  const tracedLabels = new Map<Address, Label>();
  for (const edge of input.edges) if (edge.counterparty) tracedLabels.set(edge.to, edge.counterparty);

  const addresses = new Set<Address>(input.seeds);
  for (const wallet of wallets.values()) if (wallet.seed) addresses.add(wallet.address);
  for (const edge of input.edges) {
    addresses.add(edge.from);
    addresses.add(edge.to);
  }
  const seedSet = new Set(input.seeds);
  const units = (asset: AssetId, amount: bigint) => formatUnits(amount, describe(asset).decimals);

  const nodes: FlowGraphNode[] = [...addresses].map((address) => {
    const wallet = wallets.get(address);
    const label = tracedLabels.get(address) ?? mostSpecificLabel(input.labelsOf(address));
    const taintedIn: Record<string, string> = {};
    const taintedHeld: Record<string, string> = {};
    if (wallet) {
      for (const [asset, holding] of [...wallet.holdings].sort(([a], [b]) => a.localeCompare(b))) {
        if (holding.taintedIn > 0n) taintedIn[describe(asset).symbol] = units(asset, holding.taintedIn);
        if (holding.tainted > 0n) taintedHeld[describe(asset).symbol] = units(asset, holding.tainted);
      }
    } else {
      // A custodian (or a seed not yet written by the ingester): what arrived is the sum of its in-edges.
      const arrived = new Map<AssetId, bigint>();
      for (const edge of input.edges) {
        if (edge.to === address)
          arrived.set(edge.asset, (arrived.get(edge.asset) ?? 0n) + edge.taintedAmount);
      }
      for (const [asset, amount] of arrived) taintedIn[describe(asset).symbol] = units(asset, amount);
    }
    const seed = wallet?.seed ?? seedSet.has(address);
    return {
      address: formatAddress(address),
      label: label ? { name: label.name, category: label.category } : null,
      hop: wallet ? wallet.link.hop : seed ? 0 : null,
      seed,
      taintedIn,
      taintedHeld,
    };
  });
  nodes.sort(
    (a, b) =>
      (a.hop ?? Number.MAX_SAFE_INTEGER) - (b.hop ?? Number.MAX_SAFE_INTEGER) ||
      (a.address < b.address ? -1 : 1),
  );

  const edges: FlowGraphEdge[] = [...input.edges]
    .sort(
      (a, b) =>
        a.blockNumber - b.blockNumber ||
        a.txHash.localeCompare(b.txHash) ||
        a.position.localeCompare(b.position),
    )
    .map((edge) => ({
      from: formatAddress(edge.from),
      to: formatAddress(edge.to),
      txHash: edge.txHash,
      position: edge.position,
      blockNumber: edge.blockNumber,
      asset: describe(edge.asset).symbol,
      amount: units(edge.asset, edge.amount),
      taintedAmount: units(edge.asset, edge.taintedAmount),
    }));

  return { caseId: input.caseId, caseName: input.caseName, chain: input.chain, nodes, edges };
}

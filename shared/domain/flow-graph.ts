import type { Address } from './address.ts';
import { formatUnits } from './amount.ts';
import type { Label, LabelCategory } from './label.ts';
import type { TaintedWallet } from './taint-ledger.ts';
import type { CaseTracer, FlowEdge } from './tracer.ts';
import type { AssetId } from './transfer.ts';

export interface FlowGraphNode {
  readonly address: string;
  readonly label: { readonly name: string; readonly category: LabelCategory } | null;
  /** Hops from a seed; null for custodians and pools, which are never tainted themselves. */
  readonly hop: number | null;
  readonly seed: boolean;
  /** Tainted value received, per asset symbol, in token units. */
  readonly taintedIn: Readonly<Record<string, string>>;
  /** Tainted value still held, per asset symbol, in token units. */
  readonly taintedHeld: Readonly<Record<string, string>>;
}

export interface FlowGraphEdge {
  readonly from: string;
  readonly to: string;
  readonly txHash: string;
  readonly position: string;
  readonly blockNumber: number;
  readonly asset: string;
  readonly amount: string;
  readonly taintedAmount: string;
}

export interface FlowGraph {
  readonly caseId: string;
  readonly caseName: string;
  readonly chain: string;
  readonly nodes: readonly FlowGraphNode[];
  readonly edges: readonly FlowGraphEdge[];
}

/** What a flow graph is drawn from: the tracer's ledger in a backtest, stored state in the API. */
export interface FlowGraphInput {
  readonly caseId: string;
  readonly caseName: string;
  readonly chain: string;
  readonly wallets: Iterable<TaintedWallet>;
  /** Seeds of the case on this chain, including any the ledger does not hold yet. */
  readonly seeds: Iterable<Address>;
  readonly edges: readonly FlowEdge[];
  readonly describeAsset: (asset: AssetId) => { readonly symbol: string; readonly decimals: number };
  readonly labelOf: (address: Address) => Label | undefined;
  readonly formatAddress?: (address: Address) => string;
}

/**
 * The case's flow on one chain: every wallet the stolen value reached and every transfer that carried
 * it there. Nodes are sorted by hop then address, edges by block and position, so output is stable.
 * A recipient's label is the one recorded on its edge when it was traced (a deposit address learned
 * then), else the current one.
 */
export function flowGraphOf(input: FlowGraphInput): FlowGraph {
  const formatAddress = input.formatAddress ?? ((address: Address) => address);
  const wallets = new Map<Address, TaintedWallet>();
  for (const wallet of input.wallets) wallets.set(wallet.address, wallet);
  const seeds = new Set(input.seeds);
  const tracedLabels = new Map<Address, Label>();
  for (const edge of input.edges) if (edge.counterparty) tracedLabels.set(edge.to, edge.counterparty);

  const addresses = new Set<Address>(seeds);
  for (const wallet of wallets.values()) if (wallet.seed) addresses.add(wallet.address);
  for (const edge of input.edges) {
    addresses.add(edge.from);
    addresses.add(edge.to);
  }
  const symbol = (asset: AssetId) => input.describeAsset(asset).symbol;
  const units = (asset: AssetId, amount: bigint) => formatUnits(amount, input.describeAsset(asset).decimals);

  const nodes: FlowGraphNode[] = [...addresses].map((address) => {
    const wallet = wallets.get(address);
    const label = tracedLabels.get(address) ?? input.labelOf(address);
    const taintedIn: Record<string, string> = {};
    const taintedHeld: Record<string, string> = {};
    if (wallet) {
      for (const [asset, holding] of [...wallet.holdings].sort(([a], [b]) => a.localeCompare(b))) {
        if (holding.taintedIn > 0n) taintedIn[symbol(asset)] = units(asset, holding.taintedIn);
        if (holding.tainted > 0n) taintedHeld[symbol(asset)] = units(asset, holding.tainted);
      }
    } else {
      // A custodian (or a seed not yet in the ledger): what arrived is the sum of the edges into it.
      const arrived = new Map<AssetId, bigint>();
      for (const edge of input.edges) {
        if (edge.to === address)
          arrived.set(edge.asset, (arrived.get(edge.asset) ?? 0n) + edge.taintedAmount);
      }
      for (const [asset, amount] of arrived) taintedIn[symbol(asset)] = units(asset, amount);
    }
    const seed = wallet?.seed ?? seeds.has(address);
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

  const graphEdges: FlowGraphEdge[] = [...input.edges]
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
      asset: symbol(edge.asset),
      amount: units(edge.asset, edge.amount),
      taintedAmount: units(edge.asset, edge.taintedAmount),
    }));

  return { caseId: input.caseId, caseName: input.caseName, chain: input.chain, nodes, edges: graphEdges };
}

/** The flow graph of a tracer's run (the backtest): its ledger and the edges it produced. */
export function buildFlowGraph(
  tracer: CaseTracer,
  edges: readonly FlowEdge[],
  formatAddress: (address: Address) => string = (address) => address,
): FlowGraph {
  return flowGraphOf({
    caseId: tracer.caseDef.id,
    caseName: tracer.caseDef.name,
    chain: tracer.chain.name,
    wallets: tracer.ledger.wallets(),
    seeds: tracer.caseDef.seeds
      .filter((seed) => seed.chain === tracer.chain.name)
      .map((seed) => seed.address),
    edges,
    describeAsset: (asset) => tracer.describeAsset(asset),
    labelOf: (address) => tracer.labelOf(address),
    formatAddress,
  });
}

export function flowGraphToJson(graph: FlowGraph): string {
  return `${JSON.stringify(graph, null, 2)}\n`;
}

const NODE_STYLE: Record<LabelCategory | 'seed' | 'wallet', string> = {
  seed: 'shape=doubleoctagon, style=filled, fillcolor="#f4cccc"',
  wallet: 'shape=box, style=rounded',
  exchange: 'shape=box, style=filled, fillcolor="#fff2cc"',
  mixer: 'shape=box, style=filled, fillcolor="#d9d2e9"',
  bridge: 'shape=box, style=filled, fillcolor="#cfe2f3"',
  sanctioned: 'shape=box, style="rounded,filled", fillcolor="#ea9999"',
  dex: 'shape=box, style=filled, fillcolor="#d9ead3"',
  other: 'shape=box, style=rounded',
};

/** Graphviz DOT; every string is quoted and escaped, since names come from label data. */
export function flowGraphToDot(graph: FlowGraph): string {
  const quote = (text: string) =>
    `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = [`digraph ${quote(`case ${graph.caseId} on ${graph.chain}`)} {`, '  rankdir=LR;'];
  for (const node of graph.nodes) {
    const style = NODE_STYLE[node.seed ? 'seed' : (node.label?.category ?? 'wallet')];
    const title = [
      node.label ? node.label.name : node.seed ? 'seed' : `hop ${node.hop}`,
      node.address,
      ...Object.entries(node.taintedIn).map(([asset, amount]) => `${amount} ${asset} tainted in`),
    ].join('\n');
    lines.push(`  ${quote(node.address)} [label=${quote(title)}, ${style}];`);
  }
  for (const edge of graph.edges) {
    const title = `${edge.taintedAmount} ${edge.asset}\n${edge.txHash.slice(0, 10)}… #${edge.blockNumber}`;
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(title)}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

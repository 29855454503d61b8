import type { Address } from './address.ts';

/**
 * exchange: a custodial exchange's hot wallet or sweeper; mixer: a mixing pool; bridge: a cross-chain
 * bridge contract; dex: a DEX router or pool; sanctioned: on a sanctions list; other: flagged, not acted on.
 */
export type LabelCategory = 'mixer' | 'exchange' | 'bridge' | 'sanctioned' | 'dex' | 'other';

export interface Label {
  readonly category: LabelCategory;
  /** Who the address belongs to: "Binance", "Tornado Cash: 100 ETH", "Uniswap V3: Router"... */
  readonly name: string;
  /** Where the label comes from; a learned deposit address names the transaction that revealed it. */
  readonly source: string;
  /** For learned exchange deposit addresses: the exchange's hot wallet it swept to. */
  readonly depositOf?: Address;
}

/** Most specific first: a Tornado pool is both mixer and sanctioned, and the alert should say mixer. */
export const LABEL_PRECEDENCE: readonly LabelCategory[] = [
  'mixer',
  'exchange',
  'bridge',
  'sanctioned',
  'dex',
  'other',
];

/**
 * Port: the core asks who an address is; implementations answer in O(1). `learn` records a label
 * found at run time (an exchange deposit address) so every case sees it; it answers false when the
 * address already had that label.
 */
export interface LabelDirectory {
  labelsOf(chain: string, address: Address): readonly Label[] | undefined;
  learn(chain: string, address: Address, label: Label): boolean;
}

export function mostSpecificLabel(labels: readonly Label[] | undefined): Label | undefined {
  if (!labels || labels.length === 0) return undefined;
  let best: Label | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const label of labels) {
    const rank = LABEL_PRECEDENCE.indexOf(label.category);
    if (rank < bestRank) {
      best = label;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Custodians and pools commingle funds: taint stops there (DESIGN invariant 5). A learned deposit
 * address does not stop it: an attacker can make any wallet look like one by sending to a hot wallet
 * once, and a real deposit address only ever sweeps to its exchange, which stops taint anyway.
 */
export function stopsPropagation(label: Label | undefined): boolean {
  return (
    label !== undefined &&
    label.depositOf === undefined &&
    (label.category === 'exchange' ||
      label.category === 'mixer' ||
      label.category === 'bridge' ||
      label.category === 'dex')
  );
}

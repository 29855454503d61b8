/**
 * The chains an agency can watch, as far as the infrastructure needs to know them: the name the functions
 * receive in `CHAIN`, and a rough block time used only for defaults (polling interval, lag alarm).
 * The authoritative chain facts (chain id, explorer, native coin) live in the shared chain registry.
 */
export const KNOWN_CHAINS = [
  'ethereum',
  'bsc',
  'polygon',
  'arbitrum',
  'optimism',
  'base',
  'avalanche',
] as const;

export type ChainName = (typeof KNOWN_CHAINS)[number];

/**
 * Approximate seconds between blocks (2025-2026 figures). BSC has run 0.75 s blocks since its Maxwell
 * upgrade, Arbitrum produces a block every 0.25 s; an error of a factor two here only shifts defaults.
 */
export const APPROXIMATE_BLOCK_SECONDS: Readonly<Record<ChainName, number>> = {
  ethereum: 12,
  bsc: 0.75,
  polygon: 2,
  arbitrum: 0.25,
  optimism: 2,
  base: 2,
  avalanche: 2,
};

/** Ingest polls no faster than once a second and no slower than one Ethereum slot. */
export function defaultPollIntervalMs(chain: ChainName): number {
  const blockMs = APPROXIMATE_BLOCK_SECONDS[chain] * 1000;
  return Math.min(12_000, Math.max(1_000, blockMs));
}

/** Lag that means ingest is about ten minutes behind the chain: enough to ride out an RPC hiccup. */
export function defaultLagAlarmBlocks(chain: ChainName): number {
  return Math.ceil(600 / APPROXIMATE_BLOCK_SECONDS[chain]);
}

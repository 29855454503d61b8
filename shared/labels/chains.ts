import type { ChainInfo } from '../domain/chain.ts';
import { UnknownChainError } from './errors.ts';

/**
 * The chains this service knows how to follow funds on.
 *
 * Dust thresholds (`nativeMinAmount`): a transfer of less native coin neither taints nor alerts
 * (DESIGN invariant 4). Sending dust from a hacker's wallet costs an attacker almost nothing, so it
 * must not be enough to drag an innocent address into a case or to flood an agency with alerts. Each
 * threshold is worth roughly 2 to 5 US dollars at 2024-2025 prices: far below any laundering hop
 * worth following, far above what a spammer would pay per poisoned address. They are deliberately
 * round numbers in the coin itself, not price-driven: a case sets its own minimum when it needs one.
 *
 * Wrapped native tokens are the canonical ones from the Uniswap deployment pages (see
 * shared/labels/data/PROVENANCE.md); sending native coin to them wraps it, which is why the chain
 * adapter needs to know them.
 */

interface ChainEntry {
  readonly info: ChainInfo;
  /** Whose labels and token allow-list apply on this chain (itself, or the chain it replays). */
  readonly labelSource: string;
}

/** 10^18 base units: one coin on every chain below (all use 18 decimals for their native coin). */
const COIN = 10n ** 18n;

const ETHEREUM: ChainInfo = {
  name: 'ethereum',
  chainId: 1,
  nativeSymbol: 'ETH',
  nativeDecimals: 18,
  explorerUrl: 'https://etherscan.io',
  wrappedNative: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
  // 0.001 ETH
  nativeMinAmount: COIN / 1000n,
};

const ENTRIES: readonly ChainEntry[] = [
  { info: ETHEREUM, labelSource: 'ethereum' },
  {
    info: {
      name: 'bsc',
      chainId: 56,
      nativeSymbol: 'BNB',
      nativeDecimals: 18,
      explorerUrl: 'https://bscscan.com',
      wrappedNative: '0xbb4cdb9cbd36b01bd1cbaebf2de08d9173bc095c',
      // 0.005 BNB
      nativeMinAmount: (5n * COIN) / 1000n,
    },
    labelSource: 'bsc',
  },
  {
    info: {
      name: 'polygon',
      chainId: 137,
      // MATIC was renamed POL in September 2024; the wrapped token kept its WMATIC contract.
      nativeSymbol: 'POL',
      nativeDecimals: 18,
      explorerUrl: 'https://polygonscan.com',
      wrappedNative: '0x0d500b1d8e8ef31e21c99d1db9a6444d3adf1270',
      // 10 POL: the coin is worth cents, and spam on Polygon is nearly free.
      nativeMinAmount: 10n * COIN,
    },
    labelSource: 'polygon',
  },
  {
    info: {
      name: 'arbitrum',
      chainId: 42161,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      explorerUrl: 'https://arbiscan.io',
      wrappedNative: '0x82af49447d8a07e3bd95bd0d56f35241523fbab1',
      // Same value as on Ethereum: the threshold is about value moved, not gas paid.
      nativeMinAmount: COIN / 1000n,
    },
    labelSource: 'arbitrum',
  },
  {
    info: {
      name: 'optimism',
      chainId: 10,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      explorerUrl: 'https://optimistic.etherscan.io',
      // OP Stack predeploy: the same WETH address on every OP Stack chain.
      wrappedNative: '0x4200000000000000000000000000000000000006',
      nativeMinAmount: COIN / 1000n,
    },
    labelSource: 'optimism',
  },
  {
    info: {
      name: 'base',
      chainId: 8453,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      explorerUrl: 'https://basescan.org',
      wrappedNative: '0x4200000000000000000000000000000000000006',
      nativeMinAmount: COIN / 1000n,
    },
    labelSource: 'base',
  },
  {
    info: {
      name: 'avalanche',
      chainId: 43114,
      nativeSymbol: 'AVAX',
      nativeDecimals: 18,
      explorerUrl: 'https://snowtrace.io',
      wrappedNative: '0xb31f66aa3c1e785363f0875a1b74e27b85fd66c7',
      // 0.1 AVAX
      nativeMinAmount: COIN / 10n,
    },
    labelSource: 'avalanche',
  },
  {
    // The Hardhat development chain. The demo replays real mainnet addresses on it (the node can
    // impersonate any account), so Ethereum's labels, token allow-list and wrapped ETH apply.
    // Caveat: the explorer points at Etherscan because the addresses are mainnet ones; transaction
    // links of a local replay do not exist there.
    info: { ...ETHEREUM, name: 'local', chainId: 31337 },
    labelSource: 'ethereum',
  },
];

const BY_NAME = new Map(ENTRIES.map((entry) => [entry.info.name, entry]));
const BY_CHAIN_ID = new Map(ENTRIES.map((entry) => [entry.info.chainId, entry.info]));
const NAMES: readonly string[] = ENTRIES.map((entry) => entry.info.name).sort();

/** The configured chains, by name (lowercase, as in cases and alerts) and by EIP-155 chain id. */
export const chainRegistry = {
  get(name: string): ChainInfo | undefined {
    return BY_NAME.get(name)?.info;
  },

  /** Like `get`, for input that must name a configured chain; throws UnknownChainError otherwise. */
  require(name: string): ChainInfo {
    const entry = BY_NAME.get(name);
    if (!entry) throw new UnknownChainError(name, NAMES);
    return entry.info;
  },

  byChainId(id: number): ChainInfo | undefined {
    return BY_CHAIN_ID.get(id);
  },

  /** Configured chain names, sorted. A fresh array: callers may keep or change it. */
  names(): string[] {
    return [...NAMES];
  },

  /**
   * The chain whose labels and token allow-list apply on `name`: 'ethereum' for 'local', the chain
   * itself otherwise (also for chains this registry does not know, whose own labels may still exist
   * in the data, e.g. fantom).
   */
  labelSourceOf(name: string): string {
    return BY_NAME.get(name)?.labelSource ?? name;
  },
} as const;

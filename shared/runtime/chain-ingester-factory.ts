import { getAddress } from 'ethers';
import { ChainReader, type TracingMode } from '../chain/index.ts';
import { ChainIngester, type Finality } from '../ingest/index.ts';
import { builtInLabels, builtInTokens, chainRegistry } from '../labels/index.ts';
import type { Store } from '../store/index.ts';

export interface ChainIngesterSettings {
  readonly chain: string;
  readonly rpcUrls: readonly string[];
  readonly tracing: TracingMode;
  readonly finality: Finality;
  readonly maxBlocksPerRange: number;
  readonly startBlock?: number;
}

/** Wires the chain reader, the labels and the store into the ingester of one chain. */
export function createChainIngester(
  settings: ChainIngesterSettings,
  store: Store,
): {
  ingester: ChainIngester;
  reader: ChainReader;
} {
  const chain = chainRegistry.require(settings.chain);
  const reader = new ChainReader({
    chain: chain.name,
    chainId: chain.chainId,
    rpcUrls: settings.rpcUrls,
    tracing: settings.tracing,
    maxBlocksPerRange: settings.maxBlocksPerRange,
  });
  const ingester = new ChainIngester({
    chain,
    source: reader,
    store,
    labels: builtInLabels(),
    tokens: builtInTokens(),
    formatAddress: getAddress,
    finality: settings.finality,
    maxBlocksPerRange: settings.maxBlocksPerRange,
    ...(settings.startBlock !== undefined ? { startBlock: settings.startBlock } : {}),
  });
  return { ingester, reader };
}

export type { HeadTag } from './block-reader.ts';
export { internalTransfersOf, type TracedTransaction } from './call-tree.ts';
export { ChainReader, type ChainReaderOptions } from './chain-reader.ts';
export {
  type ChainReaderConfig,
  type ResolvedChainReaderConfig,
  resolveChainReaderConfig,
  type TracingMode,
} from './chain-reader-config.ts';
export * from './errors.ts';
export type { RpcCallStats } from './json-rpc-client.ts';
export type { BlockHeader, RangeRead, ReadScope, UnreadableRange, UnreadableReason } from './range-read.ts';
export { redactRpcUrl } from './rpc-endpoint.ts';
export { logNamesWatched, touchesWatched, type WatchedAddresses } from './tainted-value-scope.ts';
export { TRANSFER_TOPIC, tokenTransferOf } from './token-transfers.ts';

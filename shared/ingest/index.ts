export {
  groupByTransaction,
  type RangeOutcome,
  saveRangeWallets,
  type TrackedCase,
  traceRange,
} from './apply-range.ts';
export {
  type BackfillStep,
  ChainIngester,
  type ChainIngesterOptions,
  type ChainSource,
  type Finality,
  type IngestStep,
  isBackfillComplete,
} from './chain-ingester.ts';
export * from './errors.ts';
export { type IngestLoopOptions, type IngestLoopSummary, runIngestLoop } from './ingest-loop.ts';
export { LearnedLabels, type RangeLabelView } from './range-labels.ts';

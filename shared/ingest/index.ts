export { applyRange, groupByTransaction, type RangeOutcome, type TrackedCase } from './apply-range.ts';
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
export { LearnedLabels, type RangeLabelView } from './range-labels.ts';
export { type IngestLoopOptions, type IngestLoopSummary, runIngestLoop } from './ingest-loop.ts';

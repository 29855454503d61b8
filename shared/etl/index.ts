/** Reading Ethereum-ETL exports (transactions.csv, token_transfers.csv, traces.csv) as ordered transfers. */

export { DEFAULT_REORDER_WINDOW } from './block-cursor.ts';
export type { BlockRows, EtlBlock, ExportFileNames } from './block-merge.ts';
export { mergeBlock } from './block-merge.ts';
export type { CsvBatch, CsvRecord, RecordReader } from './csv-records.ts';
export { readCsvBatches, readCsvRows } from './csv-records.ts';
export { detached, detachedTransfer } from './detach.ts';
export {
  BlockOrderError,
  CsvSyntaxError,
  EtlInputError,
  InconsistentExportError,
  InvalidFieldError,
  UnknownLayoutError,
} from './errors.ts';
export type {
  EtlReadOptions,
  EtlReadProgress,
  TokenTransferRow,
  TraceRow,
  TransactionRow,
} from './export-reader.ts';
export { EXPORT_FILE_NAMES, findExportFiles, readEtlBlocks, readEtlTransactions } from './export-reader.ts';

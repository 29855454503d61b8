import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Transfer } from '../domain/transfer.ts';
import {
  BlockCursor,
  type BlockRow,
  checkReorderWindow,
  DEFAULT_REORDER_WINDOW,
  type RowReader,
  unreadableFile,
} from './block-cursor.ts';
import { type BlockRows, type EtlBlock, type ExportFileNames, mergeBlock } from './block-merge.ts';
import { EtlInputError } from './errors.ts';
import { type TokenTransferRow, tokenTransferRowReader } from './token-transfers-file.ts';
import { type TraceRow, traceRowReader } from './traces-file.ts';
import { type TransactionRow, transactionRowReader } from './transactions-file.ts';

export const EXPORT_FILE_NAMES = {
  transactions: 'transactions.csv',
  tokenTransfers: 'token_transfers.csv',
  traces: 'traces.csv',
} as const;

/** Live counters of a read, for progress lines and throughput figures. */
export interface EtlReadProgress {
  /** Data rows read from all files. */
  rows: number;
  blocks: number;
  /** Last block yielded; -1 before the first. */
  block: number;
  transfers: number;
  /** Most blocks one file held at once (rows waiting for the reorder window to pass). */
  peakBlocksHeld?: number;
}

export interface EtlReadOptions {
  readonly chain: string;
  /** Updated as the read goes; the caller may poll it from a timer. */
  readonly progress?: EtlReadProgress;
  /**
   * How many blocks behind the highest block it has reached a file may still give a row (default
   * DEFAULT_REORDER_WINDOW); 0: each file sorted by block. Memory grows with it, not with the files.
   */
  readonly reorderWindow?: number;
  /** Bytes read from a file at a time (default 1 MiB). */
  readonly chunkBytes?: number;
}

/** Finds which of the three Ethereum-ETL files a directory holds; any non-empty subset is fine. */
export function findExportFiles(directory: string): ExportFileNames {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new EtlInputError(directory, 0, 'not a directory');
  }
  const files: { -readonly [K in keyof ExportFileNames]: string } = {};
  for (const [key, name] of Object.entries(EXPORT_FILE_NAMES) as [keyof ExportFileNames, string][]) {
    const path = join(directory, name);
    if (existsSync(path)) files[key] = path;
  }
  if (Object.keys(files).length === 0) {
    throw new EtlInputError(
      directory,
      0,
      `holds none of ${Object.values(EXPORT_FILE_NAMES).join(', ')} (an Ethereum-ETL export directory)`,
    );
  }
  return files;
}

/**
 * Streams an Ethereum-ETL export block by block: each file is read in 1 MiB chunks, the three are
 * merged on block number, and only the rows of the reorder window (the blocks a file may still add
 * rows to) are held, so memory does not grow with the size of the files (a day of mainnet is
 * gigabytes). Blocks come out in order even where a file has them slightly out of order.
 *
 * The transfers' strings are slices of the chunks: a consumer that keeps a transfer (or its addresses)
 * after the next block must keep `detachedTransfer(transfer)` instead (detach.ts).
 */
export async function* readEtlBlocks(
  files: ExportFileNames,
  options: EtlReadOptions,
): AsyncGenerator<EtlBlock> {
  const progress = options.progress ?? { rows: 0, blocks: 0, block: -1, transfers: 0 };
  const cursors: BlockCursor<BlockRow>[] = [];
  const window = options.reorderWindow ?? DEFAULT_REORDER_WINDOW;
  // Before any file is opened: a stream left opening would outlive the error.
  checkReorderWindow(window);
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  async function open<Row extends BlockRow>(
    file: string | undefined,
    readerFor: (header: readonly string[], file: string) => RowReader<Row>,
  ): Promise<BlockCursor<Row> | undefined> {
    if (file === undefined) return undefined;
    const cursor = await openCursor(file, (header) => readerFor(header, file), window, chunkBytes);
    cursors.push(cursor);
    return cursor;
  }
  const none: readonly never[] = [];
  try {
    const transactions = await open(files.transactions, transactionRowReader);
    const tokenTransfers = await open(files.tokenTransfers, tokenTransferRowReader);
    const traces = await open(files.traces, (header, file) =>
      traceRowReader(header, file, files.transactions === undefined),
    );
    for (;;) {
      let block = Number.POSITIVE_INFINITY;
      for (const cursor of cursors) {
        const next = await cursor.nextBlock();
        if (next !== undefined && next < block) block = next;
      }
      if (block === Number.POSITIVE_INFINITY) return;
      const rows: BlockRows = {
        blockNumber: block,
        transactions: transactions ? transactions.takeBlock(block) : none,
        tokenTransfers: tokenTransfers ? tokenTransfers.takeBlock(block) : none,
        traces: traces ? traces.takeBlock(block) : none,
      };
      const merged = mergeBlock(rows, files, options.chain);
      let rowsRead = 0;
      let peakBlocksHeld = progress.peakBlocksHeld ?? 0;
      for (const cursor of cursors) {
        rowsRead += cursor.rowsRead;
        if (cursor.peakBlocksHeld > peakBlocksHeld) peakBlocksHeld = cursor.peakBlocksHeld;
      }
      progress.rows = rowsRead;
      progress.peakBlocksHeld = peakBlocksHeld;
      progress.blocks++;
      progress.block = block;
      for (const transaction of merged.transactions) progress.transfers += transaction.length;
      yield merged;
    }
  } finally {
    // A consumer that stops early, or an error, must not leave file descriptors open.
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}

/** The same stream, one transaction (its transfers in order) at a time. */
export async function* readEtlTransactions(
  files: ExportFileNames,
  options: EtlReadOptions,
): AsyncGenerator<Transfer[]> {
  for await (const block of readEtlBlocks(files, options)) yield* block.transactions;
}

async function openCursor<Row extends BlockRow>(
  file: string,
  readerFor: (header: readonly string[]) => RowReader<Row>,
  reorderWindow: number,
  chunkBytes: number,
): Promise<BlockCursor<Row>> {
  // latin1: Ethereum-ETL files are ASCII (hex and decimals), and latin1 decodes bytes 1:1 without
  // UTF-8's cost or its split-character handling between chunks.
  const stream = createReadStream(file, { encoding: 'latin1', highWaterMark: chunkBytes });
  try {
    return await BlockCursor.open(file, readableChunks(stream, file), readerFor, reorderWindow);
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

/** File-system errors surface in the middle of iteration: give them the file's name. */
async function* readableChunks(stream: AsyncIterable<string | Buffer>, file: string): AsyncGenerator<string> {
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? chunk : chunk.toString('latin1');
  } catch (error) {
    if (error instanceof EtlInputError) throw error;
    throw unreadableFile(file, error);
  }
}

export type { TokenTransferRow, TraceRow, TransactionRow };

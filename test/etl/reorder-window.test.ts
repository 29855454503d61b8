import { spawnSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BlockOrderError,
  type EtlReadProgress,
  findExportFiles,
  readEtlBlocks,
} from '../../shared/etl/index.ts';
import {
  A,
  B,
  C,
  D,
  exportDir,
  failure,
  removeExportDirs,
  SAMPLES,
  summary,
  TOKEN_HEADER,
  TRACE_HEADER,
  TX_HEADER,
  tokenRow,
  traceRow,
  transactionsOf,
  txRow,
} from './export-files.ts';

afterEach(removeExportDirs);

/** The rows of each file for one block. */
interface BlockLines {
  readonly block: number;
  readonly transactions: string[];
  readonly tokenTransfers: string[];
  readonly traces: string[];
}

/**
 * Block b: two transactions (one with value), a token transfer, and traces: the root call, a call with
 * value, a nested call with value (a quoted trace address: the CSV reader's other path), and a
 * value-less staticcall (a record answered by its block number alone).
 */
function blockLines(block: number): BlockLines {
  const h = block * 10;
  return {
    block,
    transactions: [txRow(h, block, 0, A, B, String(block)), txRow(h + 1, block, 1, C, D, '0')],
    tokenTransfers: [tokenRow(h + 1, block, 0, C, D, String(block * 2))],
    traces: [
      traceRow(block, h, 0, A, B, String(block), 'call', 'call', ''),
      traceRow(block, h, 0, B, C, '3', 'call', 'call', '0'),
      traceRow(block, h, 0, C, D, '2', 'call', 'call', '0,0'),
      traceRow(block, h, 0, B, A, '0', 'call', 'staticcall', '1'),
      traceRow(block, h + 1, 1, C, D, '0', 'call', 'call', ''),
    ],
  };
}

function fileText(
  header: string,
  blocks: readonly BlockLines[],
  rows: (block: BlockLines) => string[],
): string {
  return `${[header, ...blocks.flatMap(rows)].join('\n')}\n`;
}

function exportOf(order: {
  transactions: readonly BlockLines[];
  tokenTransfers: readonly BlockLines[];
  traces: readonly BlockLines[];
}): string {
  return exportDir({
    'transactions.csv': fileText(TX_HEADER, order.transactions, (b) => b.transactions),
    'token_transfers.csv': fileText(TOKEN_HEADER, order.tokenTransfers, (b) => b.tokenTransfers),
    'traces.csv': fileText(TRACE_HEADER, order.traces, (b) => b.traces),
  });
}

/** Reverses each run of `size` blocks from `offset` on: a block comes up to size - 1 blocks late. */
function reversedRuns<T>(items: readonly T[], size: number, offset = 0): T[] {
  const result = items.slice(0, offset);
  for (let start = offset; start < items.length; start += size) {
    result.push(...items.slice(start, start + size).reverse());
  }
  return result;
}

function blocksFrom(first: number, count: number): BlockLines[] {
  return Array.from({ length: count }, (_, index) => blockLines(first + index));
}

describe('the reorder window', () => {
  it('puts the upstream sample back in order: the exporter wrote block 47219 before 47218', async () => {
    const directory = exportDir({});
    copyFileSync(join(SAMPLES, 'expected_transactions.csv'), join(directory, 'transactions.csv'));
    const inOrder = [
      ['47218/0 native tx 0x1406->0xa0e7 110000000000000000000 native @0'],
      ['47218/1 native tx 0xe6a7->0xee80 8140416390630760000 native @0'],
      ['47219/0 native tx 0xe6a7->0xe25e 8306052477120672000 native @0'],
      ['47219/1 native tx 0xf9a1->0x32be 1998716170000000000 native @0'],
    ];
    expect(summary(await transactionsOf(directory))).toEqual(inOrder);
    // One block back needs a window of one block.
    expect(summary(await transactionsOf(directory, { reorderWindow: 1 }))).toEqual(inOrder);
  });

  it('refuses the upstream sample with a window of 0 (strict order), saying how to sort it', async () => {
    const directory = exportDir({});
    copyFileSync(join(SAMPLES, 'expected_transactions.csv'), join(directory, 'transactions.csv'));
    const error = await failure(directory, { reorderWindow: 0 });
    expect(error).toBeInstanceOf(BlockOrderError);
    expect(error.file).toBe(join(directory, 'transactions.csv'));
    expect(error.line).toBe(4);
    expect(error.message).toContain(
      'transactions.csv:4: block 47218 comes after block 47219, 1 block back: beyond the reorder window ' +
        'of 0 blocks. Raise --reorder-window to 1 or more, or sort the file by tx_block_number: ',
    );
    expect(error.message).toContain('LC_ALL=C sort -s -t, -k4,4n; } > sorted.csv');

    // The suggested command does sort it (header first, rows of a block in their order).
    const command = error.message.slice(error.message.indexOf('{ head'));
    const run = spawnSync('sh', ['-c', command], { cwd: directory, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    renameSync(join(directory, 'sorted.csv'), join(directory, 'transactions.csv'));
    expect(summary(await transactionsOf(directory, { reorderWindow: 0 })).flat()).toEqual([
      '47218/0 native tx 0x1406->0xa0e7 110000000000000000000 native @0',
      '47218/1 native tx 0xe6a7->0xee80 8140416390630760000 native @0',
      '47219/0 native tx 0xe6a7->0xe25e 8306052477120672000 native @0',
      '47219/1 native tx 0xf9a1->0x32be 1998716170000000000 native @0',
    ]);
  });

  it('merges transactions out of order with token transfers and traces in order, as if all were sorted', async () => {
    const blocks = blocksFrom(100, 12);
    const sorted = await transactionsOf(
      exportOf({ transactions: blocks, tokenTransfers: blocks, traces: blocks }),
      { reorderWindow: 0 },
    );
    // Each token transfer takes its transaction index from transactions.csv's rows of the same block:
    // had a block been cut in two, the merge would have refused a transfer of a missing transaction.
    const unsorted = exportOf({
      transactions: reversedRuns(blocks, 4),
      tokenTransfers: blocks,
      traces: blocks,
    });
    expect(summary(await transactionsOf(unsorted, { reorderWindow: 3 }))).toEqual(summary(sorted));
    expect(sorted.map((transfers) => transfers[0]?.blockNumber)).toEqual(
      blocks.flatMap((b) => [b.block, b.block]),
    );
  });

  it('gathers the rows of a block that the file splits apart', async () => {
    const directory = exportDir({
      'transactions.csv': [
        TX_HEADER,
        txRow(1, 100, 0, A, B, '1'),
        txRow(2, 101, 0, A, B, '2'),
        txRow(3, 100, 2, A, C, '3'),
        txRow(4, 102, 0, A, B, '4'),
        txRow(5, 100, 1, A, D, '5'),
      ].join('\n'),
    });
    expect(summary(await transactionsOf(directory, { reorderWindow: 2 })).flat()).toEqual([
      '100/0 native tx 0xaaaa->0xbbbb 1 native @1700000000',
      '100/1 native tx 0xaaaa->0xdddd 5 native @1700000000',
      '100/2 native tx 0xaaaa->0xcccc 3 native @1700000000',
      '101/0 native tx 0xaaaa->0xbbbb 2 native @1700000000',
      '102/0 native tx 0xaaaa->0xbbbb 4 native @1700000000',
    ]);
  });

  it('refuses a row further back than the window, naming file, line, block and window', async () => {
    const directory = exportDir({
      'transactions.csv': [
        TX_HEADER,
        txRow(1, 100, 0, A, B, '1'),
        txRow(2, 105, 0, A, B, '2'),
        txRow(3, 101, 0, A, B, '3'),
      ].join('\n'),
    });
    // 4 blocks back: a window of 4 takes it, one of 3 does not.
    expect((await transactionsOf(directory, { reorderWindow: 4 })).length).toBe(3);
    const error = await failure(directory, { reorderWindow: 3 });
    expect(error).toBeInstanceOf(BlockOrderError);
    expect(error.line).toBe(4);
    expect(error.message).toMatch(
      /transactions\.csv:4: block 101 comes after block 105, 4 blocks back: beyond the reorder window of 3 blocks\. Raise --reorder-window to 4 or more, or sort the file by block_number: \{ head -n 1 \S+transactions\.csv; tail -n \+2 \S+transactions\.csv \| LC_ALL=C sort -s -t, -k4,4n; \} > sorted\.csv$/,
    );
  });

  it('checks the records that yield no row as well (a value-less call), and says how to sort traces', async () => {
    const directory = exportDir({
      'traces.csv': [
        TRACE_HEADER,
        traceRow(110, 1, 0, A, B, '5', 'call', 'call', ''),
        traceRow(100, 2, 0, A, B, '0', 'call', 'staticcall', '0'),
      ].join('\n'),
    });
    const error = await failure(directory, { reorderWindow: 9 });
    expect(error).toBeInstanceOf(BlockOrderError);
    expect(error.line).toBe(3);
    expect(error.message).toContain('block 100 comes after block 110, 10 blocks back');
    expect(error.message).toContain('sort -s -t, -k1,1n');

    // The BigQuery layout puts block_number after trace_address, whose quoted commas defeat sort -t,.
    const bigQuery = exportDir({
      'traces.csv': [
        'transaction_hash,transaction_index,from_address,to_address,value,trace_type,call_type,trace_address,error,block_number',
        `0x${'1'.repeat(64)},0,${A},${B},5,call,call,"0,1",,110`,
        `0x${'2'.repeat(64)},0,${A},${B},5,call,call,"0,1",,100`,
      ].join('\n'),
    });
    const hint = await failure(bigQuery, { reorderWindow: 0 });
    expect(hint.message).toMatch(/sort the file by block_number with a CSV-aware tool/);
  });

  it('with a window of 0, reads a sorted export as before and refuses the first step back', async () => {
    const blocks = blocksFrom(100, 5);
    const sorted = exportOf({ transactions: blocks, tokenTransfers: blocks, traces: blocks });
    expect((await transactionsOf(sorted, { reorderWindow: 0 })).length).toBe(10);

    const swapped = exportOf({
      transactions: blocks,
      tokenTransfers: blocks,
      traces: reversedRuns(blocks, 2),
    });
    const error = await failure(swapped, { reorderWindow: 0 });
    expect(error).toBeInstanceOf(BlockOrderError);
    expect(error.file).toMatch(/traces\.csv$/);
    // Line 7: the first trace of block 100, after the five of block 101.
    expect(error.line).toBe(7);
    expect(error.message).toContain(
      'block 100 comes after block 101, 1 block back: beyond the reorder window of 0 blocks',
    );
  });

  it('refuses a window that is not a whole number of blocks', async () => {
    const directory = exportDir({ 'transactions.csv': `${TX_HEADER}\n${txRow(1, 100, 0, A, B, '1')}\n` });
    await expect(transactionsOf(directory, { reorderWindow: -1 })).rejects.toThrow(RangeError);
    await expect(transactionsOf(directory, { reorderWindow: 1.5 })).rejects.toThrow(RangeError);
  });

  it('holds no more blocks than the window and one chunk, however long the files', async () => {
    const window = 25;
    const chunkBytes = 4096;
    const blocks = blocksFrom(1_000_000, 3000);
    const ordered = exportOf({ transactions: blocks, tokenTransfers: blocks, traces: blocks });
    // Every file out of order up to the window, each its own way.
    const shuffled = exportOf({
      transactions: reversedRuns(blocks, window + 1),
      tokenTransfers: reversedRuns(blocks, 7, 3),
      traces: reversedRuns(blocks, window + 1, 11),
    });

    const expected = summary(await transactionsOf(ordered, { reorderWindow: 0 }));
    expect(expected.length).toBe(2 * blocks.length);
    const progress: EtlReadProgress = { rows: 0, blocks: 0, block: -1, transfers: 0 };
    const read: ReturnType<typeof summary> = [];
    for await (const block of readEtlBlocks(findExportFiles(shuffled), {
      chain: 'ethereum',
      progress,
      reorderWindow: window,
      chunkBytes,
    })) {
      read.push(...summary(block.transactions));
    }
    expect(read).toEqual(expected);
    expect(progress.rows).toBe(blocks.length * 8);

    // A chunk, with the end of the record cut at its start, spans at most this many blocks of a file.
    const files = blocks.flatMap((b) => [b.transactions, b.tokenTransfers, b.traces]);
    const smallestBlock = Math.min(...files.map((rows) => rows.join('\n').length + 1));
    const longestRecord = Math.max(...files.flat().map((row) => row.length + 1));
    const blocksPerChunk = Math.ceil((chunkBytes + longestRecord) / smallestBlock) + 1;
    expect(window + 1 + blocksPerChunk).toBeLessThan(blocks.length / 40);
    expect(progress.peakBlocksHeld).toBeLessThanOrEqual(window + 1 + blocksPerChunk);
    expect(progress.peakBlocksHeld).toBeGreaterThan(window);
  });
});

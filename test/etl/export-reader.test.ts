import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transfer } from '../../shared/domain/transfer.ts';
import {
  BlockOrderError,
  EtlInputError,
  type EtlReadProgress,
  findExportFiles,
  InconsistentExportError,
  InvalidFieldError,
  readEtlBlocks,
  UnknownLayoutError,
} from '../../shared/etl/index.ts';
import {
  A,
  B,
  C,
  D,
  exportDir,
  failure,
  hash,
  removeExportDirs,
  SAMPLES,
  summary,
  TOKEN,
  TOKEN_HEADER,
  TRACE_HEADER,
  TX_HEADER,
  traceRow,
  transactionsOf,
  txRow,
} from './export-files.ts';

afterEach(removeExportDirs);

describe('transactions.csv', () => {
  it('reads the current layout, in any column order', async () => {
    const rows = [
      TX_HEADER,
      txRow(1, 100, 0, A, B, '5'),
      txRow(2, 100, 1, B, C, '0'),
      txRow(3, 101, 0, C, D, '7'),
    ];
    const expected = [
      ['100/0 native tx 0xaaaa->0xbbbb 5 native @1700000000'],
      ['101/0 native tx 0xcccc->0xdddd 7 native @1700000000'],
    ];
    expect(summary(await transactionsOf(exportDir({ 'transactions.csv': `${rows.join('\n')}\n` })))).toEqual(
      expected,
    );

    // The same rows with the columns reversed.
    const reversed = rows.map((row) => row.split(',').reverse().join(',')).join('\n');
    expect(summary(await transactionsOf(exportDir({ 'transactions.csv': reversed })))).toEqual(expected);
  });

  it('reads the old tx_-prefixed layout of the Ethereum-ETL test fixtures', async () => {
    const directory = exportDir({});
    copyFileSync(join(SAMPLES, 'expected_transactions.csv'), join(directory, 'transactions.csv'));
    // The upstream fixture lists block 47219 before 47218 (the exporter's JSON-RPC batch in answer
    // order): the reorder window puts them back in order (reorder-window.test.ts has the rest).
    expect(summary(await transactionsOf(directory))).toEqual([
      ['47218/0 native tx 0x1406->0xa0e7 110000000000000000000 native @0'],
      ['47218/1 native tx 0xe6a7->0xee80 8140416390630760000 native @0'],
      ['47219/0 native tx 0xe6a7->0xe25e 8306052477120672000 native @0'],
      ['47219/1 native tx 0xf9a1->0x32be 1998716170000000000 native @0'],
    ]);
  });

  it('reads the old layout once sorted', async () => {
    const directory = exportDir({
      'transactions.csv': [
        'tx_hash,tx_nonce,tx_block_hash,tx_block_number,tx_index,tx_from,tx_to,tx_value,tx_gas,tx_gas_price,tx_input',
        `${hash(1)},9,${hash(50)},47218,0,${A},${B},110000000000000000000,40000,62227241854,0x`,
        `${hash(2)},78,${hash(50)},47218,1,${C},${D},8140416390630760000,21000,62222792381,0x`,
      ].join('\n'),
    });
    expect(summary(await transactionsOf(directory))).toEqual([
      ['47218/0 native tx 0xaaaa->0xbbbb 110000000000000000000 native @0'],
      ['47218/1 native tx 0xcccc->0xdddd 8140416390630760000 native @0'],
    ]);
  });

  it('gives a failed transaction (receipt_status 0) no value', async () => {
    const directory = exportDir({
      'transactions.csv': [
        'hash,block_number,transaction_index,from_address,to_address,value,receipt_status',
        `${hash(1)},100,0,${A},${B},5,0`,
        `${hash(2)},100,1,${A},${C},6,1`,
        `${hash(3)},100,2,${A},${D},7,`,
      ].join('\n'),
    });
    expect(summary(await transactionsOf(directory)).flat()).toEqual([
      '100/1 native tx 0xaaaa->0xcccc 6 native @0',
      '100/2 native tx 0xaaaa->0xdddd 7 native @0',
    ]);
  });

  it('sends a contract creation value to the contract derived from sender and nonce', async () => {
    // Example of the ethers v6 documentation for getCreateAddress.
    const sender = '0x8ba1f109551bd432803012645ac136ddd64dba72';
    const directory = exportDir({
      'transactions.csv': [
        'hash,nonce,block_number,transaction_index,from_address,to_address,value',
        `${hash(1)},5,100,0,${sender},,1000`,
      ].join('\n'),
    });
    const [[creation]] = (await transactionsOf(directory)) as [[Transfer]];
    expect(creation.to).toBe('0x082b6ac9e47d7d83ea3fabbd1ec7daba9d687b36');
  });

  it('reads BigQuery timestamps', async () => {
    const directory = exportDir({
      'transactions.csv': [
        'hash,block_number,transaction_index,from_address,to_address,value,block_timestamp',
        `${hash(1)},100,0,${A},${B},5,2022-06-23 11:02:03 UTC`,
      ].join('\n'),
    });
    const [[transfer]] = (await transactionsOf(directory)) as [[Transfer]];
    expect(transfer.blockTime).toBe(Date.UTC(2022, 5, 23, 11, 2, 3) / 1000);
  });
});

describe('traces.csv', () => {
  it('skips the root call when transactions.csv has the value, and callcode and rewards always', async () => {
    const directory = exportDir({});
    copyFileSync(join(SAMPLES, 'expected_traces.csv'), join(directory, 'traces.csv'));
    // Without transactions.csv the root calls are the transactions' own values; the callcode child
    // (from = to, repeating the parent's 100 ETH) and the block reward move nothing.
    expect(summary(await transactionsOf(directory))).toEqual([
      ['1000000/0 native tx 0x39fa->0xc083 100000000000000000000 native @0'],
      ['1000000/1 native tx 0x32be->0xdf19 437194980000000000 native @0'],
    ]);

    writeFileSync(
      join(directory, 'transactions.csv'),
      [
        'hash,block_number,transaction_index,from_address,to_address,value,block_timestamp',
        '0xea1093d492a1dcb1bef708f771a99a96ff05dcab81ca76c31940300177fcf49f,1000000,0,0x39fa8c5f2793459d6622857e7d9fbb4bd91766d3,0xc083e9947cf02b8ffc7d3090ae9aea72df98fd47,100000000000000000000,1455404053',
        '0xe9e91f1ee4b56c0df2e9f06c2b8c27c6076195a88a7b8537ba8313d80e6f124e,1000000,1,0x32be343b94f860124dc4fee278fdcbd38c102d88,0xdf190dc7190dfba737d7777a163445b7fff16133,437194980000000000,1455404053',
      ].join('\n'),
    );
    // With it, each value is counted once (from transactions.csv, with its block time).
    expect(summary(await transactionsOf(directory))).toEqual([
      ['1000000/0 native tx 0x39fa->0xc083 100000000000000000000 native @1455404053'],
      ['1000000/1 native tx 0x32be->0xdf19 437194980000000000 native @1455404053'],
    ]);
  });

  it('follows value-moving calls, creations and selfdestructs; skips delegatecall, staticcall and failures', async () => {
    const rows = [
      TRACE_HEADER,
      traceRow(100, 1, 0, A, B, '10', 'call', 'call', ''),
      traceRow(100, 1, 0, B, C, '4', 'call', 'call', '0'),
      traceRow(100, 1, 0, B, C, '4', 'call', 'delegatecall', '1'),
      traceRow(100, 1, 0, B, C, '0', 'call', 'staticcall', '2'),
      traceRow(100, 1, 0, B, D, '3', 'create', '', '3'),
      traceRow(100, 1, 0, C, D, '2', 'call', 'call', '0,0', 'Reverted', '0'),
      // A selfdestruct under the reverted call: Ethereum-ETL leaves its status 1, yet it moved nothing.
      traceRow(100, 1, 0, D, A, '1', 'suicide', '', '0,0,0'),
      traceRow(100, 1, 0, C, A, '9', 'suicide', '', '0,1'),
      traceRow(100, 2, 1, A, B, '5', 'call', 'call', '', 'Out of gas', '0'),
      traceRow(100, 2, 1, B, C, '5', 'call', 'call', '0', '', '0'),
    ];
    const directory = exportDir({ 'traces.csv': rows.join('\n') });
    expect(summary(await transactionsOf(directory))).toEqual([
      [
        '100/0 native tx 0xaaaa->0xbbbb 10 native @0',
        '100/0 internal call:0 0xbbbb->0xcccc 4 native @0',
        '100/0 internal call:0.1 0xcccc->0xaaaa 9 native @0',
        '100/0 internal call:3 0xbbbb->0xdddd 3 native @0',
      ],
    ]);
  });

  it('drops the value of a transaction whose root trace failed, even when transactions.csv omits the status', async () => {
    const directory = exportDir({
      'transactions.csv': [
        'hash,block_number,transaction_index,from_address,to_address,value',
        `${hash(1)},100,0,${A},${B},5`,
        `${hash(2)},100,1,${A},${C},6`,
      ].join('\n'),
      'traces.csv': [
        TRACE_HEADER,
        traceRow(100, 1, 0, A, B, '5', 'call', 'call', '', 'Reverted', '0'),
        traceRow(100, 2, 1, A, C, '6', 'call', 'call', ''),
      ].join('\n'),
    });
    expect(summary(await transactionsOf(directory)).flat()).toEqual([
      '100/1 native tx 0xaaaa->0xcccc 6 native @0',
    ]);
  });

  it('refuses an unknown call type rather than guessing whether it moved value', async () => {
    const directory = exportDir({
      'traces.csv': [TRACE_HEADER, traceRow(100, 1, 0, A, B, '5', 'call', 'teleport', '')].join('\n'),
    });
    const error = await failure(directory);
    expect(error).toBeInstanceOf(InvalidFieldError);
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/call_type "teleport"/);
  });
});

describe('token_transfers.csv', () => {
  const tokenRows = [
    TOKEN_HEADER,
    `${TOKEN},${C},${D},30,${hash(2)},0,100`,
    `${TOKEN},${A},${B},10,${hash(1)},3,100`,
    `${TOKEN},${B},${C},20,${hash(2)},1,100`,
    `${TOKEN},${A},${C},0,${hash(3)},0,101`,
  ];

  it('orders transactions by log order when it is the only file', async () => {
    const directory = exportDir({ 'token_transfers.csv': tokenRows.join('\n') });
    expect(summary(await transactionsOf(directory))).toEqual([
      ['100/0 erc20 log:0 0xcccc->0xdddd 30 0xeeee @0', '100/0 erc20 log:1 0xbbbb->0xcccc 20 0xeeee @0'],
      ['100/1 erc20 log:3 0xaaaa->0xbbbb 10 0xeeee @0'],
      // Zero-value token transfers are kept: the tracer is the one that refuses them, as evidence of nothing.
      ['101/0 erc20 log:0 0xaaaa->0xcccc 0 0xeeee @0'],
    ]);
  });

  it('takes transaction indexes and block time from transactions.csv, merging the files block by block', async () => {
    const directory = exportDir({
      'token_transfers.csv': tokenRows.join('\n'),
      'transactions.csv': [
        TX_HEADER,
        txRow(1, 100, 0, A, TOKEN, '0', 1111),
        txRow(2, 100, 4, C, D, '8', 1111),
        txRow(3, 101, 2, A, TOKEN, '0', 2222),
      ].join('\n'),
    });
    expect(summary(await transactionsOf(directory))).toEqual([
      ['100/0 erc20 log:3 0xaaaa->0xbbbb 10 0xeeee @1111'],
      [
        '100/4 native tx 0xcccc->0xdddd 8 native @1111',
        '100/4 erc20 log:0 0xcccc->0xdddd 30 0xeeee @1111',
        '100/4 erc20 log:1 0xbbbb->0xcccc 20 0xeeee @1111',
      ],
      ['101/2 erc20 log:0 0xaaaa->0xcccc 0 0xeeee @2222'],
    ]);
  });

  it('says so when a token transfer belongs to a transaction the block does not have', async () => {
    const directory = exportDir({
      'token_transfers.csv': tokenRows.join('\n'),
      'transactions.csv': [TX_HEADER, txRow(1, 100, 0, A, TOKEN, '0'), txRow(3, 101, 0, A, TOKEN, '0')].join(
        '\n',
      ),
    });
    const error = await failure(directory);
    expect(error).toBeInstanceOf(InconsistentExportError);
    expect(error.message).toMatch(/token_transfers\.csv:2: transaction 0x0+2 is not in block 100/);
  });
});

describe('bad input', () => {
  it.each([
    ['an unknown layout', 'id,amount\n1,2\n', UnknownLayoutError, 1, /missing columns hash or tx_hash/],
    ['a headerless file', `${txRow(1, 100, 0, A, B, '5')}\n`, UnknownLayoutError, 1, /first line is data/],
    [
      'a non-numeric value',
      `${TX_HEADER}\n${txRow(1, 100, 0, A, B, '12a')}\n`,
      InvalidFieldError,
      2,
      /value "12a"/,
    ],
    [
      'a malformed address',
      `${TX_HEADER}\n${txRow(1, 100, 0, '0x1234', B, '1')}\n`,
      InvalidFieldError,
      2,
      /from_address "0x1234" is not an address/,
    ],
    ['a short row', `${TX_HEADER}\n${hash(1)},1,2\n`, InvalidFieldError, 2, /expected 15 fields/],
    [
      'an unterminated quote',
      `${TX_HEADER}\n${txRow(1, 100, 0, A, B, '1')}\n"${hash(2)},1\n`,
      EtlInputError,
      3,
      /unterminated quoted field/,
    ],
    ['an empty file', '', UnknownLayoutError, 1, /empty/],
  ])('names the file and line for %s', async (_what, text, type, line, problem) => {
    const error = await failure(exportDir({ 'transactions.csv': text }));
    expect(error).toBeInstanceOf(type);
    expect(error.file).toMatch(/transactions\.csv$/);
    expect(error.line).toBe(line);
    expect(error.problem).toMatch(problem);
  });

  it('names a token file whose block goes backwards, with a reorder window of 0', async () => {
    const directory = exportDir({
      'token_transfers.csv': [
        TOKEN_HEADER,
        `${TOKEN},${A},${B},1,${hash(1)},0,101`,
        `${TOKEN},${A},${B},1,${hash(2)},0,100`,
      ].join('\n'),
    });
    const error = await failure(directory, { reorderWindow: 0 });
    expect(error).toBeInstanceOf(BlockOrderError);
    expect(error.message).toMatch(/token_transfers\.csv:3: block 100 comes after block 101/);
  });

  it('refuses a directory without any export file', () => {
    expect(() => findExportFiles(exportDir({ 'blocks.csv': 'number\n' }))).toThrow(
      /holds none of transactions\.csv/,
    );
  });
});

describe('streaming', () => {
  it('crosses chunk boundaries and counts rows, blocks and transfers', async () => {
    // About 4 MB: several 1 MiB chunks, with blocks and rows cut at chunk edges.
    const rows = [TX_HEADER];
    const input = `0x${'ab'.repeat(100)}`;
    for (let i = 0; i < 12_000; i++) {
      rows.push(
        txRow(i + 1, 1000 + Math.floor(i / 7), i % 7, A, B, String(i + 1)).replace(',0x,', `,${input},`),
      );
    }
    const directory = exportDir({ 'transactions.csv': `${rows.join('\n')}\n` });
    const progress: EtlReadProgress = { rows: 0, blocks: 0, block: -1, transfers: 0 };
    let total = 0n;
    let count = 0;
    let lastBlock = -1;
    for await (const block of readEtlBlocks(findExportFiles(directory), { chain: 'ethereum', progress })) {
      expect(block.blockNumber).toBeGreaterThan(lastBlock);
      lastBlock = block.blockNumber;
      for (const transaction of block.transactions) {
        for (const transfer of transaction) {
          total += transfer.amount;
          count++;
        }
      }
    }
    expect(count).toBe(12_000);
    expect(total).toBe((12_000n * 12_001n) / 2n);
    expect(progress).toEqual({
      rows: 12_000,
      blocks: Math.ceil(12_000 / 7),
      block: lastBlock,
      transfers: 12_000,
      // The default window's 1,001 blocks and those of one 1 MiB chunk (about 370), not all 1,715.
      peakBlocksHeld: expect.any(Number),
    });
    expect(progress.peakBlocksHeld).toBeGreaterThan(1000);
    expect(progress.peakBlocksHeld).toBeLessThan(1715);
  });

  it('releases the files when the reader is abandoned early', async () => {
    const directory = exportDir({
      'transactions.csv': [TX_HEADER, txRow(1, 100, 0, A, B, '5'), txRow(2, 101, 0, A, B, '5')].join('\n'),
    });
    for await (const block of readEtlBlocks(findExportFiles(directory), { chain: 'ethereum' })) {
      expect(block.blockNumber).toBe(100);
      break;
    }
    // On Windows an open file could not be removed; everywhere, a second read must start afresh.
    expect((await transactionsOf(directory)).length).toBe(2);
  });
});

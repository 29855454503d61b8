/** Builders of small Ethereum-ETL exports for the reader tests: rows in the current layouts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transfer } from '../../shared/domain/transfer.ts';
import {
  EtlInputError,
  type EtlReadOptions,
  findExportFiles,
  readEtlTransactions,
} from '../../shared/etl/index.ts';

export const SAMPLES = join(import.meta.dirname, '../fixtures/etl/ethereum-etl-samples');

const directories: string[] = [];

/** Removes the directories exportDir made (call from afterEach). */
export function removeExportDirs(): void {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
}

export function exportDir(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'etl-test-'));
  directories.push(directory);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

export async function transactionsOf(
  directory: string,
  options: Partial<EtlReadOptions> = {},
): Promise<Transfer[][]> {
  const result: Transfer[][] = [];
  for await (const transaction of readEtlTransactions(findExportFiles(directory), {
    chain: 'ethereum',
    ...options,
  })) {
    result.push(transaction);
  }
  return result;
}

export async function failure(
  directory: string,
  options: Partial<EtlReadOptions> = {},
): Promise<EtlInputError> {
  try {
    await transactionsOf(directory, options);
  } catch (error) {
    if (error instanceof EtlInputError) return error;
    throw error;
  }
  throw new Error('expected an EtlInputError');
}

/** Short, readable summaries: "block/txIndex position from->to amount asset". */
export function summary(transactions: Transfer[][]): string[][] {
  return transactions.map((transfers) =>
    transfers.map(
      (t) =>
        `${t.blockNumber}/${t.txIndex} ${t.kind} ${t.position} ${t.from.slice(0, 6)}->${t.to.slice(0, 6)} ` +
        `${t.amount} ${t.asset === 'native' ? 'native' : t.asset.slice(0, 6)} @${t.blockTime}`,
    ),
  );
}

export const A = `0x${'a'.repeat(40)}`;
export const B = `0x${'b'.repeat(40)}`;
export const C = `0x${'c'.repeat(40)}`;
export const D = `0x${'d'.repeat(40)}`;
export const TOKEN = `0x${'e'.repeat(40)}`;
export const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

export const TX_HEADER =
  'hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,' +
  'block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type';

export function txRow(
  h: number,
  block: number,
  index: number,
  from: string,
  to: string,
  value: string,
  time = 1700000000,
) {
  return `${hash(h)},7,${hash(9000 + block)},${block},${index},${from},${to},${value},21000,1,0x,${time},2,1,2`;
}

export const TOKEN_HEADER =
  'token_address,from_address,to_address,value,transaction_hash,log_index,block_number';

export function tokenRow(
  h: number,
  block: number,
  logIndex: number,
  from: string,
  to: string,
  value: string,
) {
  return `${TOKEN},${from},${to},${value},${hash(h)},${logIndex},${block}`;
}

export const TRACE_HEADER =
  'block_number,transaction_hash,transaction_index,from_address,to_address,value,input,output,trace_type,' +
  'call_type,reward_type,gas,gas_used,subtraces,trace_address,error,status,trace_id';

export function traceRow(
  block: number,
  h: number,
  index: number,
  from: string,
  to: string,
  value: string,
  type: string,
  callType: string,
  traceAddress: string,
  error = '',
  status = '1',
) {
  const quoted = traceAddress.includes(',') ? `"${traceAddress}"` : traceAddress;
  return `${block},${hash(h)},${index},${from},${to},${value},0x,0x,${type},${callType},,100,50,0,${quoted},${error},${status},id`;
}

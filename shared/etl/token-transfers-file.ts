import type { Address } from '../domain/address.ts';
import type { BlockRow, RowReader } from './block-cursor.ts';
import { readAddress, readAmount, readHash, readIndex } from './fields.ts';
import { type ColumnSpec, resolveColumns } from './layout.ts';

/**
 * One `Transfer` log of `token_transfers.csv`. Anyone can deploy a contract emitting such logs: the row
 * says what the contract claims, and the tracer decides (allow-list, dust) whether to believe it.
 */
export interface TokenTransferRow extends BlockRow {
  readonly token: Address;
  readonly from: Address;
  readonly to: Address;
  readonly value: bigint;
  readonly txHash: string;
  /** Index of the log in its block (not in its transaction). */
  readonly logIndex: number;
  /** Raw `block_timestamp` when the export has it, else ''. */
  readonly blockTime: string;
}

/** `token_address,from_address,to_address,value,transaction_hash,log_index,block_number[,block_timestamp]`. */
const TOKEN_TRANSFER_COLUMNS = {
  token: { names: ['token_address'], required: true },
  from: { names: ['from_address'], required: true },
  to: { names: ['to_address'], required: true },
  value: { names: ['value'], required: true },
  txHash: { names: ['transaction_hash'], required: true },
  logIndex: { names: ['log_index'], required: true },
  blockNumber: { names: ['block_number'], required: true },
  blockTime: { names: ['block_timestamp'], required: false },
} satisfies Record<string, ColumnSpec>;

export function tokenTransferRowReader(header: readonly string[], file: string): RowReader<TokenTransferRow> {
  const c = resolveColumns(header, TOKEN_TRANSFER_COLUMNS, file, 'token_transfers');
  return (record, blockNumber) => {
    const line = record.line;
    return {
      line,
      blockNumber,
      token: readAddress(record.field(c.token), 'token_address', file, line),
      from: readAddress(record.field(c.from), 'from_address', file, line),
      to: readAddress(record.field(c.to), 'to_address', file, line),
      value: readAmount(record.field(c.value), 'value', file, line),
      txHash: readHash(record.field(c.txHash), 'transaction_hash', file, line),
      logIndex: readIndex(record.field(c.logIndex), 'log_index', file, line),
      blockTime: c.blockTime >= 0 ? record.field(c.blockTime) : '',
    };
  };
}

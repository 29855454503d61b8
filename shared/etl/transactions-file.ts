import type { Address } from '../domain/address.ts';
import type { BlockRow, RowReader } from './block-cursor.ts';
import { InvalidFieldError } from './errors.ts';
import { readAddress, readAmount, readHash, readIndex, readOptionalAddress } from './fields.ts';
import { type ColumnSpec, resolveColumns } from './layout.ts';

/** One row of `transactions.csv`: the transaction's own value, from its sender to its recipient. */
export interface TransactionRow extends BlockRow {
  readonly hash: string;
  readonly txIndex: number;
  /** Null when the transaction carries no value: its parties move nothing and are not read. */
  readonly from: Address | null;
  /** Empty for a contract creation (the recipient is then the created contract); null as `from`. */
  readonly to: Address | null;
  readonly value: bigint;
  /** Needed to derive the created contract's address when the export does not give it. */
  readonly nonce: number | null;
  /** `receipt_contract_address` where the export has it (the BigQuery tables do). */
  readonly contractAddress: Address | null;
  /** 0 for a failed (reverted) transaction, which moves no value; null when the export does not say. */
  readonly status: 0 | 1 | null;
  /** Raw `block_timestamp`, parsed once per block by the merge; '' when absent. */
  readonly blockTime: string;
}

/**
 * The current Ethereum-ETL layout (`hash,nonce,block_hash,block_number,transaction_index,from_address,
 * to_address,value,gas,gas_price,input,block_timestamp,...`) and the old `tx_`-prefixed one
 * (`tx_hash,tx_nonce,tx_block_hash,tx_block_number,tx_index,tx_from,tx_to,tx_value,...`), in any column
 * order. `receipt_status` and `receipt_contract_address` come with the BigQuery table exports.
 */
const TRANSACTION_COLUMNS = {
  hash: { names: ['hash', 'tx_hash', 'transaction_hash'], required: true },
  blockNumber: { names: ['block_number', 'tx_block_number'], required: true },
  txIndex: { names: ['transaction_index', 'tx_index'], required: true },
  from: { names: ['from_address', 'tx_from'], required: true },
  to: { names: ['to_address', 'tx_to'], required: true },
  value: { names: ['value', 'tx_value'], required: true },
  nonce: { names: ['nonce', 'tx_nonce'], required: false },
  blockTime: { names: ['block_timestamp', 'tx_block_timestamp'], required: false },
  status: { names: ['receipt_status', 'status'], required: false },
  contractAddress: { names: ['receipt_contract_address'], required: false },
} satisfies Record<string, ColumnSpec>;

export function transactionRowReader(header: readonly string[], file: string): RowReader<TransactionRow> {
  const c = resolveColumns(header, TRANSACTION_COLUMNS, file, 'transactions');
  return (record, blockNumber) => {
    const line = record.line;
    const statusText = c.status >= 0 ? record.field(c.status) : '';
    let status: 0 | 1 | null = null;
    if (statusText === '1') status = 1;
    else if (statusText === '0') status = 0;
    else if (statusText !== '') {
      throw new InvalidFieldError(
        file,
        line,
        `receipt_status ${JSON.stringify(statusText)} is not 0, 1 or empty`,
      );
    }
    const value = readAmount(record.field(c.value), 'value', file, line);
    // Nearly half of mainnet transactions are contract calls without value: their parties, nonce
    // and created contract matter to nobody here, and are not read.
    const moves = value > 0n;
    const nonceText = moves && c.nonce >= 0 ? record.field(c.nonce) : '';
    return {
      line,
      blockNumber,
      hash: readHash(record.field(c.hash), 'hash', file, line),
      txIndex: readIndex(record.field(c.txIndex), 'transaction_index', file, line),
      from: moves ? readAddress(record.field(c.from), 'from_address', file, line) : null,
      to: moves ? readOptionalAddress(record.field(c.to), 'to_address', file, line) : null,
      value,
      nonce: nonceText === '' ? null : readIndex(nonceText, 'nonce', file, line),
      contractAddress:
        moves && c.contractAddress >= 0
          ? readOptionalAddress(record.field(c.contractAddress), 'receipt_contract_address', file, line)
          : null,
      status,
      blockTime: c.blockTime >= 0 ? record.field(c.blockTime) : '',
    };
  };
}

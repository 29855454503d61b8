import type { Address } from '../domain/address.ts';
import type { BlockRow, RowReader } from './block-cursor.ts';
import { InvalidFieldError } from './errors.ts';
import { readAmount, readHash, readIndex, readOptionalAddress, readTraceAddress } from './fields.ts';
import { type ColumnSpec, resolveColumns } from './layout.ts';

/**
 * One row of `traces.csv`, reduced to what decides value movement. Which traces move value of their own:
 *
 * - `call` with call_type `call`: the caller sends `value` to the callee.
 * - `call` with call_type `callcode`: the callee's code runs in the caller's own context, so the value
 *   goes from the caller to itself (the Ethereum-ETL sample shows from = to): nothing leaves the wallet.
 * - `call` with call_type `delegatecall`: DELEGATECALL takes no value; the trace repeats the parent
 *   frame's msg.value, which its own row already counts. Counting it again would double the flow.
 * - `call` with call_type `staticcall`: STATICCALL cannot carry value at all.
 * - `create` / `create2` (geth traces): the creator endows the new contract with `value`.
 * - `suicide` (SELFDESTRUCT): the contract's whole balance goes to the refund address. Laundering
 *   contracts use it precisely because it moves ETH without a call trace.
 * - `daofork`: the irregular state change of block 1,920,000 moving DAO balances: a real movement.
 * - `reward` / `genesis`: new coins with no sender: issuance, not a transfer.
 *
 * A trace with an `error`, or `status` 0 (Ethereum-ETL sets it when the trace or any parent call
 * reverted), moved nothing. The root trace (empty trace_address) is the transaction's own value.
 */
export interface TraceRow extends BlockRow {
  /** Empty in exports made from geth traces: the merge then finds it by transaction index. */
  readonly txHash: string | null;
  readonly txIndex: number | null;
  /** Raw `trace_address` ("" for the root, "0,1" for the second call of the first call). */
  readonly traceAddress: string;
  /** Parsed `traceAddress` for value-moving rows, else null. */
  readonly path: readonly number[] | null;
  readonly failed: boolean;
  /** Moves value of its own (see above) with a value above zero, before failure is considered. */
  readonly moves: boolean;
  readonly from: Address | null;
  readonly to: Address | null;
  readonly value: bigint;
  readonly blockTime: string;
}

/** Columns of the Ethereum-ETL `traces.csv` (ethereum_etl_samples/expected_traces.csv), any order. */
const TRACE_COLUMNS = {
  blockNumber: { names: ['block_number'], required: true },
  txHash: { names: ['transaction_hash'], required: true },
  txIndex: { names: ['transaction_index'], required: true },
  from: { names: ['from_address'], required: true },
  to: { names: ['to_address'], required: true },
  value: { names: ['value'], required: true },
  traceType: { names: ['trace_type'], required: true },
  callType: { names: ['call_type'], required: true },
  traceAddress: { names: ['trace_address'], required: true },
  error: { names: ['error'], required: true },
  status: { names: ['status'], required: false },
  blockTime: { names: ['block_timestamp'], required: false },
} satisfies Record<string, ColumnSpec>;

type TraceMovement = 'moves' | 'inert';

const CALL_TYPES = ['call', 'callcode', 'delegatecall', 'staticcall'];
const TRACE_TYPES = ['call', 'create', 'create2', 'suicide', 'daofork', 'reward', 'genesis'];

/**
 * Comparisons rather than a lookup object: the field is a fresh string on every row, and using it as a
 * property key would make V8 look it up in its string table each time.
 */
function movementOfCall(callType: string): TraceMovement | undefined {
  if (callType === 'call') return 'moves';
  if (callType === 'staticcall' || callType === 'delegatecall' || callType === 'callcode') return 'inert';
  return undefined;
}

function movementOfTrace(traceType: string): TraceMovement | 'by-call-type' | undefined {
  if (traceType === 'call') return 'by-call-type';
  if (
    traceType === 'create' ||
    traceType === 'create2' ||
    traceType === 'suicide' ||
    traceType === 'daofork'
  ) {
    return 'moves';
  }
  if (traceType === 'reward' || traceType === 'genesis') return 'inert';
  return undefined;
}

/**
 * `rootsMatter`: whether value-less root traces are needed, i.e. the export has no transactions.csv
 * (roots then stand for the transactions). Otherwise a trace that neither moves value nor failed is
 * answered by its block number alone: most traces are such calls, and no row is made for them.
 */
export function traceRowReader(
  header: readonly string[],
  file: string,
  rootsMatter = true,
): RowReader<TraceRow> {
  const c = resolveColumns(header, TRACE_COLUMNS, file, 'traces');
  return (record, blockNumber) => {
    const line = record.line;
    const traceType = record.field(c.traceType);
    let movement = movementOfTrace(traceType);
    if (movement === undefined) {
      throw new InvalidFieldError(
        file,
        line,
        `trace_type ${JSON.stringify(traceType)} is not one of ${TRACE_TYPES.join(', ')}`,
      );
    }
    if (movement === 'by-call-type') {
      const callType = record.field(c.callType);
      movement = movementOfCall(callType);
      if (movement === undefined) {
        throw new InvalidFieldError(
          file,
          line,
          `call_type ${JSON.stringify(callType)} is not one of ${CALL_TYPES.join(', ')}`,
        );
      }
    }
    const statusText = c.status >= 0 ? record.field(c.status) : '';
    if (statusText !== '' && statusText !== '0' && statusText !== '1') {
      throw new InvalidFieldError(file, line, `status ${JSON.stringify(statusText)} is not 0, 1 or empty`);
    }
    const failed = statusText === '0' || record.field(c.error) !== '';
    const value = readAmount(record.field(c.value), 'value', file, line);
    const moves = movement === 'moves' && value > 0n;
    const traceAddress = record.field(c.traceAddress);
    if (!moves && !failed && !(rootsMatter && traceAddress === '')) return blockNumber;
    const hashText = record.field(c.txHash);
    const indexText = record.field(c.txIndex);
    // Only rows that move value need their addresses read (most traces are value-less calls).
    const from = moves ? readOptionalAddress(record.field(c.from), 'from_address', file, line) : null;
    const to = moves ? readOptionalAddress(record.field(c.to), 'to_address', file, line) : null;
    if (moves && !failed && (from === null || to === null)) {
      throw new InvalidFieldError(
        file,
        line,
        `a successful ${traceType} trace with value needs from_address and to_address`,
      );
    }
    return {
      line,
      blockNumber,
      txHash: hashText === '' ? null : readHash(hashText, 'transaction_hash', file, line),
      txIndex: indexText === '' ? null : readIndex(indexText, 'transaction_index', file, line),
      traceAddress,
      path: moves ? readTraceAddress(traceAddress, 'trace_address', file, line) : null,
      failed,
      moves,
      from,
      to,
      value,
      blockTime: c.blockTime >= 0 ? record.field(c.blockTime) : '',
    };
  };
}

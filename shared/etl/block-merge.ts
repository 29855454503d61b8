import { getCreateAddress } from 'ethers';
import type { Address } from '../domain/address.ts';
import {
  callPosition,
  compareTransfers,
  logPosition,
  NATIVE_ASSET,
  nativePosition,
  type Transfer,
} from '../domain/transfer.ts';
import { InconsistentExportError, InvalidFieldError } from './errors.ts';
import { readBlockTime } from './fields.ts';
import type { TokenTransferRow } from './token-transfers-file.ts';
import type { TraceRow } from './traces-file.ts';
import type { TransactionRow } from './transactions-file.ts';

/** Which files the export has (not which have rows in this block): it decides who owns the tx value. */
export interface ExportFileNames {
  readonly transactions?: string;
  readonly tokenTransfers?: string;
  readonly traces?: string;
}

/** All rows of one block, from each file of the export. */
export interface BlockRows {
  readonly blockNumber: number;
  readonly transactions: readonly TransactionRow[];
  readonly tokenTransfers: readonly TokenTransferRow[];
  readonly traces: readonly TraceRow[];
}

/** One block as the tracer wants it: its transactions in order, each the transfers of one transaction. */
export interface EtlBlock {
  readonly blockNumber: number;
  /** Unix seconds; 0 when no file of the export gives the block's time. */
  readonly blockTime: number;
  readonly transactions: Transfer[][];
}

/**
 * Turns one block of rows into ordered transfers:
 * - the transaction's own value comes from transactions.csv, or from the root trace when the export has
 *   no transactions.csv (never from both: that would count it twice);
 * - failed transactions (receipt_status 0, or a failed root trace) and failed or reverted calls move
 *   nothing;
 * - token transfers get their transaction index from the block's transactions or traces, or, with
 *   token_transfers.csv alone, from log order (log indexes grow through the block, transaction by
 *   transaction);
 * - the block time comes from transactions.csv's block_timestamp when the other files lack it.
 */
export function mergeBlock(rows: BlockRows, files: ExportFileNames, chain: string): EtlBlock {
  const blockNumber = rows.blockNumber;
  const blockTime = blockTimeOf(rows, files);

  const txIndexOf = new Map<string, number>();
  for (const tx of rows.transactions) txIndexOf.set(tx.hash, tx.txIndex);
  // Only traces exported from geth lack their transaction hash: index the hashes for them on demand.
  let hashes: Map<number, string> | undefined;
  const hashAt = (txIndex: number) => {
    hashes ??= new Map(rows.transactions.map((tx) => [tx.txIndex, tx.hash]));
    return hashes.get(txIndex);
  };
  if (files.transactions === undefined) {
    for (const trace of rows.traces) {
      if (trace.txHash !== null && trace.txIndex !== null) txIndexOf.set(trace.txHash, trace.txIndex);
    }
  }

  // Failed trace addresses per transaction: a value-moving call under a reverted parent moved nothing
  // (Ethereum-ETL marks reverted children itself only for call and create traces, not selfdestructs).
  let failedCalls: Map<string, Set<string>> | undefined;
  const rootTraceOf = new Map<string, TraceRow>();
  for (const trace of rows.traces) {
    if (!trace.failed && !(trace.moves && trace.traceAddress === '')) continue;
    const hash = traceHash(trace, hashAt, files);
    if (trace.failed) {
      failedCalls ??= new Map();
      const failed = failedCalls.get(hash);
      if (failed) failed.add(trace.traceAddress);
      else failedCalls.set(hash, new Set([trace.traceAddress]));
    } else {
      rootTraceOf.set(hash, trace);
    }
  }

  const transfers: Transfer[] = [];
  for (const tx of rows.transactions) {
    if (tx.value === 0n || tx.status === 0 || failedCalls?.get(tx.hash)?.has('')) continue;
    const from = tx.from as Address;
    transfers.push({
      chain,
      blockNumber,
      blockTime,
      txHash: tx.hash,
      txIndex: tx.txIndex,
      position: nativePosition(),
      from,
      to: tx.to ?? createdContract(tx, from, rootTraceOf.get(tx.hash), files),
      asset: NATIVE_ASSET,
      amount: tx.value,
      kind: 'native',
    });
  }

  for (const trace of rows.traces) {
    if (!trace.moves || trace.failed) continue;
    const hash = traceHash(trace, hashAt, files);
    if (failedCalls && underFailedCall(failedCalls.get(hash), trace.traceAddress)) continue;
    const root = trace.traceAddress === '';
    if (root && files.transactions !== undefined) continue;
    const txIndex = trace.txIndex ?? txIndexOf.get(hash);
    if (txIndex === undefined) {
      throw new InvalidFieldError(files.traces ?? 'traces.csv', trace.line, 'transaction_index is empty');
    }
    transfers.push({
      chain,
      blockNumber,
      blockTime,
      txHash: hash,
      txIndex,
      position: root ? nativePosition() : callPosition(trace.path ?? []),
      from: trace.from as Address,
      to: trace.to as Address,
      asset: NATIVE_ASSET,
      amount: trace.value,
      kind: root ? 'native' : 'internal',
    });
  }

  if (rows.tokenTransfers.length > 0) {
    const indexed = files.transactions !== undefined || files.traces !== undefined;
    const logOrder = indexed ? undefined : transactionsInLogOrder(rows.tokenTransfers);
    for (const log of rows.tokenTransfers) {
      const txIndex = (logOrder ?? txIndexOf).get(log.txHash);
      if (txIndex === undefined) {
        throw new InconsistentExportError(
          files.tokenTransfers ?? 'token_transfers.csv',
          log.line,
          `transaction ${log.txHash} is not in block ${blockNumber} of ` +
            `${files.transactions ?? files.traces}: do the files cover the same blocks?`,
        );
      }
      transfers.push({
        chain,
        blockNumber,
        blockTime,
        txHash: log.txHash,
        txIndex,
        position: logPosition(log.logIndex),
        from: log.from,
        to: log.to,
        asset: log.token,
        amount: log.value,
        kind: 'erc20',
      });
    }
  }

  // The three sources arrive as three sorted runs: the sort mostly merges them.
  transfers.sort(compareTransfers);
  return { blockNumber, blockTime, transactions: groupByTransaction(transfers) };
}

function blockTimeOf(rows: BlockRows, files: ExportFileNames): number {
  const tx = rows.transactions.find((row) => row.blockTime !== '');
  if (tx) return readBlockTime(tx.blockTime, 'block_timestamp', files.transactions ?? '', tx.line);
  const log = rows.tokenTransfers.find((row) => row.blockTime !== '');
  if (log) return readBlockTime(log.blockTime, 'block_timestamp', files.tokenTransfers ?? '', log.line);
  const trace = rows.traces.find((row) => row.blockTime !== '');
  if (trace) return readBlockTime(trace.blockTime, 'block_timestamp', files.traces ?? '', trace.line);
  return 0;
}

/** Traces exported from geth carry no transaction hash: find it by index among the block's transactions. */
function traceHash(
  trace: TraceRow,
  hashAt: (txIndex: number) => string | undefined,
  files: ExportFileNames,
): string {
  if (trace.txHash !== null) return trace.txHash;
  const hash = trace.txIndex === null ? undefined : hashAt(trace.txIndex);
  if (hash === undefined) {
    throw new InconsistentExportError(
      files.traces ?? 'traces.csv',
      trace.line,
      files.transactions === undefined
        ? 'transaction_hash is empty, and without transactions.csv the transaction cannot be found'
        : `transaction_hash is empty and transaction ${trace.txIndex} of block ${trace.blockNumber} is not in ${files.transactions}`,
    );
  }
  return hash;
}

/** True when the call or any call above it (a prefix of its trace address) failed. */
function underFailedCall(failed: ReadonlySet<string> | undefined, traceAddress: string): boolean {
  if (!failed) return false;
  let at = traceAddress;
  for (;;) {
    if (failed.has(at)) return true;
    if (at === '') return false;
    const comma = at.lastIndexOf(',');
    at = comma === -1 ? '' : at.slice(0, comma);
  }
}

/**
 * A contract creation sends its value to the new contract. The export names it in
 * receipt_contract_address or the root create trace; else it follows from sender and nonce
 * (keccak(rlp(sender, nonce)), Yellow Paper eq. 85).
 */
function createdContract(
  tx: TransactionRow,
  from: Address,
  rootTrace: TraceRow | undefined,
  files: ExportFileNames,
): Address {
  if (tx.contractAddress !== null) return tx.contractAddress;
  if (rootTrace?.to) return rootTrace.to;
  if (tx.nonce === null) {
    throw new InvalidFieldError(
      files.transactions ?? 'transactions.csv',
      tx.line,
      'a contract creation with value needs nonce or receipt_contract_address to know the new contract',
    );
  }
  return getCreateAddress({ from, nonce: tx.nonce }).toLowerCase();
}

/** With token_transfers.csv alone, the order of first logs is the order of transactions. */
function transactionsInLogOrder(logs: readonly TokenTransferRow[]): Map<string, number> {
  const byLog = [...logs].sort((a, b) => a.logIndex - b.logIndex);
  const order = new Map<string, number>();
  for (const log of byLog) if (!order.has(log.txHash)) order.set(log.txHash, order.size);
  return order;
}

function groupByTransaction(sorted: readonly Transfer[]): Transfer[][] {
  const transactions: Transfer[][] = [];
  let current: Transfer[] | undefined;
  let hash = '';
  for (const transfer of sorted) {
    if (!current || transfer.txHash !== hash) {
      current = [];
      transactions.push(current);
      hash = transfer.txHash;
    }
    current.push(transfer);
  }
  return transactions;
}

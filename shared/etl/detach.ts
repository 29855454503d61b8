import type { Transfer } from '../domain/transfer.ts';

/**
 * Strings read from a chunk are V8 slices that keep the whole 1 MiB chunk alive. The readers hand them
 * out as they are (copying every field of every row costs a tenth of the backtest's time), so whoever
 * keeps a transfer beyond its block must keep a detached copy: the tracer keeps the addresses and
 * hashes of every tainted wallet, and without the copy each one would pin a megabyte, making memory
 * grow with the file.
 */
export function detached(text: string): string {
  // Concatenation then slice: V8 flattens the 43-character concatenation into a new string and slices
  // that, which no longer refers to the chunk.
  return `-${text}`.slice(1);
}

export function detachedTransfer(transfer: Transfer): Transfer {
  return {
    chain: transfer.chain,
    blockNumber: transfer.blockNumber,
    blockTime: transfer.blockTime,
    txHash: detached(transfer.txHash),
    txIndex: transfer.txIndex,
    position: detached(transfer.position),
    from: detached(transfer.from),
    to: detached(transfer.to),
    asset: detached(transfer.asset),
    amount: transfer.amount,
    kind: transfer.kind,
  };
}

import type { Address } from '../domain/address.ts';
import { callPosition, NATIVE_ASSET, type Transfer } from '../domain/transfer.ts';
import type { RpcCallFrame } from './rpc-shapes.ts';

/** The block and transaction a call tree belongs to. */
export interface TracedTransaction {
  readonly chain: string;
  readonly blockNumber: number;
  readonly blockTime: number;
  readonly txHash: string;
  readonly txIndex: number;
}

/**
 * Frame types whose `value` leaves `from` and arrives at `to`:
 *  - CALL: a message call with value;
 *  - CREATE, CREATE2: the endowment of the new contract (`to` is its address);
 *  - SELFDESTRUCT: the contract's whole balance goes to the beneficiary (`to`); still true after
 *    EIP-6780, which only stopped the code from being deleted.
 * Not listed, on purpose:
 *  - DELEGATECALL runs the callee's code in the caller's context: msg.value is the caller's own, nothing
 *    moves to the callee (tracers still print the inherited value, which must not be counted twice);
 *  - CALLCODE runs the callee's code in the caller's context too: the value is "sent" to the caller itself;
 *  - STATICCALL cannot carry value.
 * Their children are still walked: a CALL made by delegated code moves the delegating contract's ether
 * (the tracer reports `from` as that contract).
 */
const VALUE_MOVING = new Set(['CALL', 'CREATE', 'CREATE2', 'SELFDESTRUCT']);

/**
 * Internal value transfers of one transaction from its callTracer tree. The root frame is the
 * transaction's own value (a native transfer read from the block) and is not repeated here. A frame with
 * `error` reverted: its value and everything beneath it was undone, so the walk does not descend into it;
 * a reverted root means the whole transaction failed and moved nothing.
 * Positions are 'call:<index path from the root>': the root's 2nd child's 1st child is 'call:1.0'.
 */
export function internalTransfersOf(tx: TracedTransaction, root: RpcCallFrame): Transfer[] {
  const transfers: Transfer[] = [];
  if (root.error) return transfers;
  // Iterative depth-first walk in trace order: call depth can reach 1024, too deep for comfortable recursion.
  const stack: { frame: RpcCallFrame; path: number[] }[] = [];
  for (let i = root.calls.length - 1; i >= 0; i--)
    stack.push({ frame: root.calls[i] as RpcCallFrame, path: [i] });
  while (stack.length > 0) {
    const { frame, path } = stack.pop() as { frame: RpcCallFrame; path: number[] };
    if (frame.error) continue;
    if (VALUE_MOVING.has(frame.type) && frame.value > 0n && frame.to) {
      transfers.push({
        chain: tx.chain,
        blockNumber: tx.blockNumber,
        blockTime: tx.blockTime,
        txHash: tx.txHash,
        txIndex: tx.txIndex,
        position: callPosition(path),
        from: frame.from as Address,
        to: frame.to as Address,
        asset: NATIVE_ASSET,
        amount: frame.value,
        kind: 'internal',
      });
    }
    for (let i = frame.calls.length - 1; i >= 0; i--) {
      stack.push({ frame: frame.calls[i] as RpcCallFrame, path: [...path, i] });
    }
  }
  return transfers;
}

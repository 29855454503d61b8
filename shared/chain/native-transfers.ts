import type { Address } from '../domain/address.ts';
import { NATIVE_ASSET, nativePosition, type Transfer } from '../domain/transfer.ts';
import { ReceiptWithoutStatusError } from './errors.ts';
import type { RpcReceipt, RpcTransaction } from './rpc-shapes.ts';

/**
 * The native transfer of a transaction's own value, or undefined when it moved none: zero value, or the
 * transaction failed (status 0: the EVM undid the value transfer, only the fee was paid). A contract
 * creation sends its value to the new contract, whose address the receipt gives.
 */
export function nativeTransferOf(
  chain: string,
  blockTime: number,
  tx: RpcTransaction,
  receipt: RpcReceipt,
): Transfer | undefined {
  if (tx.value === 0n) return undefined;
  if (receipt.status === undefined) throw new ReceiptWithoutStatusError(tx.hash);
  if (receipt.status !== 1n) return undefined;
  const to = tx.to ?? receipt.contractAddress;
  if (!to) throw new Error(`contract creation ${tx.hash} has no contractAddress in its receipt`);
  return {
    chain,
    blockNumber: tx.blockNumber,
    blockTime,
    txHash: tx.hash,
    txIndex: tx.transactionIndex,
    position: nativePosition(),
    from: tx.from as Address,
    to: to as Address,
    asset: NATIVE_ASSET,
    amount: tx.value,
    kind: 'native',
  };
}

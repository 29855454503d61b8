import type { Address } from '../domain/address.ts';
import { logPosition, type Transfer } from '../domain/transfer.ts';
import type { RpcLog } from './rpc-shapes.ts';

/** keccak256('Transfer(address,address,uint256)'), the topic of ERC-20 (and ERC-721) transfers. */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

const ADDRESS_WORD = /^0x0{24}([0-9a-f]{40})$/;

/**
 * The ERC-20 transfer a `Transfer` log records, or undefined when the log is not one: ERC-721 emits the
 * same event with the token id as a third indexed topic (4 topics, no amount), and a word that is not a
 * zero-padded address is not an ERC-20 encoding. Mints (from 0x0) and burns (to 0x0) are transfers too;
 * dust and zero amounts are the core's business, not the reader's.
 */
export function tokenTransferOf(chain: string, blockTime: number, log: RpcLog): Transfer | undefined {
  if (log.topics.length !== 3 || log.topics[0] !== TRANSFER_TOPIC) return undefined;
  const from = addressInWord(log.topics[1] as string);
  const to = addressInWord(log.topics[2] as string);
  if (!from || !to || log.data.length !== 66) return undefined;
  return {
    chain,
    blockNumber: log.blockNumber,
    blockTime,
    txHash: log.transactionHash,
    txIndex: log.transactionIndex,
    position: logPosition(log.logIndex),
    from,
    to,
    asset: log.address as Address,
    amount: BigInt(log.data),
    kind: 'erc20',
  };
}

/** The address in a 32-byte ABI word ('0x' + 64 hex), when the word is a zero-padded address. */
export function addressInWord(word: string): Address | undefined {
  const match = ADDRESS_WORD.exec(word);
  return match ? `0x${match[1]}` : undefined;
}

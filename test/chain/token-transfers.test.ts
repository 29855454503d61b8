import { id } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { RpcLog } from '../../shared/chain/rpc-shapes.ts';
import { TRANSFER_TOPIC, tokenTransferOf } from '../../shared/chain/token-transfers.ts';

const token = `0x${'70'.repeat(20)}`;
const from = `0x${'f1'.repeat(20)}`;
const to = `0x${'f2'.repeat(20)}`;
const word = (hex: string) => `0x${hex.replace(/^0x/, '').padStart(64, '0')}`;

function log(overrides: Partial<RpcLog>): RpcLog {
  return {
    address: token,
    topics: [TRANSFER_TOPIC, word(from), word(to)],
    data: word('0de0b6b3a7640000'),
    blockNumber: 7,
    blockHash: `0x${'b7'.repeat(32)}`,
    transactionHash: `0x${'c3'.repeat(32)}`,
    transactionIndex: 2,
    logIndex: 5,
    ...overrides,
  };
}

describe('ERC-20 transfers from Transfer logs', () => {
  it('uses the keccak-256 topic of Transfer(address,address,uint256)', () => {
    expect(TRANSFER_TOPIC).toBe(id('Transfer(address,address,uint256)'));
  });

  it('reads parties, amount and position', () => {
    expect(tokenTransferOf('ethereum', 1_700_000_000, log({}))).toEqual({
      chain: 'ethereum',
      blockNumber: 7,
      blockTime: 1_700_000_000,
      txHash: `0x${'c3'.repeat(32)}`,
      txIndex: 2,
      position: 'log:5',
      from,
      to,
      asset: token,
      amount: 10n ** 18n,
      kind: 'erc20',
    });
  });

  it('keeps mints and burns (the zero address is a party like any other here)', () => {
    const mint = tokenTransferOf('ethereum', 0, log({ topics: [TRANSFER_TOPIC, word('0'), word(to)] }));
    expect(mint?.from).toBe(`0x${'0'.repeat(40)}`);
  });

  it('is not fooled by an ERC-721 Transfer (token id as a 4th topic) or a malformed encoding', () => {
    expect(
      tokenTransferOf(
        'ethereum',
        0,
        log({ topics: [TRANSFER_TOPIC, word(from), word(to), word('1')], data: '0x' }),
      ),
    ).toBeUndefined();
    expect(
      tokenTransferOf('ethereum', 0, log({ topics: [TRANSFER_TOPIC, `0x${'ff'.repeat(32)}`, word(to)] })),
    ).toBeUndefined();
    expect(tokenTransferOf('ethereum', 0, log({ data: '0x' }))).toBeUndefined();
    expect(
      tokenTransferOf(
        'ethereum',
        0,
        log({ topics: [id('Approval(address,address,uint256)'), word(from), word(to)] }),
      ),
    ).toBeUndefined();
  });
});

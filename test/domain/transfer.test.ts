import { describe, expect, it } from 'vitest';
import { canonicalAddress, InvalidAddressError } from '../../shared/domain/address.ts';
import { callPosition, compareTransfers, logPosition, type Transfer } from '../../shared/domain/transfer.ts';

const base: Transfer = {
  chain: 'ethereum',
  blockNumber: 5,
  blockTime: 0,
  txHash: '0x01',
  txIndex: 0,
  position: 'tx',
  from: '0x0000000000000000000000000000000000000001',
  to: '0x0000000000000000000000000000000000000002',
  asset: 'native',
  amount: 1n,
  kind: 'native',
};

describe('transfer order', () => {
  it('orders by block, transaction, then native value, internal calls in trace order, then logs', () => {
    const items: Transfer[] = [
      { ...base, kind: 'erc20', position: logPosition(10) },
      { ...base, kind: 'erc20', position: logPosition(2) },
      { ...base, kind: 'internal', position: callPosition([1]) },
      { ...base, kind: 'internal', position: callPosition([0, 3]) },
      { ...base, kind: 'internal', position: callPosition([0]) },
      { ...base, kind: 'internal', position: callPosition([]) },
      { ...base, kind: 'internal', position: callPosition([0, 10]) },
      { ...base },
      { ...base, blockNumber: 4, txIndex: 9 },
      { ...base, txIndex: 1 },
    ];
    const sorted = [...items]
      .sort(compareTransfers)
      .map((t) => `${t.blockNumber}/${t.txIndex}/${t.position}`);
    expect(sorted).toEqual([
      '4/9/tx',
      '5/0/tx',
      '5/0/call:',
      '5/0/call:0',
      '5/0/call:0.3',
      '5/0/call:0.10',
      '5/0/call:1',
      '5/0/log:2',
      '5/0/log:10',
      '5/1/tx',
    ]);
  });
});

describe('addresses', () => {
  it('canonicalizes any case and rejects what is not an address', () => {
    expect(canonicalAddress('0xAbCdEf0123456789abcdef0123456789ABCDEF01')).toBe(
      '0xabcdef0123456789abcdef0123456789abcdef01',
    );
    expect(() => canonicalAddress('0x123')).toThrow(InvalidAddressError);
    expect(() => canonicalAddress('0xzz00000000000000000000000000000000000000')).toThrow(InvalidAddressError);
  });
});

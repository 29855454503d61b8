import { describe, expect, it } from 'vitest';
import { internalTransfersOf } from '../../shared/chain/call-tree.ts';
import type { RpcCallFrame } from '../../shared/chain/rpc-shapes.ts';

const tx = {
  chain: 'ethereum',
  blockNumber: 100,
  blockTime: 1_700_000_000,
  txHash: `0x${'1'.repeat(64)}`,
  txIndex: 3,
};
const A = `0x${'a'.repeat(40)}`;
const B = `0x${'b'.repeat(40)}`;
const C = `0x${'c'.repeat(40)}`;
const D = `0x${'d'.repeat(40)}`;

function frame(
  type: string,
  from: string,
  to: string | null,
  value: bigint,
  calls: RpcCallFrame[] = [],
  error: string | null = null,
): RpcCallFrame {
  return { type, from, to, value, error, calls };
}

describe('internal transfers from a call tree', () => {
  it('skips the root (the transaction value) and numbers calls by their index path', () => {
    const root = frame('CALL', A, B, 5n, [
      frame('CALL', B, C, 0n, [frame('CALL', C, D, 1n)]),
      frame('CALL', B, D, 2n, [frame('STATICCALL', D, A, 0n), frame('CALL', D, A, 3n)]),
    ]);
    expect(internalTransfersOf(tx, root).map((t) => [t.position, t.from, t.to, t.amount])).toEqual([
      ['call:0.0', C, D, 1n],
      ['call:1', B, D, 2n],
      ['call:1.1', D, A, 3n],
    ]);
  });

  it('carries block, transaction and kind into every transfer', () => {
    const [transfer] = internalTransfersOf(tx, frame('CALL', A, B, 0n, [frame('CALL', B, C, 7n)]));
    expect(transfer).toEqual({
      ...tx,
      position: 'call:0',
      from: B,
      to: C,
      asset: 'native',
      amount: 7n,
      kind: 'internal',
    });
  });

  it('drops a reverted frame and everything beneath it, even children that did not revert themselves', () => {
    const root = frame('CALL', A, B, 0n, [
      frame('CALL', B, C, 4n, [frame('CALL', C, D, 4n)], 'execution reverted'),
      frame('CALL', B, D, 1n),
    ]);
    expect(internalTransfersOf(tx, root).map((t) => t.position)).toEqual(['call:1']);
  });

  it('reads nothing from a failed transaction', () => {
    const root = frame('CALL', A, B, 9n, [frame('CALL', B, C, 9n)], 'out of gas');
    expect(internalTransfersOf(tx, root)).toEqual([]);
  });

  it('moves no value on DELEGATECALL or CALLCODE but walks their children', () => {
    const root = frame('CALL', A, B, 2n, [
      frame('DELEGATECALL', B, C, 2n, [frame('CALL', B, D, 2n)]),
      frame('CALLCODE', B, C, 1n),
    ]);
    expect(internalTransfersOf(tx, root).map((t) => [t.position, t.from, t.to])).toEqual([
      ['call:0.0', B, D],
    ]);
  });

  it('counts CREATE, CREATE2 and SELFDESTRUCT endowments', () => {
    const root = frame('CALL', A, B, 0n, [
      frame('CREATE', B, C, 1n),
      frame('CREATE2', B, D, 2n),
      frame('SELFDESTRUCT', B, A, 3n),
    ]);
    expect(internalTransfersOf(tx, root).map((t) => [t.position, t.to, t.amount])).toEqual([
      ['call:0', C, 1n],
      ['call:1', D, 2n],
      ['call:2', A, 3n],
    ]);
  });

  it('walks a call tree 1,024 deep without recursion', () => {
    let leaf = frame('CALL', C, D, 1n);
    for (let depth = 0; depth < 1_023; depth++) leaf = frame('CALL', B, C, 0n, [leaf]);
    const [transfer] = internalTransfersOf(tx, frame('CALL', A, B, 0n, [leaf]));
    expect(transfer?.position).toBe(`call:${Array(1_024).fill(0).join('.')}`);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AddressFilter, addressFingerprint } from '../../shared/domain/address-filter.ts';
import { seedWallet, TaintLedger } from '../../shared/domain/taint-ledger.ts';

/** Addresses that look like real ones (hash output), deterministic per index. */
function address(index: number): string {
  return `0x${createHash('sha256').update(String(index)).digest('hex').slice(0, 40)}`;
}

describe('address filter', () => {
  it('never says absent for an address that was added', () => {
    const filter = new AddressFilter();
    const added = Array.from({ length: 20_000 }, (_, i) => address(i));
    for (const item of added) filter.add(item);
    expect(added.every((item) => filter.mayContain(item))).toBe(true);
  });

  it('lets few unrelated addresses through (about members / 2^24)', () => {
    const filter = new AddressFilter();
    for (let i = 0; i < 100_000; i++) filter.add(address(i));
    let passed = 0;
    for (let i = 1_000_000; i < 1_100_000; i++) if (filter.mayContain(address(i))) passed++;
    // Expected about 0.6%; a broken fingerprint (e.g. constant) would pass everything.
    expect(passed / 100_000).toBeLessThan(0.02);
  });

  it('reads hex digits of either case family into 24 bits', () => {
    expect(addressFingerprint('0x0000000000000000000000000000000000000000')).toBe(0);
    const value = addressFingerprint('0xffffffffffffffffffffffffffffffffffffffff');
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(2 ** 24);
    expect(addressFingerprint('0x00000000000000000000000000000000000000ff')).not.toBe(
      addressFingerprint('0x00000000000000000000000000000000000000fe'),
    );
  });
});

describe('a large ledger (filtered lookups)', () => {
  it('finds every wallet it holds and none it does not, before and after the filter is built', () => {
    const ledger = new TaintLedger();
    const held = Array.from({ length: 60_000 }, (_, i) => address(i));
    for (const item of held) ledger.load(seedWallet(item));
    expect(ledger.size).toBe(60_000);
    expect(held.every((item) => ledger.has(item) && ledger.get(item)?.address === item)).toBe(true);
    const fresh = address(999_999);
    expect(ledger.has(fresh)).toBe(false);
    ledger.put(seedWallet(fresh));
    expect(ledger.has(fresh)).toBe(true);
    expect(
      Array.from({ length: 1_000 }, (_, i) => address(500_000 + i)).some((item) => ledger.has(item)),
    ).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { formatUnits, mulDiv, parseUnits } from '../../shared/domain/amount.ts';

describe('amounts', () => {
  it('formats base units as token units without floating point', () => {
    expect(formatUnits(1_500_000n, 6)).toBe('1.5');
    expect(formatUnits(1n, 18)).toBe('0.000000000000000001');
    expect(formatUnits(10n ** 30n, 18)).toBe('1000000000000');
    expect(formatUnits(0n, 6)).toBe('0');
    expect(formatUnits(42n, 0)).toBe('42');
  });

  it('parses token units back, rejecting too many decimals and junk', () => {
    expect(parseUnits('1.5', 6)).toBe(1_500_000n);
    expect(parseUnits('123456789012345678901234567890', 18)).toBe(
      123456789012345678901234567890n * 10n ** 18n,
    );
    expect(() => parseUnits('1.0000001', 6)).toThrow(/more than 6 decimals/);
    expect(() => parseUnits('-1', 6)).toThrow(RangeError);
    expect(() => parseUnits('1e18', 18)).toThrow(RangeError);
  });

  it('computes haircut shares exactly', () => {
    expect(mulDiv(10n, 1n, 3n)).toBe(3n);
    expect(mulDiv(2n ** 200n, 3n, 2n ** 100n)).toBe(3n * 2n ** 100n);
    expect(mulDiv(5n, 1n, 0n)).toBe(0n);
  });
});

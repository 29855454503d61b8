import { describe, expect, it } from 'vitest';
import { canonicalAddress, isCanonicalAddress } from '../../shared/domain/address.ts';
import type { TokenInfo } from '../../shared/domain/chain.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { InvalidTokenError, TokenConflictError } from '../../shared/labels/errors.ts';
import { KNOWN_TOKENS } from '../../shared/labels/known-tokens.ts';
import { builtInTokens, TokenAllowList } from '../../shared/labels/tokens.ts';

const USDC_ETHEREUM = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDT_BSC = '0x55d398326f99059ff775485246999027b3197955';
const CASE_TOKEN: TokenInfo = {
  address: '0x1111111111111111111111111111111111111111',
  symbol: 'STOLEN',
  decimals: 9,
  minAmount: 1_000_000_000n,
};

describe('the built-in token allow-list', () => {
  const tokens = builtInTokens();

  it('is built once per process', () => {
    expect(builtInTokens()).toBe(tokens);
  });

  it('finds the major assets of each chain with their decimals and dust', () => {
    expect(tokens.tokenOf('ethereum', USDC_ETHEREUM)).toEqual({
      address: USDC_ETHEREUM,
      symbol: 'USDC',
      decimals: 6,
      minAmount: 1_000_000n,
    });
    // Binance-pegged USDT on BSC has 18 decimals, not 6: a wrong guess misreads amounts 10^12-fold.
    expect(tokens.tokenOf('bsc', USDT_BSC)).toMatchObject({
      symbol: 'USDT',
      decimals: 18,
      minAmount: 10n ** 18n,
    });
    expect(tokens.tokenOf('polygon', '0x2791bca1f2de4661ed88a30c99a7a9449aa84174')?.symbol).toBe('USDC.e');
    expect(tokens.tokenOf('arbitrum', '0xaf88d065e77c8cc2239327c5edb3a432268e5831')?.symbol).toBe('USDC');
    expect(tokens.tokenOf('base', '0xc1cba3fcea344f92d9239c08c0568f6f2f0ee452')?.symbol).toBe('wstETH');
    expect(tokens.tokenOf('avalanche', '0x152b9d0fdc40c096757f570a51e494bd4b943e50')).toMatchObject({
      symbol: 'BTC.b',
      decimals: 8,
      minAmount: 5_000n,
    });
    expect(tokens.tokenOf('ethereum', '0xae7ab96520de3a18e5e111b5eaab095312d7fe84')?.minAmount).toBe(
      10n ** 15n,
    );
  });

  it('keeps chains apart: a token of one chain is not trusted on another', () => {
    expect(tokens.tokenOf('bsc', USDC_ETHEREUM)).toBeUndefined();
    expect(tokens.tokenOf('ethereum', USDT_BSC)).toBeUndefined();
  });

  it('answers undefined for unknown tokens and chains', () => {
    expect(tokens.tokenOf('ethereum', '0x000000000000000000000000000000000000dead')).toBeUndefined();
    expect(tokens.tokenOf('fantom', USDC_ETHEREUM)).toBeUndefined();
    expect(tokens.tokensOf('fantom')).toEqual([]);
  });

  it('expects canonical lowercase addresses: callers canonicalize at the edge', () => {
    const checksummed = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
    expect(tokens.tokenOf('ethereum', checksummed)).toBeUndefined();
    expect(tokens.tokenOf('ethereum', canonicalAddress(checksummed))?.symbol).toBe('USDC');
  });

  it("uses Ethereum's list on the local replay chain", () => {
    expect(tokens.tokenOf('local', USDC_ETHEREUM)?.symbol).toBe('USDC');
    expect(tokens.tokensOf('local').length).toBe(tokens.tokensOf('ethereum').length);
  });

  it('lists only well-formed, distinct tokens, on configured chains', () => {
    const seen = new Set<string>();
    for (const known of KNOWN_TOKENS) {
      expect(chainRegistry.get(known.chain), known.chain).toBeDefined();
      expect(isCanonicalAddress(known.address), known.address).toBe(true);
      expect(known.source.length).toBeGreaterThan(10);
      const key = `${known.chain}:${known.address}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
    for (const chain of chainRegistry.names().filter((name) => name !== 'local')) {
      const symbols = tokens.tokensOf(chain).map((token) => token.symbol);
      expect(
        symbols.some((symbol) => symbol.startsWith('USDC')),
        chain,
      ).toBe(true);
      expect(
        symbols.some((symbol) => symbol.startsWith('USDT') || symbol === 'USDt'),
        chain,
      ).toBe(true);
    }
  });
});

describe('a case adding its own tokens', () => {
  const base = builtInTokens();

  it('trusts them on that chain only, in a new list, leaving the built-in list unchanged', () => {
    const forCase = base.withExtraTokens('ethereum', [CASE_TOKEN]);
    expect(forCase.tokenOf('ethereum', CASE_TOKEN.address)).toEqual(CASE_TOKEN);
    expect(forCase.tokenOf('ethereum', USDC_ETHEREUM)?.symbol).toBe('USDC');
    expect(forCase.tokenOf('bsc', CASE_TOKEN.address)).toBeUndefined();
    expect(base.tokenOf('ethereum', CASE_TOKEN.address)).toBeUndefined();
    expect(forCase.tokensOf('ethereum').length).toBe(base.tokensOf('ethereum').length + 1);
  });

  it('layers a local case token over the Ethereum list it replays', () => {
    const forCase = base.withCaseTokens({ local: [CASE_TOKEN] });
    expect(forCase.tokenOf('local', CASE_TOKEN.address)?.symbol).toBe('STOLEN');
    expect(forCase.tokenOf('local', USDC_ETHEREUM)?.symbol).toBe('USDC');
    expect(forCase.tokenOf('ethereum', CASE_TOKEN.address)).toBeUndefined();
  });

  it('lets a case set its own dust for a listed token with the same decimals', () => {
    const stricter = { address: USDC_ETHEREUM, symbol: 'USDC', decimals: 6, minAmount: 1_000_000_000n };
    expect(base.withExtraTokens('ethereum', [stricter]).tokenOf('ethereum', USDC_ETHEREUM)?.minAmount).toBe(
      1_000_000_000n,
    );
  });

  it('refuses a listed token with other decimals', () => {
    const wrong = { address: USDC_ETHEREUM, symbol: 'USDC', decimals: 18, minAmount: 1n };
    expect(() => base.withExtraTokens('ethereum', [wrong])).toThrow(TokenConflictError);
    expect(() => base.withExtraTokens('ethereum', [wrong])).toThrow(
      /6 decimals in the allow-list, the case says 18/,
    );
  });

  it('refuses malformed tokens with the reason', () => {
    const bad = (patch: Partial<TokenInfo>) =>
      base.withExtraTokens('ethereum', [{ ...CASE_TOKEN, ...patch }]);
    expect(() => bad({ address: '0xA0B86991C6218B36C1D19D4A2E9EB0CE3606EB48' })).toThrow(InvalidTokenError);
    expect(() => bad({ symbol: ' ' })).toThrow(/symbol is empty/);
    expect(() => bad({ decimals: 6.5 })).toThrow(/decimals must be an integer/);
    expect(() => bad({ minAmount: -1n })).toThrow(/minAmount/);
  });

  it('refuses a list naming the same token twice', () => {
    expect(() => new TokenAllowList({ ethereum: [CASE_TOKEN, CASE_TOKEN] })).toThrow(/listed twice/);
    expect(() =>
      builtInTokens().withExtraTokens('base', [CASE_TOKEN, { ...CASE_TOKEN, decimals: 18 }]),
    ).toThrow(/listed twice/);
  });
});

import { describe, expect, it } from 'vitest';
import { isCanonicalAddress } from '../../shared/domain/address.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { UnknownChainError } from '../../shared/labels/errors.ts';
import { builtInTokens } from '../../shared/labels/tokens.ts';

const EXPECTED: Record<string, number> = {
  ethereum: 1,
  bsc: 56,
  polygon: 137,
  arbitrum: 42161,
  optimism: 10,
  base: 8453,
  avalanche: 43114,
  local: 31337,
};

describe('chainRegistry', () => {
  it('knows every configured chain by name and by EIP-155 id', () => {
    for (const [name, chainId] of Object.entries(EXPECTED)) {
      expect(chainRegistry.get(name)?.chainId).toBe(chainId);
      expect(chainRegistry.byChainId(chainId)?.name).toBe(name);
    }
    expect(chainRegistry.names()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('answers undefined for a chain or id it does not know', () => {
    expect(chainRegistry.get('fantom')).toBeUndefined();
    expect(chainRegistry.get('Ethereum')).toBeUndefined();
    expect(chainRegistry.byChainId(250)).toBeUndefined();
  });

  it('names the configured chains when a required chain is unknown', () => {
    expect(() => chainRegistry.require('etherium')).toThrow(UnknownChainError);
    try {
      chainRegistry.require('etherium');
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownChainError);
      const unknown = error as UnknownChainError;
      expect(unknown.name).toBe('UnknownChainError');
      expect(unknown.chain).toBe('etherium');
      expect(unknown.message).toBe(
        'unknown chain "etherium": configured chains are arbitrum, avalanche, base, bsc, ethereum, ' +
          'local, optimism, polygon (use one of these names, in lowercase)',
      );
    }
    expect(chainRegistry.require('base').chainId).toBe(8453);
  });

  it('hands out a copy of the names, not its own list', () => {
    chainRegistry.names().push('mallory');
    expect(chainRegistry.names()).not.toContain('mallory');
  });

  it('lets the local Hardhat chain use Ethereum labels and tokens, every other chain its own', () => {
    expect(chainRegistry.labelSourceOf('local')).toBe('ethereum');
    for (const name of chainRegistry.names().filter((name) => name !== 'local')) {
      expect(chainRegistry.labelSourceOf(name)).toBe(name);
    }
    expect(chainRegistry.labelSourceOf('fantom')).toBe('fantom');
    const local = chainRegistry.require('local');
    expect(local.nativeSymbol).toBe('ETH');
    expect(local.wrappedNative).toBe(chainRegistry.require('ethereum').wrappedNative);
  });

  it('describes each chain consistently', () => {
    for (const name of chainRegistry.names()) {
      const chain = chainRegistry.require(name);
      expect(chain.nativeDecimals).toBe(18);
      expect(chain.nativeMinAmount).toBeGreaterThan(0n);
      // Far below one coin: dust, not a threshold that hides real laundering hops.
      expect(chain.nativeMinAmount).toBeLessThan(10n ** 18n * 100n);
      expect(chain.explorerUrl).toMatch(/^https:\/\/[a-z.]+[a-z]$/);
      expect(chain.wrappedNative && isCanonicalAddress(chain.wrappedNative)).toBe(true);
      // Wrapping is a transfer taint must follow, so the wrapped coin is on the chain's allow-list.
      const wrapped = builtInTokens().tokenOf(name, chain.wrappedNative ?? '');
      expect(wrapped?.decimals).toBe(18);
    }
    expect(chainRegistry.require('ethereum').nativeMinAmount).toBe(10n ** 15n);
  });
});

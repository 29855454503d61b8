import { AbiCoder, getCreate2Address, keccak256, solidityPacked } from 'ethers';
import { describe, expect, it } from 'vitest';
import { isCanonicalAddress } from '../../shared/domain/address.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { DERIVED_UNISWAP_POOLS, DEX_VENUES } from '../../shared/labels/dex-venues.ts';
import { KNOWN_TOKENS } from '../../shared/labels/known-tokens.ts';

// Inputs of the derivation, from Uniswap's deployment docs and pool libraries (PROVENANCE.md §3).
const V3_FACTORY = '0x1F98431c8aD98523631AE4a59f267346ea31F984';
const V3_POOL_INIT_CODE_HASH = '0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54';
const V2_FACTORY = '0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f';
const V2_PAIR_INIT_CODE_HASH = '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f';
/** The ETH/USDC 0.3% pool linked from Uniswap's docs: an independent anchor for the inputs above. */
const DOCS_EXAMPLE_POOL = '0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8';

function tokenAddress(symbol: string): string {
  const token = KNOWN_TOKENS.find((known) => known.chain === 'ethereum' && known.symbol === symbol);
  if (!token) throw new Error(`no ethereum token ${symbol} in known-tokens.ts`);
  return token.address;
}

function derivedAddress(version: 'v2' | 'v3', symbolA: string, symbolB: string, fee?: number): string {
  const [token0, token1] = [tokenAddress(symbolA), tokenAddress(symbolB)].sort();
  const salt =
    version === 'v3'
      ? keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'address', 'uint24'], [token0, token1, fee]))
      : keccak256(solidityPacked(['address', 'address'], [token0, token1]));
  return getCreate2Address(
    version === 'v3' ? V3_FACTORY : V2_FACTORY,
    salt,
    version === 'v3' ? V3_POOL_INIT_CODE_HASH : V2_PAIR_INIT_CODE_HASH,
  ).toLowerCase();
}

describe('derived Uniswap pools', () => {
  it('reproduce the pool Uniswap documents, so the derivation inputs are right', () => {
    expect(derivedAddress('v3', 'USDC', 'WETH', 3000)).toBe(DOCS_EXAMPLE_POOL);
  });

  it.each(
    DERIVED_UNISWAP_POOLS.map((pool) => [
      `${pool.version} ${pool.tokenA}/${pool.tokenB} ${pool.fee ?? ''}`,
      pool,
    ]),
  )('sit at their CREATE2 address: %s', (_, pool) => {
    expect(pool.address).toBe(derivedAddress(pool.version, pool.tokenA, pool.tokenB, pool.fee));
  });

  it('are labelled as DEX venues with their pair and fee', () => {
    const names = DEX_VENUES.filter((venue) =>
      DERIVED_UNISWAP_POOLS.some((pool) => pool.address === venue.address),
    );
    expect(names.map((venue) => venue.name)).toContain('Uniswap V3: USDC/WETH 0.05%');
    expect(names.map((venue) => venue.name)).toContain('Uniswap V2: WBTC/WETH');
    expect(names).toHaveLength(DERIVED_UNISWAP_POOLS.length);
  });
});

describe('DEX venues', () => {
  it('are well-formed, on configured chains, each with its provenance', () => {
    for (const venue of DEX_VENUES) {
      expect(isCanonicalAddress(venue.address), venue.address).toBe(true);
      expect(venue.chains.length).toBeGreaterThan(0);
      for (const chain of venue.chains) expect(chainRegistry.get(chain), chain).toBeDefined();
      expect(venue.name).toMatch(/^\S.*: \S/);
      expect(venue.source.length).toBeGreaterThan(10);
    }
  });

  it('name each (chain, address) once', () => {
    const seen = new Map<string, string>();
    for (const venue of DEX_VENUES) {
      for (const chain of venue.chains) {
        const key = `${chain}:${venue.address}`;
        expect(seen.get(key), `${key} is both ${seen.get(key)} and ${venue.name}`).toBeUndefined();
        seen.set(key, venue.name);
      }
    }
  });

  it('never label a token of the allow-list as a venue', () => {
    const tokens = new Set(KNOWN_TOKENS.map((token) => `${token.chain}:${token.address}`));
    for (const venue of DEX_VENUES) {
      for (const chain of venue.chains) expect(tokens.has(`${chain}:${venue.address}`)).toBe(false);
    }
  });

  it('cover the major routers on every configured chain', () => {
    for (const chain of chainRegistry.names().filter((name) => name !== 'local')) {
      const names = DEX_VENUES.filter((venue) => venue.chains.includes(chain)).map((venue) => venue.name);
      expect(names, chain).toContain('1inch: Aggregation Router v6');
      expect(names, chain).toContain('Uniswap: Universal Router');
      expect(names, chain).toContain('Uniswap V4: PoolManager');
      expect(names, chain).toContain('SushiSwap: Router');
    }
  });
});

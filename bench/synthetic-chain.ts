import type { Address } from '../shared/domain/address.ts';

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same benchmark input. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic address: unique per (namespace, index), and as random-looking as a real one (addresses
 * are keccak output). Low-entropy spellings such as a zero-padded counter are not only unrealistic,
 * they make V8's Map several times slower, which would measure the wrong thing. Made a flat string,
 * like those JSON.parse or the ETL readers hand the core.
 */
export function syntheticAddress(namespace: string, index: number): Address {
  return flat(`0x${randomHex(namespace, index, 5)}`);
}

export function syntheticHash(namespace: string, index: number): string {
  return flat(`0x${randomHex(namespace, index, 8)}`);
}

/** `words` 32-bit words of hex; the first is a bijection of the index, so a namespace never repeats. */
export function randomHex(namespace: string, index: number, words: number): string {
  const salt = Number.parseInt(namespace, 16) * 0x9e3779b1;
  let hex = mix32((index ^ salt) >>> 0)
    .toString(16)
    .padStart(8, '0');
  for (let word = 1; word < words; word++) {
    hex += mix32((index * 0x85ebca6b + word * 0xc2b2ae35 + salt) >>> 0)
      .toString(16)
      .padStart(8, '0');
  }
  return hex;
}

/** A bijective 32-bit mixer (the finalizer of MurmurHash3). */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A new, flat copy of a string. A chain reader hands the core strings it has just parsed, which sit in
 * the processor's cache; reusing a pooled address object across a million transfers would instead
 * measure a cache miss on the string itself for every lookup.
 */
export function freshCopy(text: string): string {
  return flat(text);
}

function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** Real mainnet addresses the mixes use, so that labels and the token allow-list answer as in production. */
export const MAINNET = {
  binanceHotWallet: '0x28c6c06298d514db089934071355e5743bf21d60',
  tornado100Eth: '0xa160cdab225685da1d56aa342ad8841c3b53f291',
  arbitrumInbox: '0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f',
  usdc: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
  usdt: '0xdac17f958d2ee523a2206206994597c13d831ec7',
  weth: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
  dai: '0x6b175474e89094c44da98b954eedfa64da1e5e3a',
  seed: '0x0d043128146654c7683fbf30ac98d7b2285ded00',
} as const;

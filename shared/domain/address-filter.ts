import type { Address } from './address.ts';

/** 2^24 bits = 2 MiB: with a million wallets, about 6% of unrelated addresses still reach the map. */
const FILTER_BITS = 24;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** Hex digit value of a lowercase character code ('0'-'9', 'a'-'f'), without branches. */
function nibble(code: number): number {
  return (code & 15) + (code >> 6) * 9;
}

/**
 * 24 bits of an address: its last six hex digits mixed with six from its start. Addresses are hashes,
 * so these bits are uniform; look-alikes that copy an address's ends land on its bit, which only
 * costs them a map lookup.
 */
export function addressFingerprint(address: Address): number {
  let tail = 0;
  let head = 0;
  for (let i = 0; i < 6; i++) {
    tail = (tail << 4) | nibble(address.charCodeAt(36 + i));
    head = (head << 4) | nibble(address.charCodeAt(2 + i));
  }
  return (tail ^ (head * 2654435761)) & FILTER_MASK;
}

/**
 * A one-bit-per-slot prefilter in front of a map of addresses: "certainly absent" in one memory read.
 * Almost every address on a chain is unrelated to a case; with a million tainted wallets a Map lookup
 * misses the processor's caches several times over, so the filter answers the common case first.
 * Only additions are supported (a tainted wallet stays tainted).
 */
export class AddressFilter {
  readonly #bits = new Uint32Array(1 << (FILTER_BITS - 5));

  add(address: Address): void {
    const slot = addressFingerprint(address);
    this.#bits[slot >>> 5] = (this.#bits[slot >>> 5] as number) | (1 << (slot & 31));
  }

  /** False: the address was never added. True: it may have been. */
  mayContain(address: Address): boolean {
    const slot = addressFingerprint(address);
    return ((this.#bits[slot >>> 5] as number) & (1 << (slot & 31))) !== 0;
  }
}

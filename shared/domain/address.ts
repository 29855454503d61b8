/**
 * Addresses inside the core are lowercase, 0x-prefixed, 40 hex digits: one canonical spelling makes
 * them usable as map keys. EIP-55 checksumming is a presentation concern (it needs keccak-256), done
 * by an injected formatter at the edges.
 */
export type Address = string;

const ADDRESS_PATTERN = /^0x[0-9a-f]{40}$/;

export function isCanonicalAddress(value: string): value is Address {
  return ADDRESS_PATTERN.test(value);
}

/** Lowercases and checks shape only; checksum validation of mixed-case input belongs to the adapters. */
export function canonicalAddress(value: string): Address {
  const lower = value.trim().toLowerCase();
  if (!ADDRESS_PATTERN.test(lower)) {
    throw new InvalidAddressError(value);
  }
  return lower;
}

export class InvalidAddressError extends Error {
  readonly input: string;

  constructor(input: string) {
    super(`not an address: ${JSON.stringify(input.length > 64 ? `${input.slice(0, 64)}...` : input)}`);
    this.name = 'InvalidAddressError';
    this.input = input;
  }
}

export const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';

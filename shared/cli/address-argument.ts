import { getAddress } from 'ethers';
import type { Address } from '../domain/address.ts';

const ANY_CASE_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * An address typed or pasted by a person: any case is accepted, but a mixed-case one must carry a valid
 * EIP-55 checksum, which is what catches a mistyped digit. Returns the canonical lowercase form, or a
 * sentence saying what is wrong.
 */
export function parseAddressInput(text: string): { address: Address } | { problem: string } {
  const trimmed = text.trim();
  if (!ANY_CASE_ADDRESS.test(trimmed)) {
    return { problem: `${JSON.stringify(text)} is not an address (0x followed by 40 hex digits)` };
  }
  const digits = trimmed.slice(2);
  if (digits !== digits.toLowerCase() && digits !== digits.toUpperCase()) {
    try {
      getAddress(trimmed);
    } catch {
      return {
        problem: `${trimmed} has a wrong EIP-55 checksum: a mistyped character? (an all-lowercase address skips the check)`,
      };
    }
  }
  return { address: trimmed.toLowerCase() };
}

/** EIP-55 checksummed spelling, for everything the command prints. */
export function checksummed(address: Address): string {
  return getAddress(address);
}

import type { ChainReadFailure } from './errors.ts';

/** Where one step of a range read stopped: the first block it could not read, and why. */
export interface ReadStop {
  readonly block: number;
  readonly error: ChainReadFailure;
}

/** The stop that comes first in the chain (on a tie, the one found first). */
export function earliestStop(
  current: ReadStop | undefined,
  found: ReadStop | undefined,
): ReadStop | undefined {
  if (!found) return current;
  if (!current) return found;
  return found.block < current.block ? found : current;
}

/** The last block a step may still cover given the stop so far. */
export function lastReadableBlock(to: number, stop: ReadStop | undefined): number {
  return stop ? Math.min(to, stop.block - 1) : to;
}

export function blockTag(blockNumber: number): string {
  return `0x${blockNumber.toString(16)}`;
}

import { z } from 'zod';
import {
  addressInput,
  addressOutput,
  blockNumberInput,
  blockNumberOutput,
  chainInput,
  chainOutput,
  isoTimeOutput,
  pageOf,
  pageQuery,
  plainText,
} from './common.ts';
import { responseComponents } from './registry.ts';

export function seedCreateBody(chains: readonly string[]) {
  return z.strictObject({
    chain: chainInput(chains),
    address: addressInput,
    note: plainText(1000, 'Why this wallet is a seed, e.g. "received the exploit proceeds"').optional(),
    fromBlock: blockNumberInput
      .meta({
        description:
          "Trace this wallet's history from this block (backfill) up to the live checkpoint; without it, tracing starts from the live checkpoint",
      })
      .optional(),
  });
}

export const seedListQuery = z.strictObject({ ...pageQuery });

export const seedView = z
  .object({
    chain: chainOutput,
    address: addressOutput,
    note: z.string().nullable(),
    fromBlock: blockNumberOutput.nullable(),
    addedAt: isoTimeOutput,
    addedBy: z.string(),
  })
  .register(responseComponents, { id: 'Seed' });

export const seedPage = pageOf(seedView).register(responseComponents, { id: 'SeedPage' });

export type SeedView = z.output<typeof seedView>;

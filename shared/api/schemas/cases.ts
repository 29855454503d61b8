import { z } from 'zod';
import {
  addressInput,
  addressOutput,
  assetInput,
  assetOutput,
  baseUnitsInput,
  baseUnitsOutput,
  blockNumberOutput,
  chainInput,
  chainOutput,
  isoTimeOutput,
  pageOf,
  pageQuery,
  plainText,
} from './common.ts';
import { responseComponents } from './registry.ts';

/** Far above any real investigation; a bound keeps one case from growing without limit. */
export const MAX_HOPS_LIMIT = 100;
const MAX_LIST_ENTRIES = 100;

function caseFields(chains: readonly string[]) {
  const chain = chainInput(chains);
  return {
    name: plainText(200, 'What the case is called, e.g. "Bridge exploit 2024-05"'),
    model: z.enum(['haircut', 'poison'], { error: 'must be "haircut" or "poison"' }).meta({
      description:
        "haircut: an outgoing transfer carries taint in proportion to the sender's tainted share; poison: everything a tainted wallet sends is tainted",
    }),
    maxHops: z
      .int({ error: 'must be a whole number of hops' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_HOPS_LIMIT, { error: `must be at most ${MAX_HOPS_LIMIT}` })
      .meta({ description: 'Wallets further than this many hops from a seed are not tainted' }),
    minAmounts: z
      .array(
        z.strictObject({
          chain,
          asset: assetInput,
          baseUnits: baseUnitsInput,
        }),
      )
      .max(MAX_LIST_ENTRIES, { error: `must have at most ${MAX_LIST_ENTRIES} entries` })
      .meta({
        description:
          "Per chain and asset, the smallest tainted amount that taints or alerts (base units); others use the chain's dust thresholds",
      }),
    followedTokens: z
      .array(
        z.strictObject({
          chain,
          address: addressInput,
          symbol: plainText(32, 'Token symbol, e.g. "USDC"'),
          decimals: z
            .int({ error: 'must be a whole number' })
            .min(0, { error: 'must not be negative' })
            .max(36, { error: 'must be at most 36' }),
          minAmount: baseUnitsInput,
        }),
      )
      .max(MAX_LIST_ENTRIES, { error: `must have at most ${MAX_LIST_ENTRIES} entries` })
      .meta({
        description: "Tokens this case follows on top of the chain's allow-list (the case vouches for them)",
      }),
  };
}

export function caseCreateBody(chains: readonly string[]) {
  const fields = caseFields(chains);
  return z.strictObject({
    name: fields.name,
    model: fields.model.default('haircut'),
    maxHops: fields.maxHops.default(6),
    minAmounts: fields.minAmounts.default([]),
    followedTokens: fields.followedTokens.default([]),
  });
}

export function caseUpdateBody(chains: readonly string[]) {
  const fields = caseFields(chains);
  return z
    .strictObject({
      name: fields.name.optional(),
      model: fields.model.optional(),
      maxHops: fields.maxHops.optional(),
      minAmounts: fields.minAmounts.optional(),
      followedTokens: fields.followedTokens.optional(),
      status: z
        .enum(['open', 'closed'], { error: 'must be "open" or "closed"' })
        .meta({ description: 'A closed case is no longer traced; its evidence stays readable' })
        .optional(),
    })
    .refine((changes) => Object.keys(changes).length > 0, { error: 'must change at least one field' });
}

export const caseListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }).optional(),
});

const backfillView = z.object({
  chain: chainOutput,
  state: z.enum(['pending', 'running', 'done']).meta({
    description: 'pending: not started; running: some blocks traced; done: handed over to live ingestion',
  }),
  fromBlock: blockNumberOutput,
  toBlock: blockNumberOutput.meta({ description: 'The live checkpoint when the backfill was requested' }),
  doneThrough: blockNumberOutput.nullable().meta({ description: 'Last block traced; null before the first' }),
  blocksDone: z.int().min(0),
  blocksTotal: z.int().min(0),
  updatedAt: isoTimeOutput,
});

export const caseView = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['open', 'closed']),
    model: z.enum(['haircut', 'poison']),
    maxHops: z.int(),
    minAmounts: z.array(z.object({ chain: chainOutput, asset: assetOutput, baseUnits: baseUnitsOutput })),
    followedTokens: z.array(
      z.object({
        chain: chainOutput,
        address: addressOutput,
        symbol: z.string(),
        decimals: z.int(),
        minAmount: baseUnitsOutput,
      }),
    ),
    createdAt: isoTimeOutput,
    createdBy: z.string(),
    updatedAt: isoTimeOutput,
    updatedBy: z.string(),
    backfill: z
      .array(backfillView)
      .meta({ description: 'History tracing requested by seeds with fromBlock' }),
  })
  .register(responseComponents, { id: 'Case' });

export const casePage = pageOf(caseView).register(responseComponents, { id: 'CasePage' });

export type CaseView = z.output<typeof caseView>;
export type BackfillView = z.output<typeof backfillView>;

import { z } from 'zod';
import {
  addressOutput,
  blockNumberOutput,
  chainOutput,
  isoTimeInput,
  isoTimeOutput,
  pageOf,
  pageQuery,
  tokenUnitsOutput,
} from './common.ts';
import { responseComponents } from './registry.ts';

const ALERT_KINDS = [
  'EXCHANGE_DEPOSIT',
  'MIXER_DEPOSIT',
  'BRIDGE_DEPOSIT',
  'SANCTIONED_COUNTERPARTY',
  'FUNDS_MOVED',
] as const;
const SEVERITIES = ['critical', 'high', 'info'] as const;

export const alertListQuery = z.strictObject({
  ...pageQuery,
  since: isoTimeInput
    .meta({ description: 'Only alerts whose block time is at or after this ISO-8601 time' })
    .optional(),
  kind: z.enum(ALERT_KINDS, { error: `must be one of ${ALERT_KINDS.join(', ')}` }).optional(),
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  order: z
    .enum(['newest', 'oldest'], { error: 'must be "newest" or "oldest"' })
    .meta({ description: 'By block time; default newest first' })
    .optional(),
});

/** The alert exactly as published to SNS (schemaVersion 1), plus its delivery state. */
export const alertView = z
  .object({
    id: z.string(),
    schemaVersion: z.int(),
    kind: z.enum(ALERT_KINDS),
    severity: z.enum(SEVERITIES),
    caseId: z.string(),
    caseName: z.string(),
    chain: chainOutput,
    chainId: z.int(),
    txHash: z.string(),
    position: z.string(),
    blockNumber: blockNumberOutput,
    timestamp: isoTimeOutput.nullable(),
    from: addressOutput,
    to: addressOutput,
    asset: z.object({ address: addressOutput.nullable(), symbol: z.string(), decimals: z.int() }),
    amount: tokenUnitsOutput,
    taintedAmount: tokenUnitsOutput,
    hop: z.int(),
    path: z.array(z.object({ address: addressOutput, txHash: z.string().nullable() })),
    counterparty: z.object({
      address: addressOutput,
      name: z.string().nullable(),
      category: z.string().nullable(),
    }),
    exchange: z.string().nullable(),
    depositAddress: addressOutput.nullable(),
    explorerUrl: z.string(),
    delivery: z.object({
      state: z.enum(['pending', 'published']),
      storedAt: isoTimeOutput,
      publishedAt: isoTimeOutput.nullable(),
    }),
  })
  .register(responseComponents, { id: 'Alert' });

export const alertPage = pageOf(alertView).register(responseComponents, { id: 'AlertPage' });

export type AlertView = z.output<typeof alertView>;

import { z } from 'zod';
import {
  addressInput,
  addressOutput,
  blockNumberOutput,
  chainOutput,
  isoTimeOutput,
  plainText,
} from './common.ts';
import { responseComponents } from './registry.ts';

const CATEGORIES = ['mixer', 'exchange', 'bridge', 'sanctioned', 'dex', 'other'] as const;

export const labelPutBody = z.strictObject({
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
  name: plainText(200, 'Who the address belongs to, e.g. "Binance"'),
  source: plainText(500, 'Where the agency knows it from, e.g. "subpoena 2024-118"').optional(),
  depositOf: addressInput
    .meta({ description: 'For a confirmed exchange deposit address: the exchange hot wallet it sweeps to' })
    .optional(),
});

export const labelEntryView = z.object({
  origin: z.enum(['built-in', 'learned', 'agency']).meta({
    description: 'built-in: shipped label data; learned: found by the tracer; agency: set through this API',
  }),
  category: z.enum(CATEGORIES),
  name: z.string(),
  source: z.string(),
  depositOf: addressOutput.nullable(),
  txHash: z.string().nullable(),
  blockNumber: blockNumberOutput.nullable(),
  at: isoTimeOutput.nullable(),
  by: z.string().nullable(),
});

export const addressLabelsView = z
  .object({ chain: chainOutput, address: addressOutput, labels: z.array(labelEntryView) })
  .register(responseComponents, { id: 'AddressLabels' });

export type LabelEntryView = z.output<typeof labelEntryView>;
export type AddressLabelsView = z.output<typeof addressLabelsView>;

export const healthView = z
  .object({
    status: z.literal('ok'),
    chains: z.array(chainOutput).meta({ description: 'The chains this deployment watches' }),
    version: z.string(),
  })
  .register(responseComponents, { id: 'Health' });

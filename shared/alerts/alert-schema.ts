/**
 * The alert as subscribers receive it (schema version 1), for consumers that parse what arrives on
 * their queue. It is the `Alert` of `shared/domain/alert.ts`; `alertJsonSchema()` gives the same as a
 * JSON Schema document for subscribers in other languages. Unknown fields are kept: additions within
 * a schema version are not breaking; removals or changes bump `schemaVersion`.
 */
import { z } from 'zod';
import { ALERT_SCHEMA_VERSION, type Alert } from '../domain/alert.ts';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address');
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 0x transaction hash');
const amount = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal amount in token units');

export const alertSchema = z.looseObject({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
  kind: z.enum([
    'EXCHANGE_DEPOSIT',
    'MIXER_DEPOSIT',
    'BRIDGE_DEPOSIT',
    'SANCTIONED_COUNTERPARTY',
    'FUNDS_MOVED',
  ]),
  severity: z.enum(['critical', 'high', 'info']),
  caseId: z.string().min(1).max(64),
  caseName: z.string(),
  chain: z.string().min(1).max(32),
  chainId: z.number().int().positive(),
  txHash: hash,
  position: z.string().min(1).max(640),
  blockNumber: z.number().int().nonnegative(),
  timestamp: z.iso.datetime().nullable(),
  from: address,
  to: address,
  asset: z.looseObject({
    address: address.nullable(),
    symbol: z.string(),
    decimals: z.number().int().nonnegative(),
  }),
  amount,
  taintedAmount: amount,
  hop: z.number().int().nonnegative(),
  path: z.array(z.looseObject({ address, txHash: hash.nullable() })).min(1),
  counterparty: z.looseObject({
    address,
    name: z.string().nullable(),
    category: z.string().nullable(),
  }),
  exchange: z.string().nullable(),
  depositAddress: address.nullable(),
  explorerUrl: z.url(),
});

/** Throws a ZodError naming the failing fields. */
export function parseAlert(value: unknown): Alert {
  return alertSchema.parse(value) as Alert;
}

export function alertJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(alertSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}

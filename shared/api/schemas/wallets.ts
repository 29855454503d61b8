import { z } from 'zod';
import { MAX_HOPS_LIMIT } from './cases.ts';
import {
  addressOutput,
  assetOutput,
  blockNumberOutput,
  chainInput,
  chainOutput,
  pageOf,
  pageQuery,
  queryInteger,
  tokenUnitsOutput,
} from './common.ts';
import { responseComponents } from './registry.ts';

export function walletListQuery(chains: readonly string[]) {
  return z
    .strictObject({
      ...pageQuery,
      chain: chainInput(chains).optional(),
      hop: queryInteger(
        0,
        MAX_HOPS_LIMIT,
        'Only wallets at this many hops from a seed (needs chain)',
      ).optional(),
    })
    .refine((query) => query.hop === undefined || query.chain !== undefined, {
      error: 'hop needs chain: hops are counted per chain',
      path: ['hop'],
    });
}

export const labelSummary = z.object({
  category: z.enum(['mixer', 'exchange', 'bridge', 'sanctioned', 'dex', 'other']),
  name: z.string(),
  source: z.string(),
});

export const walletView = z
  .object({
    chain: chainOutput,
    address: addressOutput,
    hop: z.int().min(0),
    seed: z.boolean(),
    firstBlock: blockNumberOutput.meta({ description: 'Block of the first tainting transfer (0 for seeds)' }),
    asOfBlock: blockNumberOutput.meta({ description: 'Last block of the range that produced this state' }),
    path: z
      .array(z.object({ address: addressOutput, txHash: z.string().nullable() }))
      .meta({ description: 'From the seed to this wallet; each step names the transaction that tainted it' }),
    holdings: z.array(
      z.object({
        asset: assetOutput,
        symbol: z.string(),
        decimals: z.int().min(0),
        taintedIn: tokenUnitsOutput.meta({ description: 'All tainted value received, token units' }),
        taintedHeld: tokenUnitsOutput.meta({ description: 'Tainted value still held, token units' }),
      }),
    ),
    labels: z.array(labelSummary),
  })
  .register(responseComponents, { id: 'TaintedWallet' });

export const walletPage = pageOf(walletView).register(responseComponents, { id: 'TaintedWalletPage' });

export type WalletView = z.output<typeof walletView>;

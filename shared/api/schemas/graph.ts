import { z } from 'zod';
import { addressOutput, blockNumberOutput, chainInput, chainOutput, tokenUnitsOutput } from './common.ts';
import { responseComponents } from './registry.ts';

export function graphQuery(chains: readonly string[]) {
  return z.strictObject({
    chain: chainInput(chains)
      .meta({ description: "The chain to draw; may be left out when the case's seeds are all on one chain" })
      .optional(),
  });
}

/** The domain's FlowGraph (shared/domain/flow-graph.ts), plus whether it was cut at the size bound. */
export const flowGraphView = z
  .object({
    caseId: z.string(),
    caseName: z.string(),
    chain: chainOutput,
    nodes: z.array(
      z.object({
        address: addressOutput,
        label: z
          .object({
            name: z.string(),
            category: z.enum(['mixer', 'exchange', 'bridge', 'sanctioned', 'dex', 'other']),
          })
          .nullable(),
        hop: z
          .int()
          .nullable()
          .meta({ description: 'null for custodians and pools, which are never tainted' }),
        seed: z.boolean(),
        taintedIn: z
          .record(z.string(), tokenUnitsOutput)
          .meta({ description: 'Per asset symbol, token units' }),
        taintedHeld: z.record(z.string(), tokenUnitsOutput),
      }),
    ),
    edges: z.array(
      z.object({
        from: addressOutput,
        to: addressOutput,
        txHash: z.string(),
        position: z.string(),
        blockNumber: blockNumberOutput,
        asset: z.string(),
        amount: tokenUnitsOutput,
        taintedAmount: tokenUnitsOutput,
      }),
    ),
    truncated: z.boolean().meta({
      description:
        'true when the case has more transfers than one graph holds; the first ones by block are drawn',
    }),
  })
  .register(responseComponents, { id: 'FlowGraph' });

export type FlowGraphView = z.output<typeof flowGraphView>;

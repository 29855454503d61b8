/**
 * What a case left in the store, in a form two runs can be compared by: every tainted wallet with its
 * taint per asset, hop and path; every flow edge; the labels the chain learned. Case ids differ between
 * runs, so they are left out.
 */
import { linkToPath } from '../../../shared/domain/taint-ledger.ts';
import type { Store } from '../../../shared/store/index.ts';
import { LOCAL_CHAIN } from './pipeline.ts';

export interface CaseSnapshot {
  readonly wallets: Record<string, unknown>[];
  readonly edges: Record<string, unknown>[];
  readonly learnedLabels: Record<string, unknown>[];
}

const plain = (value: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner)));

export async function snapshotCase(store: Store, caseId: string): Promise<CaseSnapshot> {
  const wallets: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listWallets(caseId, {
      chain: LOCAL_CHAIN,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const { wallet, asOfBlock } of page.items) {
      wallets.push(
        plain({
          address: wallet.address,
          seed: wallet.seed,
          hop: wallet.link.hop,
          path: linkToPath(wallet.link),
          firstBlock: wallet.firstBlock,
          holdings: Object.fromEntries([...wallet.holdings].sort(([a], [b]) => (a < b ? -1 : 1))),
          asOfBlock,
        }),
      );
    }
    cursor = page.cursor;
  } while (cursor);

  const edges: Record<string, unknown>[] = [];
  cursor = undefined;
  do {
    const page = await store.listEdges(caseId, {
      chain: LOCAL_CHAIN,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    edges.push(...page.items.map(plain));
    cursor = page.cursor;
  } while (cursor);

  const learnedLabels = (await store.loadLabels(LOCAL_CHAIN))
    .filter((label) => label.origin === 'learned')
    .map(({ address, label, txHash, blockNumber }) => plain({ address, label, txHash, blockNumber }));
  return {
    wallets: wallets.sort((a, b) => (String(a.address) < String(b.address) ? -1 : 1)),
    edges,
    learnedLabels,
  };
}

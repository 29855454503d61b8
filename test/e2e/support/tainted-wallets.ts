/**
 * Puts a case's tainted wallets straight into the store, as if earlier ranges had found them: through
 * the store's own wallet range session (load, then save), so the items are exactly what the ingester
 * writes. They are stored as of `asOfBlock`, which must be before the first range the ingester will
 * process (so the session protocol takes them for committed state).
 */
import type { Address } from '../../../shared/domain/address.ts';
import type { TaintedWallet } from '../../../shared/domain/taint-ledger.ts';
import { NATIVE_ASSET } from '../../../shared/domain/transfer.ts';
import type { Store } from '../../../shared/store/index.ts';
import { LOCAL_CHAIN } from './pipeline.ts';

const CHUNK = 5_000;

export async function preloadTaintedWallets(
  store: Store,
  caseId: string,
  seed: Address,
  addresses: readonly Address[],
  options: { readonly asOfBlock: number; readonly taintedWei: bigint },
): Promise<void> {
  const seedLink = { address: seed, txHash: null, hop: 0, previous: null };
  for (let start = 0; start < addresses.length; start += CHUNK) {
    const chunk = addresses.slice(start, start + CHUNK);
    const session = store.walletRange(LOCAL_CHAIN, { from: options.asOfBlock, to: options.asOfBlock });
    await session.load(chunk.map((address) => ({ caseId, address })));
    const wallets = chunk.map(
      (address, i): TaintedWallet => ({
        address,
        seed: false,
        link: {
          address,
          txHash: `0x${(start + i + 1).toString(16).padStart(64, '0')}`,
          hop: 1,
          previous: seedLink,
        },
        holdings: new Map([
          [
            NATIVE_ASSET,
            { balance: options.taintedWei, tainted: options.taintedWei, taintedIn: options.taintedWei },
          ],
        ]),
        firstBlock: options.asOfBlock,
      }),
    );
    await session.save(wallets.map((wallet) => ({ caseId, wallet })));
  }
}

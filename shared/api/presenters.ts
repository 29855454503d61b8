/**
 * Stored records -> the API's response shapes (shared/api/schemas). Money leaves as decimal strings,
 * addresses as EIP-55 checksums, times as ISO-8601.
 */
import { getAddress } from 'ethers';
import type { Address } from '../domain/address.ts';
import { formatUnits } from '../domain/amount.ts';
import { linkToPath } from '../domain/taint-ledger.ts';
import { type AssetId, NATIVE_ASSET } from '../domain/transfer.ts';
import type {
  AuditEntry,
  SeedRecord,
  StoredAlert,
  StoredCase,
  StoredLabel,
  StoredWallet,
} from '../store/repository.ts';
import type { ApiDeps } from './deps.ts';
import type { AlertView } from './schemas/alerts.ts';
import type { AuditEntryView } from './schemas/audit.ts';
import type { BackfillView, CaseView } from './schemas/cases.ts';
import type { LabelEntryView } from './schemas/labels.ts';
import type { SeedView } from './schemas/seeds.ts';
import type { WalletView } from './schemas/wallets.ts';

export function checksummed(address: Address): string {
  return getAddress(address);
}

function assetOut(asset: string): string {
  return asset === NATIVE_ASSET ? NATIVE_ASSET : checksummed(asset);
}

/** Key of Case.minAmounts: `${chain}:${asset}` (shared/domain/case.ts minAmountKey). */
function splitMinAmountKey(key: string): { chain: string; asset: string } {
  const at = key.indexOf(':');
  return { chain: key.slice(0, at), asset: key.slice(at + 1) };
}

export function backfillViewOf(chain: string, progress: StoredCase['backfill'][string]): BackfillView {
  const blocksTotal = Math.max(0, progress.toBlock - progress.fromBlock + 1);
  const blocksDone =
    progress.doneThrough === null
      ? 0
      : Math.min(blocksTotal, Math.max(0, progress.doneThrough - progress.fromBlock + 1));
  return {
    chain,
    state: progress.doneThrough === null ? 'pending' : blocksDone >= blocksTotal ? 'done' : 'running',
    fromBlock: progress.fromBlock,
    toBlock: progress.toBlock,
    doneThrough: progress.doneThrough,
    blocksDone,
    blocksTotal,
    updatedAt: progress.updatedAt,
  };
}

export function caseViewOf(stored: StoredCase): CaseView {
  return {
    id: stored.id,
    name: stored.name,
    status: stored.status,
    model: stored.model,
    maxHops: stored.maxHops,
    minAmounts: Object.entries(stored.minAmounts)
      .map(([key, amount]) => {
        const { chain, asset } = splitMinAmountKey(key);
        return { chain, asset: assetOut(asset), baseUnits: amount.toString() };
      })
      .sort((a, b) => (a.chain + a.asset).localeCompare(b.chain + b.asset)),
    followedTokens: Object.entries(stored.extraTokens)
      .flatMap(([chain, tokens]) =>
        tokens.map((token) => ({
          chain,
          address: checksummed(token.address),
          symbol: token.symbol,
          decimals: token.decimals,
          minAmount: token.minAmount.toString(),
        })),
      )
      .sort((a, b) => (a.chain + a.address).localeCompare(b.chain + b.address)),
    createdAt: stored.createdAt,
    createdBy: stored.createdBy,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
    backfill: Object.entries(stored.backfill)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([chain, progress]) => backfillViewOf(chain, progress)),
  };
}

export function seedViewOf(seed: SeedRecord): SeedView {
  return {
    chain: seed.chain,
    address: checksummed(seed.address),
    note: seed.note,
    fromBlock: seed.fromBlock,
    addedAt: seed.addedAt,
    addedBy: seed.addedBy,
  };
}

export interface AssetDescription {
  readonly symbol: string;
  readonly decimals: number;
}

/**
 * Symbol and decimals of an asset as the case sees it: the case's own tokens first (it vouches for
 * them), then the chain's allow-list. A token known to neither (dropped from the case since) keeps
 * its address as symbol and is shown in base units, rather than being guessed.
 */
export function assetDescriber(deps: ApiDeps, stored: StoredCase) {
  return (chain: string, asset: AssetId): AssetDescription => {
    if (asset === NATIVE_ASSET) {
      const info = deps.chainInfo(chain);
      return info
        ? { symbol: info.nativeSymbol, decimals: info.nativeDecimals }
        : { symbol: 'native', decimals: 0 };
    }
    const own = stored.extraTokens[chain]?.find((token) => token.address === asset);
    const token = own ?? deps.tokens.tokenOf(chain, asset);
    return token
      ? { symbol: token.symbol, decimals: token.decimals }
      : { symbol: checksummed(asset), decimals: 0 };
  };
}

export function walletViewOf(
  stored: StoredWallet,
  describe: (chain: string, asset: AssetId) => AssetDescription,
  labels: WalletView['labels'],
): WalletView {
  const { wallet } = stored;
  return {
    chain: stored.chain,
    address: checksummed(wallet.address),
    hop: wallet.link.hop,
    seed: wallet.seed,
    firstBlock: wallet.firstBlock,
    asOfBlock: stored.asOfBlock,
    path: linkToPath(wallet.link).map((step) => ({
      address: checksummed(step.address),
      txHash: step.txHash,
    })),
    holdings: [...wallet.holdings]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([asset, holding]) => {
        const { symbol, decimals } = describe(stored.chain, asset);
        return {
          asset: assetOut(asset),
          symbol,
          decimals,
          taintedIn: formatUnits(holding.taintedIn, decimals),
          taintedHeld: formatUnits(holding.tainted, decimals),
        };
      }),
    labels,
  };
}

export function alertViewOf(stored: StoredAlert): AlertView {
  return {
    ...stored.alert,
    path: stored.alert.path.map((step) => ({ ...step })),
    delivery: { state: stored.outbox, storedAt: stored.storedAt, publishedAt: stored.publishedAt },
  };
}

export function auditViewOf(entry: AuditEntry): AuditEntryView {
  return { at: entry.at, by: entry.by, action: entry.action, details: { ...entry.details } };
}

export function storedLabelViewOf(stored: StoredLabel): LabelEntryView {
  return {
    origin: stored.origin,
    category: stored.label.category,
    name: stored.label.name,
    source: stored.label.source,
    depositOf: stored.label.depositOf ? checksummed(stored.label.depositOf) : null,
    txHash: stored.txHash,
    blockNumber: stored.blockNumber,
    at: stored.at,
    by: stored.by,
  };
}

import type { Address } from '../domain/address.ts';
import { type AssetTaint, linkToPath, pathToLink, type TaintedWallet } from '../domain/taint-ledger.ts';
import type { AssetId } from '../domain/transfer.ts';
import { readBigInt, readMap, readNumber, readString, type StoredItem } from './attributes.ts';
import { CorruptItemError } from './errors.ts';
import { caseWalletsIndexPk, walletIndexSk, walletPk, walletSk } from './keys.ts';

const WHAT = 'tainted wallet';

/** A wallet's state as stored: bigints as decimal strings, the link chain as a path from the seed. */
export interface WalletStateAttributes {
  readonly seed: boolean;
  readonly path: readonly { readonly address: string; readonly txHash: string | null }[];
  readonly holdings: Readonly<
    Record<string, { readonly balance: string; readonly tainted: string; readonly taintedIn: string }>
  >;
  readonly firstBlock: number;
}

/** `v` is the last block of the range whose processing produced `state`. */
export interface WalletVersion {
  readonly v: number;
  readonly state: WalletStateAttributes;
}

export function walletStateOf(wallet: TaintedWallet): WalletStateAttributes {
  const holdings: Record<string, { balance: string; tainted: string; taintedIn: string }> = {};
  for (const [asset, holding] of wallet.holdings) {
    holdings[asset] = {
      balance: holding.balance.toString(),
      tainted: holding.tainted.toString(),
      taintedIn: holding.taintedIn.toString(),
    };
  }
  return { seed: wallet.seed, path: linkToPath(wallet.link), holdings, firstBlock: wallet.firstBlock };
}

/** A fresh object: the tracer mutates what it is given, and the stored base must not change with it. */
export function walletFromState(address: Address, state: WalletStateAttributes): TaintedWallet {
  const holdings = new Map<AssetId, AssetTaint>();
  for (const [asset, holding] of Object.entries(state.holdings)) {
    holdings.set(asset, {
      balance: readBigInt(holding, 'balance', WHAT),
      tainted: readBigInt(holding, 'tainted', WHAT),
      taintedIn: readBigInt(holding, 'taintedIn', WHAT),
    });
  }
  const link = pathToLink(state.path);
  if (link.address !== address)
    throw new CorruptItemError(WHAT, `path of ${address} ends at ${link.address}`);
  return { address, seed: state.seed, link, holdings, firstBlock: state.firstBlock };
}

export function readVersion(item: StoredItem, name: 'cur' | 'prev'): WalletVersion | null {
  const value = item[name];
  if (value === undefined || value === null) return null;
  const version = readMap(item, name, WHAT);
  const state = readMap(version, 'state', WHAT);
  if (typeof state.seed !== 'boolean')
    throw new CorruptItemError(WHAT, `${name}.state.seed is not a boolean`);
  if (!Array.isArray(state.path) || state.path.length === 0) {
    throw new CorruptItemError(WHAT, `${name}.state.path is not a non-empty list`);
  }
  readMap(state, 'holdings', WHAT);
  readNumber(state, 'firstBlock', WHAT);
  return { v: readNumber(version, 'v', WHAT), state: state as unknown as WalletStateAttributes };
}

export interface WalletItemParts {
  readonly caseId: string;
  readonly chain: string;
  readonly address: Address;
  readonly cur: WalletVersion;
  readonly prev: WalletVersion | null;
}

export function walletToItem(parts: WalletItemParts): StoredItem {
  const hop = parts.cur.state.path.length - 1;
  return {
    pk: walletPk(parts.chain, parts.address),
    sk: walletSk(parts.caseId),
    gsi1pk: caseWalletsIndexPk(parts.caseId),
    gsi1sk: walletIndexSk(parts.chain, hop, parts.address),
    entity: 'wallet',
    caseId: parts.caseId,
    chain: parts.chain,
    address: parts.address,
    hop,
    cur: parts.cur,
    prev: parts.prev,
  };
}

export function walletIdentity(item: StoredItem): { caseId: string; chain: string; address: Address } {
  return {
    caseId: readString(item, 'caseId', WHAT),
    chain: readString(item, 'chain', WHAT),
    address: readString(item, 'address', WHAT),
  };
}

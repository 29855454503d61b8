/**
 * Who an address is and which tokens can carry taint, per chain: the labels adapter of DESIGN.md.
 * Everything loads from bundled files (shared/labels/data, see PROVENANCE.md); nothing here does I/O.
 */
export { chainRegistry } from './chains.ts';
export type { DerivedUniswapPool, DexVenue } from './dex-venues.ts';
export { DERIVED_UNISWAP_POOLS, DEX_VENUES } from './dex-venues.ts';
export {
  InvalidLabelError,
  InvalidTokenError,
  LabelDataError,
  TokenConflictError,
  UnknownChainError,
} from './errors.ts';
export type { KnownToken } from './known-tokens.ts';
export { KNOWN_TOKENS } from './known-tokens.ts';
export type { LabelBookOptions } from './label-book.ts';
export { builtInLabels, LabelBook, loadBuiltInLabels } from './label-book.ts';
export type { TheftWallet } from './thefts.ts';
export { theftWallets } from './thefts.ts';
export type { TokenAllowListOptions } from './tokens.ts';
export { builtInTokens, TokenAllowList } from './tokens.ts';

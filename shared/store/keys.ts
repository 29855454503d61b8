/**
 * Key layout of the single table (DESIGN "Storage"). `#` separates key parts, so every part that comes
 * from outside is checked here first: an id like `x#WALLETS` must not reach another item's keys.
 *
 *   item              pk                          sk                                     gsi1pk                  gsi1sk
 *   case              CASE#<id>                   CASE                                   CASES                   <createdAt>#<id>
 *   seed              CASE#<id>                   SEED#<chain>#<address>
 *   audit entry       CASE#<id>                   AUDIT#<at>#<seq>
 *   flow edge         CASE#<id>                   EDGE#<chain>#<block:12>#<tx>#<pos>
 *   tainted wallet    WALLET#<chain>#<address>    CASE#<caseId>                          CASE#<id>#WALLETS       <chain>#<hop:3>#<address>
 *   alert             ALERT#<alertId>             ALERT                                  CASE#<id>#ALERTS        <blockTime>#<alertId>
 *   outbox marker     OUTBOX                      <blockTime>#<alertId>
 *   label             LABEL#<chain>#<address>     LEARNED#<category> | AGENCY#<category> LABELS#<chain>          <address>#<origin>#<category>
 *   checkpoint        CHECKPOINT#<chain>          CHECKPOINT
 */
import { type Address, isCanonicalAddress } from '../domain/address.ts';
import type { LabelCategory } from '../domain/label.ts';
import { InvalidStoreInputError } from './errors.ts';

export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CHAIN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const TX_HASH = /^0x[0-9a-f]{64}$/;
const POSITION = /^(tx|log:\d{1,9}|call:(\d{1,9}(\.\d{1,9}){0,63})?)$/;
const ALERT_ID = /^[0-9a-f]{32}$/;
const LABEL_CATEGORIES: readonly LabelCategory[] = [
  'mixer',
  'exchange',
  'bridge',
  'sanctioned',
  'dex',
  'other',
];

/** Block numbers are zero-padded so the sort key orders them numerically. 12 digits: 10^12 blocks. */
const BLOCK_DIGITS = 12;
const HOP_DIGITS = 3;

export function checkCaseId(caseId: string): string {
  if (typeof caseId !== 'string' || !CASE_ID.test(caseId)) {
    throw new InvalidStoreInputError('caseId', 'expected 1-64 letters, digits, "-" or "_"');
  }
  return caseId;
}

export function checkChain(chain: string): string {
  if (typeof chain !== 'string' || !CHAIN.test(chain)) {
    throw new InvalidStoreInputError('chain', 'expected a lowercase chain name of letters, digits and "-"');
  }
  return chain;
}

export function checkAddress(address: string, field = 'address'): Address {
  if (typeof address !== 'string' || !isCanonicalAddress(address)) {
    throw new InvalidStoreInputError(field, 'expected a lowercase 0x address of 40 hex digits');
  }
  return address;
}

export function checkTxHash(txHash: string): string {
  if (typeof txHash !== 'string' || !TX_HASH.test(txHash)) {
    throw new InvalidStoreInputError('txHash', 'expected a lowercase 0x hash of 64 hex digits');
  }
  return txHash;
}

export function checkPosition(position: string): string {
  if (typeof position !== 'string' || !POSITION.test(position)) {
    throw new InvalidStoreInputError('position', 'expected "tx", "log:<n>" or "call:<n.n...>"');
  }
  return position;
}

export function checkAlertId(alertId: string): string {
  if (typeof alertId !== 'string' || !ALERT_ID.test(alertId)) {
    throw new InvalidStoreInputError('alertId', 'expected 32 lowercase hex digits');
  }
  return alertId;
}

export function checkCategory(category: string): LabelCategory {
  if (!LABEL_CATEGORIES.includes(category as LabelCategory)) {
    throw new InvalidStoreInputError('category', `expected one of ${LABEL_CATEGORIES.join(', ')}`);
  }
  return category as LabelCategory;
}

export function checkBlock(block: number, field = 'block'): number {
  if (!Number.isSafeInteger(block) || block < 0 || block >= 10 ** BLOCK_DIGITS) {
    throw new InvalidStoreInputError(field, `expected an integer block number 0..${10 ** BLOCK_DIGITS - 1}`);
  }
  return block;
}

export function checkHop(hop: number): number {
  if (!Number.isSafeInteger(hop) || hop < 0 || hop >= 10 ** HOP_DIGITS) {
    throw new InvalidStoreInputError('hop', `expected an integer 0..${10 ** HOP_DIGITS - 1}`);
  }
  return hop;
}

export function padBlock(block: number): string {
  return String(checkBlock(block)).padStart(BLOCK_DIGITS, '0');
}

export function padHop(hop: number): string {
  return String(checkHop(hop)).padStart(HOP_DIGITS, '0');
}

// Cases, seeds, audit, edges: one partition per case.
export const casePk = (caseId: string) => `CASE#${checkCaseId(caseId)}`;
export const CASE_SK = 'CASE';
export const CASES_INDEX_PK = 'CASES';
export const caseIndexSk = (createdAt: string, caseId: string) => `${createdAt}#${checkCaseId(caseId)}`;
export const SEED_PREFIX = 'SEED#';
export const seedSk = (chain: string, address: Address) =>
  `${SEED_PREFIX}${checkChain(chain)}#${checkAddress(address)}`;
export const AUDIT_PREFIX = 'AUDIT#';
export const EDGE_PREFIX = 'EDGE#';
export const edgeChainPrefix = (chain: string) => `${EDGE_PREFIX}${checkChain(chain)}#`;
export const edgeSk = (chain: string, block: number, txHash: string, position: string) =>
  `${edgeChainPrefix(chain)}${padBlock(block)}#${checkTxHash(txHash)}#${checkPosition(position)}`;

// Tainted wallets: keyed by chain + address (one item per case), listed per case through gsi1.
export const walletPk = (chain: string, address: Address) =>
  `WALLET#${checkChain(chain)}#${checkAddress(address)}`;
export const walletSk = (caseId: string) => `CASE#${checkCaseId(caseId)}`;
export const caseWalletsIndexPk = (caseId: string) => `CASE#${checkCaseId(caseId)}#WALLETS`;
export const walletChainPrefix = (chain: string) => `${checkChain(chain)}#`;
export const walletHopPrefix = (chain: string, hop: number) => `${walletChainPrefix(chain)}${padHop(hop)}#`;
export const walletIndexSk = (chain: string, hop: number, address: Address) =>
  `${walletHopPrefix(chain, hop)}${checkAddress(address)}`;

// Alerts and the outbox.
export const alertPk = (alertId: string) => `ALERT#${checkAlertId(alertId)}`;
export const ALERT_SK = 'ALERT';
export const caseAlertsIndexPk = (caseId: string) => `CASE#${checkCaseId(caseId)}#ALERTS`;
/** Alerts sort by block time; one without a time sorts first (an empty time part). */
export const alertTimeSk = (timestamp: string | null, alertId: string) =>
  `${timestamp ?? ''}#${checkAlertId(alertId)}`;
export const OUTBOX_PK = 'OUTBOX';

// Labels.
export const labelPk = (chain: string, address: Address) =>
  `LABEL#${checkChain(chain)}#${checkAddress(address)}`;
export const labelSk = (origin: 'learned' | 'agency', category: LabelCategory) =>
  `${origin === 'learned' ? 'LEARNED' : 'AGENCY'}#${checkCategory(category)}`;
export const labelsIndexPk = (chain: string) => `LABELS#${checkChain(chain)}`;
export const labelIndexSk = (address: Address, origin: 'learned' | 'agency', category: LabelCategory) =>
  `${checkAddress(address)}#${origin}#${checkCategory(category)}`;

// Checkpoints.
export const checkpointPk = (chain: string) => `CHECKPOINT#${checkChain(chain)}`;
export const CHECKPOINT_SK = 'CHECKPOINT';

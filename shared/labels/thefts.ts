import { type Address, isCanonicalAddress } from '../domain/address.ts';
import theftData from './data/thefts.json' with { type: 'json' };
import { LabelDataError } from './errors.ts';

/**
 * An address tied to a public theft (exploiter, receiver or laundering intermediary), usable as a
 * seed wallet by the demo and the backtests. Source data: shared/labels/data/thefts.csv (the same
 * rows, kept for people; thefts.json is what code loads). Provenance: data/PROVENANCE.md.
 */
export interface TheftWallet {
  readonly chain: string;
  readonly address: Address;
  readonly incident: string;
  /** YYYY-MM-DD, YYYY-MM (DeFiHackLabs only gives the month), or null when no source dates it. */
  readonly date: string | null;
  /** Where it comes from: repository:path@commit [role], several joined with ' ; '. */
  readonly source: string;
}

const THEFTS_FILE = 'shared/labels/data/thefts.json';
/** Must match THEFTS_FORMAT in scripts/import-labels.ts. */
export const THEFTS_FORMAT = 'laundering-alerts/thefts@1';
const DATE_PATTERN = /^\d{4}-\d{2}(-\d{2})?$/;

let wallets: readonly TheftWallet[] | undefined;

/**
 * Every theft wallet of the bundled dataset, in file order. Chains are as the sources name them and
 * include some this service does not follow (vechain, sei...): filter with chainRegistry.get.
 */
export function theftWallets(): readonly TheftWallet[] {
  wallets ??= parseTheftWallets(theftData);
  return wallets;
}

function parseTheftWallets(data: unknown): readonly TheftWallet[] {
  const bundle = data as { format?: unknown; rows?: unknown } | null;
  if (!bundle || bundle.format !== THEFTS_FORMAT || !Array.isArray(bundle.rows)) {
    throw new LabelDataError(THEFTS_FILE, `not a ${THEFTS_FORMAT} file`);
  }
  return bundle.rows.map((row: unknown, index): TheftWallet => {
    const [chain, address, incident, date, source] = Array.isArray(row) ? row : [];
    if (
      typeof chain !== 'string' ||
      typeof address !== 'string' ||
      !isCanonicalAddress(address) ||
      typeof incident !== 'string' ||
      !(date === null || (typeof date === 'string' && DATE_PATTERN.test(date))) ||
      typeof source !== 'string'
    ) {
      throw new LabelDataError(THEFTS_FILE, `row ${index} is malformed`);
    }
    return Object.freeze({ chain, address, incident, date, source });
  });
}

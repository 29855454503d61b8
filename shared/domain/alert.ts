import { createHash } from 'node:crypto';

/** Version of the alert object's shape; bump on any breaking change to the fields below. */
export const ALERT_SCHEMA_VERSION = 1;

export type AlertKind =
  | 'EXCHANGE_DEPOSIT'
  | 'MIXER_DEPOSIT'
  | 'BRIDGE_DEPOSIT'
  | 'SANCTIONED_COUNTERPARTY'
  | 'FUNDS_MOVED';

export type Severity = 'critical' | 'high' | 'info';

export const SEVERITY_OF: Readonly<Record<AlertKind, Severity>> = {
  EXCHANGE_DEPOSIT: 'critical',
  MIXER_DEPOSIT: 'high',
  BRIDGE_DEPOSIT: 'high',
  SANCTIONED_COUNTERPARTY: 'high',
  FUNDS_MOVED: 'info',
};

export interface AlertAsset {
  /** Token contract, or null for the chain's native coin. */
  readonly address: string | null;
  readonly symbol: string;
  readonly decimals: number;
}

export interface PathStep {
  readonly address: string;
  /** The transaction that tainted this address; null for a seed. */
  readonly txHash: string | null;
}

export interface Counterparty {
  readonly address: string;
  readonly name: string | null;
  readonly category: string | null;
}

/**
 * What an investigator receives. Every statement is checkable on chain: tx hash, block, amounts and
 * the hop path back to the seed (DESIGN invariant 6). Addresses are EIP-55 checksummed; amounts are
 * decimal strings in token units (no floating point anywhere in money).
 */
export interface Alert {
  readonly id: string;
  readonly schemaVersion: number;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly caseId: string;
  readonly caseName: string;
  readonly chain: string;
  readonly chainId: number;
  readonly txHash: string;
  readonly position: string;
  readonly blockNumber: number;
  /** ISO-8601 time of the block, or null when the source did not give it. */
  readonly timestamp: string | null;
  readonly from: string;
  readonly to: string;
  readonly asset: AlertAsset;
  readonly amount: string;
  readonly taintedAmount: string;
  /** Hops from the seed to the recipient of this transfer. */
  readonly hop: number;
  /** From the seed to the sender of this transfer, in order. */
  readonly path: readonly PathStep[];
  readonly counterparty: Counterparty;
  readonly exchange: string | null;
  readonly depositAddress: string | null;
  readonly explorerUrl: string;
}

/** Stable across replays: the same event of the same case always gets the same id (invariant 1). */
export function alertId(
  caseId: string,
  chain: string,
  txHash: string,
  position: string,
  kind: AlertKind,
): string {
  return createHash('sha256')
    .update(`${caseId}\u0000${chain}\u0000${txHash.toLowerCase()}\u0000${position}\u0000${kind}`)
    .digest('hex')
    .slice(0, 32);
}

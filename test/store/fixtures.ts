import {
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertKind,
  alertId,
  SEVERITY_OF,
} from '../../shared/domain/alert.ts';
import type { Actor, CaseDefinition } from '../../shared/store/repository.ts';

export const AGENT: Actor = {
  by: 'arn:aws:iam::111122223333:user/investigator',
  at: '2026-11-20T10:00:00.000Z',
};

export function address(n: number): string {
  return `0x${n.toString(16).padStart(40, '0')}`;
}

export function txHash(n: number): string {
  return `0x${n.toString(16).padStart(64, '0')}`;
}

export const DEFINITION: CaseDefinition = {
  name: 'Bridge hack 2026-11',
  model: 'haircut',
  maxHops: 6,
  minAmounts: { 'ethereum:native': 10n ** 16n },
  extraTokens: {
    ethereum: [
      {
        address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
        symbol: 'USDC',
        decimals: 6,
        minAmount: 1_000_000n,
      },
    ],
  },
};

export function sampleAlert(overrides: {
  caseId?: string;
  kind?: AlertKind;
  tx?: number;
  block?: number;
  timestamp?: string | null;
  exchange?: string | null;
}): Alert {
  const caseId = overrides.caseId ?? 'case-1';
  const kind = overrides.kind ?? 'EXCHANGE_DEPOSIT';
  const hash = txHash(overrides.tx ?? 1);
  const block = overrides.block ?? 19_000_000;
  const exchange =
    overrides.exchange === undefined ? (kind === 'EXCHANGE_DEPOSIT' ? 'Binance' : null) : overrides.exchange;
  return {
    id: alertId(caseId, 'ethereum', hash, 'tx', kind),
    schemaVersion: ALERT_SCHEMA_VERSION,
    kind,
    severity: SEVERITY_OF[kind],
    caseId,
    caseName: 'Bridge hack 2026-11',
    chain: 'ethereum',
    chainId: 1,
    txHash: hash,
    position: 'tx',
    blockNumber: block,
    timestamp:
      overrides.timestamp === undefined
        ? new Date(Date.UTC(2026, 10, 20, 0, 0, block % 60)).toISOString()
        : overrides.timestamp,
    from: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    to: '0x28C6c06298d514Db089934071355E5743bf21d60',
    asset: { address: null, symbol: 'ETH', decimals: 18 },
    amount: '12.5',
    taintedAmount: '12.5',
    hop: 2,
    path: [
      { address: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', txHash: null },
      { address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', txHash: txHash(99) },
    ],
    counterparty: {
      address: '0x28C6c06298d514Db089934071355E5743bf21d60',
      name: exchange,
      category: kind === 'EXCHANGE_DEPOSIT' ? 'exchange' : kind === 'MIXER_DEPOSIT' ? 'mixer' : null,
    },
    exchange,
    depositAddress: exchange ? '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' : null,
    explorerUrl: `https://etherscan.io/tx/${hash}`,
  };
}

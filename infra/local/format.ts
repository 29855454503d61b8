import type { AlertNotification } from '../../shared/alerts/index.ts';
import type { BackfillStep, IngestStep } from '../../shared/ingest/index.ts';

const SEVERITY_MARK = { critical: '!!!', high: '!! ', info: '.  ' } as const;

/** One alert as a person reads it in a terminal: what, how much, where, and the evidence. */
export function formatAlert({ alert }: AlertNotification): string {
  const mark = SEVERITY_MARK[alert.severity] ?? '   ';
  const amount = `${alert.taintedAmount} ${alert.asset.symbol} tainted of ${alert.amount}`;
  let where: string;
  switch (alert.kind) {
    case 'EXCHANGE_DEPOSIT':
      where = alert.depositAddress
        ? `${alert.exchange} deposit address ${alert.depositAddress}`
        : `${alert.exchange} hot wallet ${alert.to}`;
      break;
    case 'MIXER_DEPOSIT':
    case 'BRIDGE_DEPOSIT':
    case 'SANCTIONED_COUNTERPARTY':
      where = `${alert.counterparty.name ?? 'unnamed'} ${alert.to}`;
      break;
    default:
      where = `new wallet ${alert.to}`;
  }
  const path = alert.path.map((step) => `${step.address.slice(0, 8)}…`).join(' > ');
  return [
    `${mark} ${alert.severity.toUpperCase()} ${alert.kind}  ${amount} -> ${where}`,
    `      case "${alert.caseName}"  hop ${alert.hop}  from ${alert.from}  ${alert.chain} block ${alert.blockNumber}`,
    `      tx ${alert.txHash} (${alert.position})  path ${path}  id ${alert.id}`,
  ].join('\n');
}

/** Ingest progress worth a line: ranges with transfers, unreadable ranges, backfills. */
export function formatIngestStep(chain: string, step: IngestStep | BackfillStep): string | undefined {
  switch (step.status) {
    case 'processed':
      if (step.walletsWritten === 0 && step.alertsStored === 0) return undefined;
      return `    ${chain}: blocks ${step.from}-${step.to} traced, ${step.walletsWritten} tainted wallet(s) updated, ${step.alertsStored} alert(s) stored`;
    case 'unreadable':
      return `    ${chain}: ${'caseId' in step ? `backfill of case ${step.caseId}` : `block ${step.from}`} not readable yet (${step.unreadable.reason}): retrying`;
    case 'backfilled':
      return `    ${chain}: backfill of case ${step.caseId}: blocks ${step.from}-${step.to} of ${step.target}${step.complete ? ', done: handed over to live ingestion' : ''}`;
    default:
      return undefined;
  }
}

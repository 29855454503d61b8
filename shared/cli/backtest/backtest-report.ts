import type { Alert } from '../../domain/alert.ts';
import { formatUnits } from '../../domain/amount.ts';
import type { Case } from '../../domain/case.ts';
import type { ChainInfo } from '../../domain/chain.ts';
import type { LabelCategory } from '../../domain/label.ts';
import type { CaseTracer } from '../../domain/tracer.ts';
import type { AssetId } from '../../domain/transfer.ts';
import type { BacktestResult, CustodianArrivals } from './run-backtest.ts';

/** A hop with thousands of wallets is listed up to this many; the count says the rest. */
const WALLETS_LISTED_PER_HOP = 25;

const CUSTODIAN_ORDER: readonly LabelCategory[] = ['exchange', 'mixer', 'bridge'];

export interface ReportContext {
  readonly caseDef: Case;
  readonly chain: ChainInfo;
  readonly data: string;
  readonly elapsedSeconds: number;
  readonly format: (address: string) => string;
}

/** The `table` output: what an investigator reads first. Amounts in token units, addresses EIP-55. */
export function formatBacktestReport(result: BacktestResult, context: ReportContext): string {
  const { caseDef, chain } = context;
  const tracer = result.tracer;
  const amount = (asset: AssetId, value: bigint) => {
    const described = tracer.describeAsset(asset);
    return `${groupDigits(formatUnits(value, described.decimals))} ${described.symbol}`;
  };
  const lines: string[] = [];
  const { rows, blocks, transfers } = result.progress;
  lines.push(`Backtest: ${caseDef.name} (case ${caseDef.id}) on ${chain.name}`);
  lines.push(
    `Model ${caseDef.model}, at most ${caseDef.maxHops} hops, ${caseDef.seeds.length} seed wallet${plural(caseDef.seeds.length)}`,
  );
  lines.push(
    `Read ${groupDigits(String(rows))} rows from ${context.data}: ${groupDigits(String(blocks))} block${plural(blocks)}` +
      (blocks > 0 ? ` (${result.firstBlock} to ${result.progress.block})` : '') +
      `, ${groupDigits(String(transfers))} transfers, in ${context.elapsedSeconds.toFixed(1)} s`,
  );

  lines.push('', `ALERTS (${result.alerts.length})`);
  if (result.alerts.length === 0) lines.push('  none');
  for (const alert of result.alerts) lines.push(...alertLines(alert));

  lines.push('', ...walletLines(tracer, context.format, amount));

  lines.push('', 'TAINTED VALUE REACHING EXCHANGES, MIXERS AND BRIDGES');
  const custodians = [...result.custodians].sort(
    (a, b) =>
      CUSTODIAN_ORDER.indexOf(a.category) - CUSTODIAN_ORDER.indexOf(b.category) ||
      a.name.localeCompare(b.name),
  );
  if (custodians.length === 0) lines.push('  none');
  const nameWidth = Math.max(0, ...custodians.map((custodian) => custodian.name.length));
  for (const custodian of custodians) lines.push(custodianLine(custodian, nameWidth, amount));

  if (result.learned.length > 0) {
    lines.push('', 'EXCHANGE DEPOSIT ADDRESSES LEARNED');
    for (const deposit of result.learned) {
      lines.push(
        `  ${context.format(deposit.address)}  ${deposit.exchange}: swept to ${context.format(deposit.hotWallet)} ` +
          `in ${deposit.txHash} (block ${deposit.blockNumber})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function alertLines(alert: Alert): string[] {
  const counterparty = alert.counterparty.name
    ? ` (${alert.counterparty.name}, ${alert.counterparty.category})`
    : alert.counterparty.category
      ? ` (${alert.counterparty.category})`
      : '';
  const lines = [
    `  [${alert.severity}] ${alert.kind}  block ${alert.blockNumber}  hop ${alert.hop}` +
      (alert.timestamp ? `  ${alert.timestamp}` : ''),
    `      ${groupDigits(alert.taintedAmount)} ${alert.asset.symbol} tainted of ${groupDigits(alert.amount)} ` +
      `${alert.asset.symbol}: ${alert.from} -> ${alert.to}${counterparty}`,
  ];
  if (alert.depositAddress) lines.push(`      deposit address ${alert.depositAddress} at ${alert.exchange}`);
  lines.push(`      ${alert.explorerUrl}`);
  return lines;
}

function walletLines(
  tracer: CaseTracer,
  format: (address: string) => string,
  amount: (asset: AssetId, value: bigint) => string,
): string[] {
  const byHop = new Map<number, { address: string; seed: boolean; taintedIn: string[]; held: string[] }[]>();
  let total = 0;
  for (const wallet of tracer.ledger.wallets()) {
    total++;
    const taintedIn: string[] = [];
    const held: string[] = [];
    for (const [asset, holding] of [...wallet.holdings].sort(([a], [b]) => a.localeCompare(b))) {
      if (holding.taintedIn > 0n) taintedIn.push(amount(asset, holding.taintedIn));
      if (holding.tainted > 0n) held.push(amount(asset, holding.tainted));
    }
    const hop = wallet.link.hop;
    const list = byHop.get(hop) ?? [];
    list.push({ address: wallet.address, seed: wallet.seed, taintedIn, held });
    byHop.set(hop, list);
  }
  const lines = [`TAINTED WALLETS BY HOP (${total})`];
  for (const hop of [...byHop.keys()].sort((a, b) => a - b)) {
    const wallets = (byHop.get(hop) ?? []).sort((a, b) => (a.address < b.address ? -1 : 1));
    lines.push(`  hop ${hop}: ${wallets.length} wallet${plural(wallets.length)}`);
    for (const wallet of wallets.slice(0, WALLETS_LISTED_PER_HOP)) {
      const received = wallet.taintedIn.length > 0 ? `received ${wallet.taintedIn.join(', ')} tainted` : '';
      const holds = wallet.held.length > 0 ? `holds ${wallet.held.join(', ')}` : 'holds no tainted value';
      lines.push(
        `      ${format(wallet.address)}${wallet.seed ? '  seed' : ''}  ${[received, holds].filter(Boolean).join('; ')}`,
      );
    }
    if (wallets.length > WALLETS_LISTED_PER_HOP) {
      lines.push(`      ... and ${wallets.length - WALLETS_LISTED_PER_HOP} more (use --graph for all)`);
    }
  }
  return lines;
}

function custodianLine(
  custodian: CustodianArrivals,
  nameWidth: number,
  amount: (asset: AssetId, value: bigint) => string,
): string {
  const sum = (values: Map<AssetId, bigint>) =>
    [...values]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([asset, value]) => amount(asset, value))
      .join('; ');
  const parts: string[] = [];
  if (custodian.transfers > 0) {
    const addresses = custodian.addresses.size;
    parts.push(
      `${sum(custodian.tainted)}  (${custodian.transfers} transfer${plural(custodian.transfers)} to ` +
        `${addresses} address${addresses === 1 ? '' : 'es'})`,
    );
  }
  if (custodian.depositTransfers > 0) {
    parts.push(
      `at its deposit addresses: ${sum(custodian.atDepositAddresses)}  ` +
        `(${custodian.depositTransfers} transfer${plural(custodian.depositTransfers)})`,
    );
  }
  return `  ${custodian.category.padEnd(8)}  ${custodian.name.padEnd(nameWidth)}  ${parts.join('; ')}`;
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}

/** 1234567.5 -> 1,234,567.5 (decimal strings only; never through floating point). */
export function groupDigits(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

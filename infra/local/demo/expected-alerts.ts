import type { Address } from '../../../shared/domain/address.ts';
import type { Alert, AlertKind } from '../../../shared/domain/alert.ts';
import { formatUnits } from '../../../shared/domain/amount.ts';
import type { LabelCategory } from '../../../shared/domain/label.ts';
import { NATIVE_ASSET } from '../../../shared/domain/transfer.ts';
import { DEMO_COUNTERPARTIES, DEMO_TOKENS } from './cast.ts';
import type { DemoScenarioLog, DemoStepId } from './demo-log.ts';

/**
 * The alerts the demo must raise, and the addresses it must leave untainted, derived from the scenario's
 * own step log (what each step was written to cause), not from running a tracer: the pipeline is
 * checked against them. Addresses are canonical lowercase; compare alerts, which carry EIP-55 spellings,
 * with `matchesExpectedAlert`.
 */
export interface ExpectedDemoAlert {
  readonly step: DemoStepId;
  readonly kind: AlertKind;
  readonly chain: string;
  readonly txHash: string;
  readonly blockNumber: number;
  /** Identity inside the transaction, as in alerts: 'tx', 'log:<n>', 'call:<trace address>'. */
  readonly position: string;
  readonly from: Address;
  readonly to: Address;
  readonly counterparty: {
    readonly address: Address;
    readonly name: string | null;
    readonly category: LabelCategory | null;
  };
  readonly exchange: string | null;
  readonly depositAddress: Address | null;
  readonly asset: { readonly address: Address | null; readonly symbol: string; readonly decimals: number };
  /** Base units. */
  readonly amount: bigint;
  /** As alerts word amounts: a decimal string in token units ('19.9'). */
  readonly amountText: string;
  /** Every movement of the scenario is wholly stolen value, so the tainted amount is the amount. */
  readonly taintedAmountText: string;
  readonly hop: number;
}

/** An address the pipeline must not taint, and why. */
export interface DemoCleanAddress {
  readonly address: Address;
  /** noise: the attacker tried to drag it in; custodian: taint stops there (DESIGN invariant 5). */
  readonly role: 'noise' | 'custodian';
  readonly why: string;
}

/** A deposit address the pipeline must learn (and store), from the sweep that reveals it. */
export interface ExpectedDepositAddress {
  readonly address: Address;
  readonly exchange: string;
  readonly hotWallet: Address;
  readonly txHash: string;
}

export interface ExpectedDemoOutcome {
  readonly alerts: readonly ExpectedDemoAlert[];
  readonly mustStayClean: readonly DemoCleanAddress[];
  readonly learnedDepositAddresses: readonly ExpectedDepositAddress[];
}

export interface ExpectedDemoAlertsOptions {
  /** The chain's name in alerts. Default 'local' (chain id 31337 in shared/labels/chains.ts). */
  readonly chain?: string;
}

const TOKENS_BY_ADDRESS = new Map<Address, { symbol: string; decimals: number }>(
  Object.values(DEMO_TOKENS).map((token) => [token.address, token]),
);

export function expectedDemoAlerts(
  log: DemoScenarioLog,
  options: ExpectedDemoAlertsOptions = {},
): ExpectedDemoOutcome {
  const chain = options.chain ?? 'local';
  const alerts: ExpectedDemoAlert[] = [];
  const learnedDepositAddresses: ExpectedDepositAddress[] = [];
  for (const step of log.steps) {
    for (const movement of step.movements) {
      const expectation = movement.alert;
      if (!expectation) continue;
      let asset: ExpectedDemoAlert['asset'];
      if (movement.asset === NATIVE_ASSET) {
        asset = { address: null, symbol: 'ETH', decimals: 18 };
      } else {
        const token = TOKENS_BY_ADDRESS.get(movement.asset);
        // Steps only plan alerts on the mainnet tokens; anything else is a bug in the scenario.
        if (!token)
          throw new Error(`demo step ${step.id} expects an alert on unknown token ${movement.asset}`);
        asset = { address: movement.asset, symbol: token.symbol, decimals: token.decimals };
      }
      const amountText = formatUnits(movement.amount, asset.decimals);
      alerts.push({
        step: step.id,
        kind: expectation.kind,
        chain,
        txHash: step.txHash,
        blockNumber: step.blockNumber,
        position: movement.position,
        from: movement.from,
        to: movement.to,
        counterparty: expectation.counterparty,
        exchange: expectation.exchange,
        depositAddress: expectation.depositAddress,
        asset,
        amount: movement.amount,
        amountText,
        taintedAmountText: amountText,
        hop: expectation.hop,
      });
      if (
        expectation.kind === 'EXCHANGE_DEPOSIT' &&
        expectation.depositAddress !== null &&
        expectation.counterparty.address !== expectation.depositAddress
      ) {
        learnedDepositAddresses.push({
          address: expectation.depositAddress,
          exchange: expectation.exchange ?? expectation.counterparty.name ?? '',
          hotWallet: expectation.counterparty.address,
          txHash: step.txHash,
        });
      }
    }
  }

  const { actors } = log;
  const noise = (address: Address, why: string): DemoCleanAddress => ({ address, role: 'noise', why });
  const custodian = (address: Address, name: string): DemoCleanAddress => ({
    address,
    role: 'custodian',
    why: `${name}: taint stops at custodians and pools`,
  });
  const mustStayClean: DemoCleanAddress[] = [
    noise(actors.innocent, 'named only by a spoofed token (not on the allow-list) as paid by the seed'),
    noise(actors.lookAlike, 'received a zero-value USDT transferFrom from the seed (address poisoning)'),
    noise(actors.dustRecipient, 'received only dust (0.000001 ETH) from a tainted wallet'),
    noise(actors.poisoner, 'sent the spam, never received from a tainted wallet'),
    noise(actors.spoofedToken, 'the spoofed token contract itself'),
    ...Object.values(DEMO_COUNTERPARTIES).map((known) => custodian(known.address, known.name)),
  ];
  return { alerts, mustStayClean, learnedDepositAddresses };
}

function sameAddress(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** Whether a received alert is the expected one (same event, kind, amount, asset and parties). */
export function matchesExpectedAlert(expected: ExpectedDemoAlert, alert: Alert): boolean {
  return (
    alert.kind === expected.kind &&
    alert.chain === expected.chain &&
    alert.txHash.toLowerCase() === expected.txHash &&
    alert.position === expected.position &&
    alert.amount === expected.amountText &&
    sameAddress(alert.asset.address, expected.asset.address) &&
    sameAddress(alert.from, expected.from) &&
    sameAddress(alert.to, expected.to) &&
    alert.exchange === expected.exchange &&
    sameAddress(alert.depositAddress, expected.depositAddress)
  );
}

/** One line for an expected alert, e.g. for "still missing: ..." when one never arrives. */
export function describeExpectedAlert(expected: ExpectedDemoAlert): string {
  const where = expected.counterparty.name
    ? `${expected.counterparty.name} ${expected.counterparty.address}`
    : expected.counterparty.address;
  const deposit = expected.depositAddress ? ` via deposit address ${expected.depositAddress}` : '';
  return (
    `${expected.kind} ${expected.amountText} ${expected.asset.symbol} to ${where}${deposit} ` +
    `(step ${expected.step}, tx ${expected.txHash} ${expected.position}, block ${expected.blockNumber})`
  );
}

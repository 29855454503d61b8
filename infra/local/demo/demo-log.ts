import type { Address } from '../../../shared/domain/address.ts';
import type { AlertKind } from '../../../shared/domain/alert.ts';
import type { LabelCategory } from '../../../shared/domain/label.ts';
import type { AssetId, TransferKind } from '../../../shared/domain/transfer.ts';
import type { TheftWallet } from '../../../shared/labels/thefts.ts';

/**
 * What `runDemoScenario` did, step by step, for the caller to show and for `expectedDemoAlerts` to
 * turn into the alerts the pipeline must raise. Addresses are canonical (lowercase); amounts are bigint
 * base units.
 */

export type DemoStepId =
  | 'peel-hop-1'
  | 'peel-hop-2'
  | 'peel-change'
  | 'mixer-deposit'
  | 'usdc-out'
  | 'usdt-out'
  | 'swap-approve'
  | 'swap'
  | 'to-deposit-address'
  | 'deposit-sweep'
  | 'second-deposit'
  | 'bridge-deposit'
  | 'forwarder-deploy'
  | 'forward'
  | 'spoof-deploy'
  | 'spoof-transfer'
  | 'address-poisoning'
  | 'dust';

/** The alert a movement must raise, as the scenario's author intends it (not as a tracer computed it). */
export interface DemoAlertExpectation {
  readonly kind: AlertKind;
  /** Hops from the seed to the recipient. */
  readonly hop: number;
  readonly counterparty: {
    readonly address: Address;
    readonly name: string | null;
    readonly category: LabelCategory | null;
  };
  readonly exchange: string | null;
  readonly depositAddress: Address | null;
}

/**
 * One movement of value a step made, as the chain records it: the transaction's own value, a token
 * `Transfer` log, or an internal call. `position` is the transfer's identity inside the transaction,
 * as in shared/domain/transfer.ts ('tx', 'log:<log index in the block>', 'call:<trace address>').
 */
export interface DemoMovement {
  readonly kind: TransferKind;
  readonly position: string;
  readonly from: Address;
  readonly to: Address;
  readonly asset: AssetId;
  readonly amount: bigint;
  /** The alert this movement must raise, or null when it must raise none. */
  readonly alert: DemoAlertExpectation | null;
}

export interface DemoStep {
  readonly id: DemoStepId;
  readonly description: string;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly from: Address;
  /** null for a contract creation. */
  readonly to: Address | null;
  readonly createdContract: Address | null;
  readonly movements: readonly DemoMovement[];
}

/** State written directly into the node before the first transaction (code, storage, balances). */
export interface DemoSetupAction {
  readonly description: string;
}

export interface DemoActors {
  readonly seed: Address;
  readonly hop1: Address;
  readonly hop2: Address;
  readonly usdcWallet: Address;
  readonly usdtWallet: Address;
  readonly depositAddress: Address;
  readonly forwarder: Address;
  readonly cashOut: Address;
  readonly poisoner: Address;
  readonly spoofedToken: Address;
  readonly innocent: Address;
  readonly lookAlike: Address;
  readonly dustRecipient: Address;
}

export interface DemoScenarioLog {
  readonly chainId: number;
  /** The theft wallet the case starts from, with its provenance in the project's theft data. */
  readonly seed: TheftWallet;
  readonly actors: DemoActors;
  readonly setup: readonly DemoSetupAction[];
  /** The block of the first step: a case registered from this block on sees the whole scenario. */
  readonly firstBlock: number;
  readonly lastStepBlock: number;
  /** Head after the empty blocks mined past the confirmation depth. */
  readonly headBlock: number;
  readonly steps: readonly DemoStep[];
  readonly elapsedMs: number;
}

import { keccak256, toUtf8Bytes } from 'ethers';
import type { Address } from '../../../shared/domain/address.ts';
import type { LabelCategory, LabelDirectory } from '../../../shared/domain/label.ts';
import { mostSpecificLabel } from '../../../shared/domain/label.ts';
import { type TheftWallet, theftWallets } from '../../../shared/labels/thefts.ts';
import { DemoPremiseError } from './errors.ts';

/**
 * Who takes part in the demo. Everything the trail ends at is a real mainnet address, labelled in the
 * project's own dataset (shared/labels); the laundering wallets in between are fresh addresses made
 * for the demo, as a launderer makes fresh wallets. On the local chain the node impersonates them all.
 */

/** Harmony Exploiter 1, the wallet that received the ERC-20s and ETH drained from Harmony's Horizon bridge. */
const HARMONY_EXPLOITER_1: Address = '0x0d043128146654c7683fbf30ac98d7b2285ded00';

/**
 * The seed wallet, as the project's theft dataset records it (shared/labels/data/thefts.csv, row
 * "Harmony Horizon Bridge, 2022-06-23", from tayvano/lazarus-bluenoroff-research). Read from the data
 * rather than trusted from the constant, so the demo cannot drift from what the project ships.
 */
export function demoSeed(): TheftWallet {
  const wallet = theftWallets().find(
    (candidate) => candidate.chain === 'ethereum' && candidate.address === HARMONY_EXPLOITER_1,
  );
  if (!wallet) {
    throw new DemoPremiseError(
      `its seed wallet ${HARMONY_EXPLOITER_1} (Harmony Horizon Bridge) is not in shared/labels/data/thefts.json`,
    );
  }
  return wallet;
}

export interface DemoToken {
  readonly address: Address;
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
}

/** Mainnet token contracts; on the local chain, stand-ins with the same address, symbol and decimals. */
export const DEMO_TOKENS = {
  usdc: {
    address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
    name: 'USD Coin',
    symbol: 'USDC',
    decimals: 6,
  },
  usdt: {
    address: '0xdac17f958d2ee523a2206206994597c13d831ec7',
    name: 'Tether USD',
    symbol: 'USDT',
    decimals: 6,
  },
  weth: {
    address: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
    name: 'Wrapped Ether',
    symbol: 'WETH',
    decimals: 18,
  },
} as const satisfies Record<string, DemoToken>;

export interface DemoCounterparty {
  readonly address: Address;
  /** The category and name the project's labels give it (checked by test/demo/cast.test.ts). */
  readonly category: LabelCategory;
  readonly name: string;
  /** Where the project's label comes from (shared/labels/data/PROVENANCE.md has the details). */
  readonly labelSource: string;
}

/** Where the trail ends: each is a real mainnet address with the project's label. */
export const DEMO_COUNTERPARTIES = {
  tornadoPool: {
    address: '0x910cbd523d972eb0a6f4cae4618ad62622b39dbf',
    category: 'mixer',
    name: 'Tornado Cash: 10 ETH',
    labelSource: 'etherscan labels (brianleect/etherscan-labels) and Dune spellbook OFAC list; also OFAC SDN',
  },
  binanceHotWallet: {
    address: '0x28c6c06298d514db089934071355e5743bf21d60',
    category: 'exchange',
    name: 'Binance',
    labelSource: 'Dune spellbook cex_evms_addresses ("Binance 14") and etherscan labels',
  },
  arbitrumInbox: {
    address: '0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f',
    category: 'bridge',
    name: 'Arbitrum: Delayed Inbox',
    labelSource: 'etherscan labels and Dune spellbook bridges_ethereum_addresses',
  },
  uniswapRouter: {
    address: '0x7a250d5630b4cf539739df2c5dacb4c659f2488d',
    category: 'dex',
    name: 'Uniswap V2: Router02',
    labelSource: 'shared/labels/dex-venues.ts, from the Uniswap v2 deployments page',
  },
} as const satisfies Record<string, DemoCounterparty>;

/**
 * Differences between the counterparties above and what `labels` says of them on `chain`; empty when
 * they agree. The demo's expected alerts name these labels, so they must be the project's.
 */
export function counterpartyLabelMismatches(labels: LabelDirectory, chain: string): string[] {
  const problems: string[] = [];
  for (const [role, counterparty] of Object.entries(DEMO_COUNTERPARTIES)) {
    const label = mostSpecificLabel(labels.labelsOf(chain, counterparty.address));
    if (!label) {
      problems.push(`${role} ${counterparty.address} has no label on ${chain}`);
    } else if (label.category !== counterparty.category || label.name !== counterparty.name) {
      problems.push(
        `${role} ${counterparty.address} is labelled ${label.category} "${label.name}" on ${chain}, ` +
          `the demo expects ${counterparty.category} "${counterparty.name}"`,
      );
    }
  }
  return problems;
}

/**
 * A fresh address for a demo role: the last 20 bytes of keccak256 of a phrase naming the role. Nobody
 * holds a key for it (the node impersonates it), and it is the same on every run.
 */
export function freshDemoAddress(role: string): Address {
  return `0x${keccak256(toUtf8Bytes(`laundering-alerts demo: ${role}`)).slice(-40)}`;
}

/**
 * An address-poisoning look-alike: same first four and last four hex digits as `target`, which is
 * what a wallet UI shows of an address, different in between. Poisoners grind keys for such
 * addresses; the demo only needs the address, since it never sends from it.
 */
export function lookAlikeOf(target: Address): Address {
  const middle = keccak256(toUtf8Bytes(`laundering-alerts demo: look-alike of ${target}`)).slice(2, 34);
  return `0x${target.slice(2, 6)}${middle}${target.slice(-4)}`;
}

/** The fresh wallets of the scenario, by role. */
export const DEMO_WALLETS = {
  hop1: freshDemoAddress('peel chain hop 1'),
  hop2: freshDemoAddress('peel chain hop 2'),
  usdcWallet: freshDemoAddress('USDC wallet'),
  usdtWallet: freshDemoAddress('USDT wallet'),
  depositAddress: freshDemoAddress('Binance deposit address'),
  cashOut: freshDemoAddress('cash-out wallet behind the forwarder'),
  poisoner: freshDemoAddress('address poisoner'),
  innocent: freshDemoAddress('innocent wallet named by the spoofed token'),
  dustRecipient: freshDemoAddress('innocent wallet sent dust'),
} as const satisfies Record<string, Address>;

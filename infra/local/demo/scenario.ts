import { id as eventTopic, Interface, toQuantity, zeroPadValue } from 'ethers';
import { type Address, canonicalAddress } from '../../../shared/domain/address.ts';
import { NATIVE_ASSET } from '../../../shared/domain/transfer.ts';
import { demoContract } from './artifacts.ts';
import {
  DEMO_COUNTERPARTIES,
  DEMO_TOKENS,
  DEMO_WALLETS,
  type DemoCounterparty,
  demoSeed,
  lookAlikeOf,
} from './cast.ts';
import type {
  DemoActors,
  DemoAlertExpectation,
  DemoMovement,
  DemoScenarioLog,
  DemoSetupAction,
  DemoStep,
  DemoStepId,
} from './demo-log.ts';
import { type DemoNode, type DemoRpc, demoRpc } from './demo-rpc.ts';
import { DemoChainError, DemoNodeNotFreshError, DemoStepError } from './errors.ts';
import { installMainnetStandIns, setEthBalance } from './mainnet-stand-ins.ts';

/** Hardhat's and anvil's development chain id; the project calls this chain 'local'. */
export const LOCAL_CHAIN_ID = 31337;

export interface DemoScenarioOptions {
  /**
   * Confirmation depth the watcher waits for before it processes a block. The scenario mines this many
   * empty blocks, plus `extraBlocks`, after its last step, so that every step is processable. Default 0.
   */
  readonly confirmations?: number;
  /** Empty blocks mined beyond the confirmation depth. Default 2. */
  readonly extraBlocks?: number;
}

const ETH = 10n ** 18n;
const USD = 10n ** 6n;

/** The amounts of the story, in base units. Every laundering hop is far above the dust thresholds. */
export const DEMO_AMOUNTS = {
  seedEth: 500n * ETH,
  seedUsdc: 1_000_000n * USD,
  seedUsdt: 500_000n * USD,
  routerWeth: 1_000n * ETH,
  /** Gas money for wallets that receive only tokens: set directly, it is no part of the trail. */
  gasMoney: 1n * ETH,
  peelHop1: 100n * ETH,
  peelHop2: 60n * ETH,
  peelChange: 39n * ETH,
  tornadoDeposit: 10n * ETH,
  usdcOut: 250_000n * USD,
  usdtOut: 100_000n * USD,
  swapUsdcIn: 100_000n * USD,
  swapWethOut: 40n * ETH,
  toDepositAddress: 20n * ETH,
  depositSweep: 199n * (ETH / 10n),
  secondDepositWeth: 40n * ETH,
  bridgeDeposit: 15n * ETH,
  forwarded: 5n * ETH,
  spoofedAmount: 5_000_000n * USD,
  /** 0.000001 ETH: a thousandth of the 0.001 ETH dust threshold of Ethereum. */
  dust: 10n ** 12n,
} as const;

const TRANSFER_TOPIC = eventTopic('Transfer(address,address,uint256)');
/** The calls the real contracts take; on the local chain those addresses have no code and just keep the ETH. */
const MAINNET_CALLS = new Interface([
  'function deposit(bytes32 commitment) payable', // Tornado Cash pool
  'function depositEth() payable returns (uint256)', // Arbitrum Delayed Inbox
]);

interface TokenTransferPlan {
  readonly token: Address;
  readonly from: Address;
  readonly to: Address;
  readonly amount: bigint;
  readonly alert?: DemoAlertExpectation;
}

interface InternalTransferPlan {
  readonly traceAddress: readonly number[];
  readonly from: Address;
  readonly to: Address;
  readonly amount: bigint;
  readonly alert?: DemoAlertExpectation;
}

interface StepPlan {
  readonly id: DemoStepId;
  readonly description: string;
  readonly from: Address;
  /** null deploys `data` as creation code. */
  readonly to: Address | null;
  readonly value?: bigint;
  readonly data?: string;
  /** The alert the transaction's own value must raise. */
  readonly alert?: DemoAlertExpectation;
  /** Every `Transfer` log the transaction must emit, no more, no fewer. */
  readonly tokenTransfers?: readonly TokenTransferPlan[];
  readonly internalTransfers?: readonly InternalTransferPlan[];
}

function fundsMoved(to: Address, hop: number): DemoAlertExpectation {
  return {
    kind: 'FUNDS_MOVED',
    hop,
    counterparty: { address: to, name: null, category: null },
    exchange: null,
    depositAddress: null,
  };
}

function atCustodian(
  custodian: DemoCounterparty,
  kind: 'EXCHANGE_DEPOSIT' | 'MIXER_DEPOSIT' | 'BRIDGE_DEPOSIT',
  hop: number,
  depositAddress: Address | null = null,
): DemoAlertExpectation {
  return {
    kind,
    hop,
    counterparty: { address: custodian.address, name: custodian.name, category: custodian.category },
    exchange: kind === 'EXCHANGE_DEPOSIT' ? custodian.name : null,
    depositAddress,
  };
}

function topicAddress(address: Address): string {
  return zeroPadValue(address, 32).toLowerCase();
}

interface RpcReceipt {
  transactionHash: string;
  blockNumber: string;
  transactionIndex: string;
  status: string;
  contractAddress: string | null;
  logs: { address: string; topics: string[]; data: string; logIndex: string }[];
}

/** Sends planned transactions one at a time, each mined in its own block, and checks what they did. */
class StepRunner {
  readonly steps: DemoStep[] = [];
  readonly #rpc: DemoRpc;

  constructor(rpc: DemoRpc) {
    this.#rpc = rpc;
  }

  async run(plan: StepPlan): Promise<DemoStep> {
    const value = plan.value ?? 0n;
    const tx: Record<string, string> = { from: plan.from, value: toQuantity(value) };
    if (plan.to !== null) tx.to = plan.to;
    if (plan.data !== undefined) tx.data = plan.data;

    let txHash: string;
    try {
      txHash = await this.#rpc.call<string>('eth_sendTransaction', [tx]);
    } catch (error) {
      throw new DemoStepError(plan.id, `was refused: ${(error as Error).message}`);
    }
    const receipt = await this.#receipt(plan.id, txHash);
    if (receipt.status !== '0x1') throw new DemoStepError(plan.id, 'reverted', txHash);
    const blockNumber = Number(receipt.blockNumber);

    const movements: DemoMovement[] = [];
    if (value > 0n && plan.to !== null) {
      movements.push({
        kind: 'native',
        position: 'tx',
        from: plan.from,
        to: plan.to,
        asset: NATIVE_ASSET,
        amount: value,
        alert: plan.alert ?? null,
      });
    }
    for (const internal of plan.internalTransfers ?? []) {
      await this.#checkInternalTransfer(plan.id, txHash, blockNumber, internal);
      movements.push({
        kind: 'internal',
        position: `call:${internal.traceAddress.join('.')}`,
        from: internal.from,
        to: internal.to,
        asset: NATIVE_ASSET,
        amount: internal.amount,
        alert: internal.alert ?? null,
      });
    }
    movements.push(...this.#matchTokenTransfers(plan, txHash, receipt));

    const step: DemoStep = {
      id: plan.id,
      description: plan.description,
      txHash,
      blockNumber,
      txIndex: Number(receipt.transactionIndex),
      from: plan.from,
      to: plan.to,
      createdContract: receipt.contractAddress ? canonicalAddress(receipt.contractAddress) : null,
      movements,
    };
    this.steps.push(step);
    return step;
  }

  async #receipt(step: DemoStepId, txHash: string): Promise<RpcReceipt> {
    let receipt = await this.#rpc.call<RpcReceipt | null>('eth_getTransactionReceipt', [txHash]);
    if (!receipt) {
      // A node with automine off: mine the pending transaction ourselves.
      await this.#rpc.call('evm_mine', []);
      receipt = await this.#rpc.call<RpcReceipt | null>('eth_getTransactionReceipt', [txHash]);
    }
    if (!receipt) throw new DemoStepError(step, 'was not mined', txHash);
    return receipt;
  }

  /** Pairs each planned token transfer with its `Transfer` log; an unplanned or missing log is an error. */
  #matchTokenTransfers(plan: StepPlan, txHash: string, receipt: RpcReceipt): DemoMovement[] {
    const transferLogs = receipt.logs.filter((log) => log.topics[0] === TRANSFER_TOPIC);
    const unmatched = new Set(transferLogs);
    const movements: { logIndex: number; movement: DemoMovement }[] = [];
    for (const planned of plan.tokenTransfers ?? []) {
      const log = [...unmatched].find(
        (candidate) =>
          candidate.address.toLowerCase() === planned.token &&
          candidate.topics[1]?.toLowerCase() === topicAddress(planned.from) &&
          candidate.topics[2]?.toLowerCase() === topicAddress(planned.to) &&
          BigInt(candidate.data) === planned.amount,
      );
      if (!log) {
        throw new DemoStepError(
          plan.id,
          `emitted no Transfer of ${planned.amount} from ${planned.from} to ${planned.to} on token ${planned.token}`,
          txHash,
        );
      }
      unmatched.delete(log);
      const logIndex = Number(log.logIndex);
      movements.push({
        logIndex,
        movement: {
          kind: 'erc20',
          position: `log:${logIndex}`,
          from: planned.from,
          to: planned.to,
          asset: planned.token,
          amount: planned.amount,
          alert: planned.alert ?? null,
        },
      });
    }
    if (unmatched.size > 0) {
      throw new DemoStepError(plan.id, `emitted ${unmatched.size} Transfer log(s) it did not plan`, txHash);
    }
    return movements.sort((a, b) => a.logIndex - b.logIndex).map((entry) => entry.movement);
  }

  /**
   * An internal call leaves no receipt entry; its recipient's balance is the cheap proof that it
   * happened (test/demo checks the call itself with debug_traceTransaction).
   */
  async #checkInternalTransfer(
    step: DemoStepId,
    txHash: string,
    blockNumber: number,
    internal: InternalTransferPlan,
  ): Promise<void> {
    const [before, after] = await Promise.all([
      this.#rpc.call<string>('eth_getBalance', [internal.to, toQuantity(blockNumber - 1)]),
      this.#rpc.call<string>('eth_getBalance', [internal.to, toQuantity(blockNumber)]),
    ]);
    if (BigInt(after) - BigInt(before) !== internal.amount) {
      throw new DemoStepError(
        step,
        `did not pay ${internal.amount} wei to ${internal.to} through ${internal.from}`,
        txHash,
      );
    }
  }
}

async function requireFreshLocalChain(rpc: DemoRpc, seed: Address): Promise<void> {
  const chainId = Number(await rpc.call<string>('eth_chainId'));
  if (chainId !== LOCAL_CHAIN_ID) throw new DemoChainError(chainId, LOCAL_CHAIN_ID);
  const seedNonce = Number(await rpc.call<string>('eth_getTransactionCount', [seed, 'latest']));
  if (seedNonce !== 0)
    throw new DemoNodeNotFreshError(`the seed wallet ${seed} has sent ${seedNonce} transactions`);
  const usdcCode = await rpc.call<string>('eth_getCode', [DEMO_TOKENS.usdc.address, 'latest']);
  if (usdcCode !== '0x')
    throw new DemoNodeNotFreshError(`there is already code at USDC ${DEMO_TOKENS.usdc.address}`);
}

/**
 * Replays a laundering path on a local development node (chain id 31337), with real mainnet addresses
 * impersonated: the seed wallet of the Harmony Horizon Bridge theft, a peel chain, a Tornado Cash
 * deposit, USDC and USDT moved as ERC-20 transfers, a Uniswap swap, a deposit address that sweeps to a
 * Binance hot wallet and then receives a second tainted deposit, an Arbitrum bridge deposit, ETH passed
 * on by a contract (an internal transfer), and the attacker's noise that must raise nothing (a spoofed
 * token, address poisoning, dust).
 *
 * Every step is a real transaction mined in its own block; then `confirmations + extraBlocks` empty
 * blocks are mined. Runs ONCE per fresh node: a second run on the same node would meet other nonces
 * and balances, so it throws DemoNodeNotFreshError instead. Prints nothing: the returned log says what
 * happened, and `expectedDemoAlerts(log)` what the pipeline must raise.
 */
export async function runDemoScenario(
  node: DemoNode,
  options: DemoScenarioOptions = {},
): Promise<DemoScenarioLog> {
  const confirmations = options.confirmations ?? 0;
  const extraBlocks = options.extraBlocks ?? 2;
  for (const [name, count] of [
    ['confirmations', confirmations],
    ['extraBlocks', extraBlocks],
  ] as const) {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`${name} must be a whole number >= 0, got ${count}`);
  }
  const started = performance.now();
  const rpc = demoRpc(node);
  const seedWallet = demoSeed();
  const seed = seedWallet.address;
  await requireFreshLocalChain(rpc, seed);

  const { tornadoPool, binanceHotWallet, arbitrumInbox, uniswapRouter } = DEMO_COUNTERPARTIES;
  const { usdc, usdt, weth } = DEMO_TOKENS;
  const { hop1, hop2, usdcWallet, usdtWallet, depositAddress, cashOut, poisoner, innocent, dustRecipient } =
    DEMO_WALLETS;
  const lookAlike = lookAlikeOf(usdtWallet);
  const A = DEMO_AMOUNTS;
  const token = demoContract('MainnetTokenStandIn').abi;

  // ---- Setup: state the theft left behind, written directly (no transactions, nothing to trace) ----
  const setup: DemoSetupAction[] = [];
  await installMainnetStandIns(rpc, {
    usdc: [[seed, A.seedUsdc]],
    usdt: [[seed, A.seedUsdt]],
    weth: [[uniswapRouter.address, A.routerWeth]],
  });
  setup.push({
    description:
      `installed ERC-20 stand-ins at the mainnet USDC ${usdc.address}, USDT ${usdt.address} and ` +
      `WETH ${weth.address} addresses, and a swap stand-in at ${uniswapRouter.name} ${uniswapRouter.address} ` +
      `holding 1,000 WETH`,
  });
  await setEthBalance(rpc, seed, A.seedEth);
  setup.push({
    description: `gave the seed wallet ${seed} (${seedWallet.incident}) 500 ETH, 1,000,000 USDC and 500,000 USDT`,
  });
  for (const wallet of [usdcWallet, usdtWallet, poisoner]) await setEthBalance(rpc, wallet, A.gasMoney);
  setup.push({ description: 'gave 1 ETH of gas money to the token wallets and to the poisoner' });
  for (const wallet of [seed, hop1, hop2, usdcWallet, usdtWallet, depositAddress, poisoner]) {
    await rpc.call('hardhat_impersonateAccount', [wallet]);
  }
  setup.push({ description: 'impersonated the seed wallet and the launderer’s and poisoner’s wallets' });

  // ---- The laundering path ----
  const steps = new StepRunner(rpc);
  const first = await steps.run({
    id: 'peel-hop-1',
    description: 'peel chain: the seed sends 100 ETH to a fresh wallet',
    from: seed,
    to: hop1,
    value: A.peelHop1,
    alert: fundsMoved(hop1, 1),
  });
  await steps.run({
    id: 'peel-hop-2',
    description: 'peel chain: hop 1 passes 60 ETH on to a second fresh wallet',
    from: hop1,
    to: hop2,
    value: A.peelHop2,
    alert: fundsMoved(hop2, 2),
  });
  await steps.run({
    id: 'peel-change',
    description: 'peel chain: hop 1 returns 39 ETH of change to the seed (already tainted: no alert)',
    from: hop1,
    to: seed,
    value: A.peelChange,
  });
  await steps.run({
    id: 'mixer-deposit',
    description: `hop 2 deposits 10 ETH into ${tornadoPool.name}`,
    from: hop2,
    to: tornadoPool.address,
    value: A.tornadoDeposit,
    data: MAINNET_CALLS.encodeFunctionData('deposit', [
      eventTopic('laundering-alerts demo: note commitment'),
    ]),
    alert: atCustodian(tornadoPool, 'MIXER_DEPOSIT', 3),
  });
  await steps.run({
    id: 'usdc-out',
    description: 'the seed moves 250,000 USDC to a fresh wallet',
    from: seed,
    to: usdc.address,
    data: token.encodeFunctionData('transfer', [usdcWallet, A.usdcOut]),
    tokenTransfers: [
      {
        token: usdc.address,
        from: seed,
        to: usdcWallet,
        amount: A.usdcOut,
        alert: fundsMoved(usdcWallet, 1),
      },
    ],
  });
  await steps.run({
    id: 'usdt-out',
    description: 'the seed moves 100,000 USDT to a fresh wallet',
    from: seed,
    to: usdt.address,
    data: token.encodeFunctionData('transfer', [usdtWallet, A.usdtOut]),
    tokenTransfers: [
      {
        token: usdt.address,
        from: seed,
        to: usdtWallet,
        amount: A.usdtOut,
        alert: fundsMoved(usdtWallet, 1),
      },
    ],
  });
  await steps.run({
    id: 'swap-approve',
    description: `the USDC wallet approves ${uniswapRouter.name} for 100,000 USDC`,
    from: usdcWallet,
    to: usdc.address,
    data: token.encodeFunctionData('approve', [uniswapRouter.address, A.swapUsdcIn]),
  });
  await steps.run({
    id: 'swap',
    description: `the USDC wallet swaps 100,000 USDC for 40 WETH through ${uniswapRouter.name} (taint carries to the WETH)`,
    from: usdcWallet,
    to: uniswapRouter.address,
    data: demoContract('SwapRouterStandIn').abi.encodeFunctionData('swapExactTokensForTokens', [
      usdc.address,
      A.swapUsdcIn,
      weth.address,
      A.swapWethOut,
    ]),
    tokenTransfers: [
      { token: usdc.address, from: usdcWallet, to: uniswapRouter.address, amount: A.swapUsdcIn },
      { token: weth.address, from: uniswapRouter.address, to: usdcWallet, amount: A.swapWethOut },
    ],
  });
  await steps.run({
    id: 'to-deposit-address',
    description: 'hop 2 sends 20 ETH to a fresh address (a Binance deposit address, not yet known as one)',
    from: hop2,
    to: depositAddress,
    value: A.toDepositAddress,
    alert: fundsMoved(depositAddress, 3),
  });
  await steps.run({
    id: 'deposit-sweep',
    description: `the deposit address sweeps 19.9 ETH to the ${binanceHotWallet.name} hot wallet (the address is learned)`,
    from: depositAddress,
    to: binanceHotWallet.address,
    value: A.depositSweep,
    alert: atCustodian(binanceHotWallet, 'EXCHANGE_DEPOSIT', 4, depositAddress),
  });
  await steps.run({
    id: 'second-deposit',
    description:
      'the USDC wallet sends the 40 WETH from the swap to the learned deposit address (alerts at once)',
    from: usdcWallet,
    to: weth.address,
    data: token.encodeFunctionData('transfer', [depositAddress, A.secondDepositWeth]),
    tokenTransfers: [
      {
        token: weth.address,
        from: usdcWallet,
        to: depositAddress,
        amount: A.secondDepositWeth,
        alert: {
          kind: 'EXCHANGE_DEPOSIT',
          // The USDC wallet is 1 hop from the seed, so this path to the deposit address is 2 hops.
          hop: 2,
          counterparty: { address: depositAddress, name: binanceHotWallet.name, category: 'exchange' },
          exchange: binanceHotWallet.name,
          depositAddress,
        },
      },
    ],
  });
  await steps.run({
    id: 'bridge-deposit',
    description: `hop 2 bridges 15 ETH to Arbitrum through the ${arbitrumInbox.name}`,
    from: hop2,
    to: arbitrumInbox.address,
    value: A.bridgeDeposit,
    data: MAINNET_CALLS.encodeFunctionData('depositEth', []),
    alert: atCustodian(arbitrumInbox, 'BRIDGE_DEPOSIT', 3),
  });
  const deployed = await steps.run({
    id: 'forwarder-deploy',
    description: 'hop 2 deploys a contract that passes ETH on',
    from: hop2,
    to: null,
    data: demoContract('EthForwarder').bytecode,
  });
  const forwarder = deployed.createdContract as Address;
  await steps.run({
    id: 'forward',
    description: 'hop 2 sends 5 ETH through its forwarder to a cash-out wallet (an internal transfer)',
    from: hop2,
    to: forwarder,
    value: A.forwarded,
    data: demoContract('EthForwarder').abi.encodeFunctionData('forward', [cashOut]),
    alert: fundsMoved(forwarder, 3),
    internalTransfers: [
      { traceAddress: [0], from: forwarder, to: cashOut, amount: A.forwarded, alert: fundsMoved(cashOut, 4) },
    ],
  });

  // ---- The attacker's noise: must taint no one and raise nothing ----
  const spoof = await steps.run({
    id: 'spoof-deploy',
    description: 'a poisoner deploys a fake "USDC" token at a fresh address',
    from: poisoner,
    to: null,
    data: demoContract('SpoofedToken').bytecode,
  });
  const spoofedToken = spoof.createdContract as Address;
  await steps.run({
    id: 'spoof-transfer',
    description: 'the fake token claims the seed paid 5,000,000 "USDC" to an innocent wallet',
    from: poisoner,
    to: spoofedToken,
    data: demoContract('SpoofedToken').abi.encodeFunctionData('fakeTransfer', [
      seed,
      innocent,
      A.spoofedAmount,
    ]),
    tokenTransfers: [{ token: spoofedToken, from: seed, to: innocent, amount: A.spoofedAmount }],
  });
  await steps.run({
    id: 'address-poisoning',
    description:
      'the poisoner makes real USDT log a zero-value transfer from the seed to a look-alike address',
    from: poisoner,
    to: usdt.address,
    data: token.encodeFunctionData('transferFrom', [seed, lookAlike, 0n]),
    tokenTransfers: [{ token: usdt.address, from: seed, to: lookAlike, amount: 0n }],
  });
  const last = await steps.run({
    id: 'dust',
    description: 'hop 1 sends 0.000001 ETH of dust to an innocent wallet',
    from: hop1,
    to: dustRecipient,
    value: A.dust,
  });

  const emptyBlocks = confirmations + extraBlocks;
  if (emptyBlocks > 0) await rpc.call('hardhat_mine', [toQuantity(emptyBlocks)]);
  const headBlock = Number(await rpc.call<string>('eth_blockNumber'));

  const actors: DemoActors = {
    seed,
    hop1,
    hop2,
    usdcWallet,
    usdtWallet,
    depositAddress,
    forwarder,
    cashOut,
    poisoner,
    spoofedToken,
    innocent,
    lookAlike,
    dustRecipient,
  };
  return {
    chainId: LOCAL_CHAIN_ID,
    seed: seedWallet,
    actors,
    setup,
    firstBlock: first.blockNumber,
    lastStepBlock: last.blockNumber,
    headBlock,
    steps: steps.steps,
    elapsedMs: Math.round(performance.now() - started),
  };
}

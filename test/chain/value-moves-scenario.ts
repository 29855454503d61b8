import type { EthereumNode } from '../../infra/local/servers/index.ts';
import {
  callData,
  deployContract,
  fund,
  latestBlockNumber,
  type MinedTransaction,
  sendAs,
} from '../helpers/impersonated-sender.ts';
import { testContract } from '../helpers/solidity-compiler.ts';
import { type InstalledToken, installTokenAt, MAINNET_TOKENS } from '../helpers/token-at-address.ts';

/** A transfer as the tests state it: what moved, where in its transaction. */
export interface ExpectedTransfer {
  readonly tx: string;
  readonly position: string;
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  readonly amount: bigint;
  readonly kind: 'native' | 'erc20' | 'internal';
}

const ETH = 10n ** 18n;

/** Parties of the scenario, lowercase. The thief is the Ronin bridge exploiter's address (public record). */
export const PARTIES = {
  thief: '0x098b716b8aaf21512996dc57eb0615e2383e2f96',
  alice: '0x00000000000000000000000000000000000a11ce',
  bob: '0x0000000000000000000000000000000000000b0b',
  carol: '0x00000000000000000000000000000000000ca201',
  dave: '0x0000000000000000000000000000000000000da7',
  erin: '0x00000000000000000000000000000000000e2140',
  frank: '0x000000000000000000000000000000000000f2a4',
  bundler: '0x00000000000000000000000000000000b0dd1e20',
  stranger: '0x0000000000000000000000000000000057a4e620',
  strangerFriend: '0x0000000000000000000000000000000057a4e621',
} as const;

export interface ValueMovesScenario {
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly usdc: InstalledToken;
  readonly spoof: string;
  readonly routerA: string;
  readonly routerB: string;
  readonly account: string;
  readonly txs: Readonly<Record<string, MinedTransaction>>;
  /** Every transfer of transactions that touch the thief or the smart account, or name the account in a log. */
  readonly expectedForWatched: readonly ExpectedTransfer[];
  /** Transfers of the strangers' transactions, which touch no watched address. */
  readonly expectedForStrangers: readonly ExpectedTransfer[];
}

/**
 * Mines, one transaction per block, each way value can move or seem to move: a plain payment, a failed
 * payment, a split through a contract, nested calls, a swallowed revert, a delegate call, a creation with
 * value, a self-destruction, a USDC transfer at USDC's mainnet address, a spoofed token's fake Transfer,
 * a smart account paying through a relayer (named only in a log), and strangers' payments.
 */
export async function playValueMoves(node: EthereumNode): Promise<ValueMovesScenario> {
  const provider = node.provider;
  const { thief, alice, bob, carol, dave, erin, frank, bundler, stranger, strangerFriend } = PARTIES;
  const deployer = thief;
  for (const party of [thief, bundler, stranger]) await fund(provider, party, 1_000n * ETH);

  const router = testContract('ValueRouter');
  const payThenRevert = testContract('PayThenRevert');
  const smartAccount = testContract('SmartAccount');
  const routerA = await deployContract(provider, deployer, router);
  const routerB = await deployContract(provider, deployer, router);
  const routerD = await deployContract(provider, deployer, router);
  const reverter = await deployContract(provider, deployer, payThenRevert);
  const account = await deployContract(provider, deployer, smartAccount);
  const spoof = await deployContract(provider, deployer, testContract('SpoofToken'));
  const usdc = await installTokenAt(provider, {
    ...MAINNET_TOKENS.USDC,
    balances: { [thief]: 5_000_000_000n },
  });

  const fromBlock = (await latestBlockNumber(provider)) + 1;
  const txs: Record<string, MinedTransaction> = {};
  const send = async (name: string, request: Parameters<typeof sendAs>[1]) => {
    txs[name] = await sendAs(provider, request);
    return txs[name] as MinedTransaction;
  };

  await send('payment', { from: thief, to: alice, value: 1n * ETH });
  await send('failedPayment', {
    from: thief,
    to: routerA,
    value: 1n * ETH,
    data: callData(router, 'refuse'),
    gas: 100_000n,
  });
  await send('split', {
    from: thief,
    to: routerA,
    value: 2n * ETH,
    data: callData(router, 'split', [bob, carol]),
  });
  await send('nested', {
    from: thief,
    to: routerA,
    value: 4n * ETH,
    data: callData(router, 'forward', [routerB, callData(router, 'split', [bob, carol])]),
  });
  await send('swallowedRevert', {
    from: thief,
    to: routerA,
    value: 1n * ETH,
    data: callData(router, 'forwardIgnoringFailure', [
      reverter,
      callData(payThenRevert, 'payAndRevert', [dave]),
    ]),
  });
  await send('delegated', {
    from: thief,
    to: routerA,
    value: 2n * ETH,
    data: callData(router, 'delegate', [routerB, callData(router, 'split', [bob, carol])]),
  });
  const creation = await send('creation', {
    from: thief,
    to: routerA,
    value: ETH / 2n,
    data: callData(router, 'create', [smartAccount.bytecode]),
  });
  await send('fundRouterD', { from: thief, to: routerD, value: 3n * ETH });
  await send('selfDestruct', { from: thief, to: routerD, data: callData(router, 'destroy', [erin]) });
  await send('usdcTransfer', {
    from: thief,
    to: usdc.address,
    data: callData(testContract('TestToken'), 'transfer', [alice, 1_000_000_000n]),
  });
  await send('spoofed', {
    from: stranger,
    to: spoof,
    data: callData(testContract('SpoofToken'), 'fakeTransfer', [thief, alice, 10n ** 30n]),
  });
  await send('fundAccount', { from: thief, to: account, value: 2n * ETH });
  await send('relayed', {
    from: bundler,
    to: routerA,
    data: callData(router, 'relay', [account, callData(smartAccount, 'execute', [frank, 1n * ETH])]),
  });
  await send('strangerPayment', { from: stranger, to: strangerFriend, value: 1n * ETH });
  await send('strangerSplit', {
    from: stranger,
    to: routerB,
    value: 2n * ETH,
    data: callData(router, 'split', [strangerFriend, dave]),
  });
  const toBlock = await latestBlockNumber(provider);

  for (const [name, tx] of Object.entries(txs)) {
    if (tx.succeeded !== (name !== 'failedPayment'))
      throw new Error(`scenario transaction ${name} did not go as planned`);
  }
  const created = await createdAddress(node, creation.hash);
  const h = (name: string) => (txs[name] as MinedTransaction).hash;
  const native = (tx: string, from: string, to: string, amount: bigint): ExpectedTransfer => ({
    tx: h(tx),
    position: 'tx',
    from,
    to,
    asset: 'native',
    amount,
    kind: 'native',
  });
  const internal = (
    tx: string,
    position: string,
    from: string,
    to: string,
    amount: bigint,
  ): ExpectedTransfer => ({
    tx: h(tx),
    position,
    from,
    to,
    asset: 'native',
    amount,
    kind: 'internal',
  });

  const expectedForWatched: ExpectedTransfer[] = [
    native('payment', thief, alice, 1n * ETH),
    native('split', thief, routerA, 2n * ETH),
    internal('split', 'call:0', routerA, bob, 1n * ETH),
    internal('split', 'call:1', routerA, carol, 1n * ETH),
    native('nested', thief, routerA, 4n * ETH),
    internal('nested', 'call:0', routerA, routerB, 4n * ETH),
    internal('nested', 'call:0.0', routerB, bob, 2n * ETH),
    internal('nested', 'call:0.1', routerB, carol, 2n * ETH),
    native('swallowedRevert', thief, routerA, 1n * ETH),
    native('delegated', thief, routerA, 2n * ETH),
    internal('delegated', 'call:0.0', routerA, bob, 1n * ETH),
    internal('delegated', 'call:0.1', routerA, carol, 1n * ETH),
    native('creation', thief, routerA, ETH / 2n),
    internal('creation', 'call:0', routerA, created, ETH / 2n),
    native('fundRouterD', thief, routerD, 3n * ETH),
    internal('selfDestruct', 'call:0', routerD, erin, 3n * ETH),
    {
      tx: h('usdcTransfer'),
      position: 'log:0',
      from: thief,
      to: alice,
      asset: usdc.address,
      amount: 1_000_000_000n,
      kind: 'erc20',
    },
    native('fundAccount', thief, account, 2n * ETH),
    internal('relayed', 'call:0.0', account, frank, 1n * ETH),
  ];
  const expectedForStrangers: ExpectedTransfer[] = [
    native('strangerPayment', stranger, strangerFriend, 1n * ETH),
    native('strangerSplit', stranger, routerB, 2n * ETH),
    internal('strangerSplit', 'call:0', routerB, strangerFriend, 1n * ETH),
    internal('strangerSplit', 'call:1', routerB, dave, 1n * ETH),
  ];
  return {
    fromBlock,
    toBlock,
    usdc,
    spoof,
    routerA,
    routerB,
    account,
    txs,
    expectedForWatched,
    expectedForStrangers,
  };
}

/** The address a CREATE inside a transaction made, from the node's own trace (independent of the reader). */
async function createdAddress(node: EthereumNode, txHash: string): Promise<string> {
  const trace = (await node.provider.request({
    method: 'debug_traceTransaction',
    params: [txHash, { tracer: 'callTracer' }],
  })) as { calls?: { type: string; to: string }[] };
  const create = trace.calls?.find((call) => call.type === 'CREATE');
  if (!create) throw new Error(`no CREATE in ${txHash}`);
  return create.to.toLowerCase();
}

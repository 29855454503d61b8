import { Contract, id as eventTopic, JsonRpcProvider, Network, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_AMOUNTS,
  DEMO_COUNTERPARTIES,
  DEMO_TOKENS,
  DemoChainError,
  DemoNodeNotFreshError,
  type DemoStep,
  type DemoStepId,
  expectedDemoAlerts,
  runDemoScenario,
} from '../../infra/local/demo/index.ts';
import { type ReplayedDemo, replayDemo } from './demo-harness.ts';

const TRANSFER_TOPIC = eventTopic('Transfer(address,address,uint256)');
const ERC20 = [
  'function balanceOf(address) view returns (uint256)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
];

interface Erc20View {
  balanceOf(owner: string): Promise<bigint>;
  name(): Promise<string>;
  symbol(): Promise<string>;
  decimals(): Promise<bigint>;
  totalSupply(): Promise<bigint>;
}

interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  error?: string;
  calls?: CallFrame[];
}

describe('demo scenario on the embedded node', () => {
  let demo: ReplayedDemo;
  let chain: JsonRpcProvider;
  const step = (id: DemoStepId): DemoStep => {
    const found = demo.log.steps.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no step ${id}`);
    return found;
  };
  const token = (address: string) => new Contract(address, ERC20, chain) as unknown as Erc20View;
  const ethOf = async (address: string) => chain.getBalance(address);
  /** ETH a wallet paid in gas over the whole scenario. */
  const gasPaidBy = async (address: string) => {
    let paid = 0n;
    for (const { txHash, from } of demo.log.steps) {
      if (from !== address) continue;
      const receipt = await chain.getTransactionReceipt(txHash);
      paid += (receipt?.gasUsed ?? 0n) * (receipt?.gasPrice ?? 0n);
    }
    return paid;
  };

  beforeAll(async () => {
    demo = await replayDemo({ confirmations: 3, extraBlocks: 2 });
    chain = new JsonRpcProvider(demo.node.url, Network.from(31337), { staticNetwork: true });
  });
  afterAll(async () => {
    chain?.destroy();
    await demo?.node.close();
  });

  it('mines every step in its own block, all succeeded, then confirmations + extra empty blocks', async () => {
    const { steps, firstBlock, lastStepBlock, headBlock } = demo.log;
    expect(steps).toHaveLength(18);
    expect(steps.map((s) => s.blockNumber)).toEqual(steps.map((_, index) => firstBlock + index));
    expect(lastStepBlock).toBe(firstBlock + 17);
    expect(headBlock).toBe(lastStepBlock + 5);
    expect(await chain.getBlockNumber()).toBe(headBlock);
    for (let number = lastStepBlock + 1; number <= headBlock; number++) {
      expect((await chain.getBlock(number))?.transactions, `block ${number}`).toEqual([]);
    }
    for (const s of steps) {
      const receipt = await chain.getTransactionReceipt(s.txHash);
      expect(receipt?.status, s.id).toBe(1);
      expect(receipt?.blockNumber, s.id).toBe(s.blockNumber);
      expect(receipt?.from.toLowerCase(), s.id).toBe(s.from);
      expect(receipt?.to?.toLowerCase() ?? null, s.id).toBe(s.to);
    }
  });

  it('records each native movement as the transaction itself carried it', async () => {
    for (const s of demo.log.steps) {
      const tx = await chain.getTransaction(s.txHash);
      const native = s.movements.filter((m) => m.kind === 'native');
      if ((tx?.value ?? 0n) === 0n) {
        expect(native, s.id).toEqual([]);
      } else {
        expect(native, s.id).toEqual([
          expect.objectContaining({ position: 'tx', from: s.from, to: s.to, amount: tx?.value }),
        ]);
      }
    }
  });

  it('records exactly the Transfer logs the chain holds, at their log index', async () => {
    const logs = await chain.getLogs({
      fromBlock: demo.log.firstBlock,
      toBlock: demo.log.headBlock,
      topics: [TRANSFER_TOPIC],
    });
    const onChain = logs.map((log) => ({
      txHash: log.transactionHash,
      position: `log:${log.index}`,
      token: log.address.toLowerCase(),
      from: `0x${log.topics[1]?.slice(26)}`,
      to: `0x${log.topics[2]?.slice(26)}`,
      amount: BigInt(log.data),
    }));
    const recorded = demo.log.steps.flatMap((s) =>
      s.movements
        .filter((m) => m.kind === 'erc20')
        .map((m) => ({
          txHash: s.txHash,
          position: m.position,
          token: m.asset,
          from: m.from,
          to: m.to,
          amount: m.amount,
        })),
    );
    expect(recorded).toEqual(onChain);
  });

  it('moves USDC and USDT at their mainnet addresses, with their names and decimals', async () => {
    const { seed, usdcWallet, usdtWallet, lookAlike } = demo.log.actors;
    const router = DEMO_COUNTERPARTIES.uniswapRouter.address;
    for (const known of Object.values(DEMO_TOKENS)) {
      const contract = token(known.address);
      expect([await contract.name(), await contract.symbol(), await contract.decimals()]).toEqual([
        known.name,
        known.symbol,
        BigInt(known.decimals),
      ]);
    }
    const usdc = token(DEMO_TOKENS.usdc.address);
    expect(await usdc.balanceOf(seed)).toBe(DEMO_AMOUNTS.seedUsdc - DEMO_AMOUNTS.usdcOut);
    expect(await usdc.balanceOf(usdcWallet)).toBe(DEMO_AMOUNTS.usdcOut - DEMO_AMOUNTS.swapUsdcIn);
    expect(await usdc.balanceOf(router)).toBe(DEMO_AMOUNTS.swapUsdcIn);
    expect(await usdc.totalSupply()).toBe(DEMO_AMOUNTS.seedUsdc);
    const usdt = token(DEMO_TOKENS.usdt.address);
    expect(await usdt.balanceOf(seed)).toBe(DEMO_AMOUNTS.seedUsdt - DEMO_AMOUNTS.usdtOut);
    expect(await usdt.balanceOf(usdtWallet)).toBe(DEMO_AMOUNTS.usdtOut);
    expect(await usdt.balanceOf(lookAlike)).toBe(0n);
  });

  it('swaps USDC for WETH through the Uniswap router address in one transaction', async () => {
    const swap = step('swap');
    const { usdcWallet, depositAddress } = demo.log.actors;
    const router = DEMO_COUNTERPARTIES.uniswapRouter.address;
    expect(swap.to).toBe(router);
    expect(swap.movements.map((m) => [m.asset, m.from, m.to, m.amount])).toEqual([
      [DEMO_TOKENS.usdc.address, usdcWallet, router, DEMO_AMOUNTS.swapUsdcIn],
      [DEMO_TOKENS.weth.address, router, usdcWallet, DEMO_AMOUNTS.swapWethOut],
    ]);
    const weth = token(DEMO_TOKENS.weth.address);
    expect(await weth.balanceOf(router)).toBe(DEMO_AMOUNTS.routerWeth - DEMO_AMOUNTS.swapWethOut);
    expect(await weth.balanceOf(usdcWallet)).toBe(0n);
    expect(await weth.balanceOf(depositAddress)).toBe(DEMO_AMOUNTS.secondDepositWeth);
    // Wrapped ether is backed by as much ETH in the WETH contract, as on mainnet.
    expect(await ethOf(DEMO_TOKENS.weth.address)).toBe(await weth.totalSupply());
  });

  it('leaves the ETH where the story says, to the wei', async () => {
    const { seed, hop1, hop2, depositAddress, cashOut, forwarder, dustRecipient, innocent } = demo.log.actors;
    const A = DEMO_AMOUNTS;
    expect(await ethOf(hop1)).toBe(A.peelHop1 - A.peelHop2 - A.peelChange - A.dust - (await gasPaidBy(hop1)));
    expect(await ethOf(hop2)).toBe(
      A.peelHop2 -
        A.tornadoDeposit -
        A.toDepositAddress -
        A.bridgeDeposit -
        A.forwarded -
        (await gasPaidBy(hop2)),
    );
    expect(await ethOf(seed)).toBe(A.seedEth - A.peelHop1 + A.peelChange - (await gasPaidBy(seed)));
    expect(await ethOf(depositAddress)).toBe(
      A.toDepositAddress - A.depositSweep - (await gasPaidBy(depositAddress)),
    );
    expect(await ethOf(DEMO_COUNTERPARTIES.binanceHotWallet.address)).toBe(A.depositSweep);
    expect(await ethOf(DEMO_COUNTERPARTIES.tornadoPool.address)).toBe(A.tornadoDeposit);
    expect(await ethOf(DEMO_COUNTERPARTIES.arbitrumInbox.address)).toBe(A.bridgeDeposit);
    expect(await ethOf(forwarder)).toBe(0n);
    expect(await ethOf(cashOut)).toBe(A.forwarded);
    expect(await ethOf(dustRecipient)).toBe(A.dust);
    expect(await ethOf(innocent)).toBe(0n);
  });

  it('passes ETH on through the forwarder as an internal call, visible in the call trace', async () => {
    const forward = step('forward');
    const { forwarder, cashOut, hop2 } = demo.log.actors;
    expect(step('forwarder-deploy').createdContract).toBe(forwarder);
    expect(await chain.getCode(forwarder)).not.toBe('0x');
    const trace = (await chain.send('debug_traceTransaction', [
      forward.txHash,
      { tracer: 'callTracer' },
    ])) as CallFrame;
    expect(trace.from.toLowerCase()).toBe(hop2);
    expect(trace.to?.toLowerCase()).toBe(forwarder);
    expect(BigInt(trace.value ?? '0x0')).toBe(DEMO_AMOUNTS.forwarded);
    expect(trace.calls).toHaveLength(1);
    const inner = trace.calls?.[0] as CallFrame;
    expect(inner.type).toBe('CALL');
    expect(inner.error).toBeUndefined();
    expect([inner.from.toLowerCase(), inner.to?.toLowerCase(), BigInt(inner.value ?? '0x0')]).toEqual([
      forwarder,
      cashOut,
      DEMO_AMOUNTS.forwarded,
    ]);
    const internal = forward.movements.filter((m) => m.kind === 'internal');
    expect(internal).toEqual([
      expect.objectContaining({
        position: 'call:0',
        from: forwarder,
        to: cashOut,
        amount: DEMO_AMOUNTS.forwarded,
      }),
    ]);
  });

  it('makes the noise the attacker would: a spoofed token at a fresh address, a zero-value USDT log, dust', async () => {
    const { seed, innocent, lookAlike, usdtWallet, spoofedToken, dustRecipient, poisoner } = demo.log.actors;
    const spoof = step('spoof-transfer');
    expect(Object.values(DEMO_TOKENS).map((t) => t.address)).not.toContain(spoofedToken);
    expect(spoof.movements).toEqual([
      expect.objectContaining({
        asset: spoofedToken,
        from: seed,
        to: innocent,
        amount: DEMO_AMOUNTS.spoofedAmount,
      }),
    ]);
    expect(await token(spoofedToken).symbol()).toBe('USDC');
    // Sent by the poisoner, yet the log names the seed as sender.
    const poisoning = step('address-poisoning');
    expect(poisoning.from).toBe(poisoner);
    const receipt = await chain.getTransactionReceipt(poisoning.txHash);
    expect(receipt?.logs.map((log) => [log.address.toLowerCase(), ...log.topics, BigInt(log.data)])).toEqual([
      [DEMO_TOKENS.usdt.address, TRANSFER_TOPIC, zeroPadValue(seed, 32), zeroPadValue(lookAlike, 32), 0n],
    ]);
    // A look-alike: same first and last four hex digits as the wallet the seed really paid USDT.
    expect(lookAlike.slice(0, 6)).toBe(usdtWallet.slice(0, 6));
    expect(lookAlike.slice(-4)).toBe(usdtWallet.slice(-4));
    expect(lookAlike).not.toBe(usdtWallet);
    expect(step('dust').movements).toEqual([
      expect.objectContaining({ to: dustRecipient, amount: 10n ** 12n, alert: null }),
    ]);
  });

  it('expects alerts that agree with the step log and the chain', async () => {
    const { alerts, mustStayClean, learnedDepositAddresses } = expectedDemoAlerts(demo.log);
    expect(alerts.map((alert) => `${alert.step} ${alert.kind} ${alert.position}`)).toEqual([
      'peel-hop-1 FUNDS_MOVED tx',
      'peel-hop-2 FUNDS_MOVED tx',
      'mixer-deposit MIXER_DEPOSIT tx',
      'usdc-out FUNDS_MOVED log:0',
      'usdt-out FUNDS_MOVED log:0',
      'to-deposit-address FUNDS_MOVED tx',
      'deposit-sweep EXCHANGE_DEPOSIT tx',
      'second-deposit EXCHANGE_DEPOSIT log:0',
      'bridge-deposit BRIDGE_DEPOSIT tx',
      'forward FUNDS_MOVED tx',
      'forward FUNDS_MOVED call:0',
    ]);
    for (const alert of alerts) {
      const s = step(alert.step);
      expect(alert.txHash).toBe(s.txHash);
      expect(alert.blockNumber).toBe(s.blockNumber);
      expect(await chain.getTransactionReceipt(alert.txHash), alert.step).not.toBeNull();
      const movement = s.movements.find((m) => m.position === alert.position);
      expect(movement, alert.step).toBeDefined();
      expect([alert.from, alert.to, alert.amount]).toEqual([movement?.from, movement?.to, movement?.amount]);
      expect(alert.chain).toBe('local');
    }
    const sweep = alerts.find((alert) => alert.step === 'deposit-sweep');
    expect(sweep).toMatchObject({
      amountText: '19.9',
      asset: { address: null, symbol: 'ETH', decimals: 18 },
      exchange: 'Binance',
      depositAddress: demo.log.actors.depositAddress,
      counterparty: {
        address: DEMO_COUNTERPARTIES.binanceHotWallet.address,
        name: 'Binance',
        category: 'exchange',
      },
    });
    expect(alerts.find((alert) => alert.step === 'second-deposit')).toMatchObject({
      amountText: '40',
      asset: { address: DEMO_TOKENS.weth.address, symbol: 'WETH', decimals: 18 },
      exchange: 'Binance',
      depositAddress: demo.log.actors.depositAddress,
      counterparty: { address: demo.log.actors.depositAddress, category: 'exchange' },
    });
    expect(alerts.find((alert) => alert.step === 'usdc-out')).toMatchObject({
      amountText: '250000',
      asset: { symbol: 'USDC', decimals: 6 },
    });
    expect(learnedDepositAddresses).toEqual([
      {
        address: demo.log.actors.depositAddress,
        exchange: 'Binance',
        hotWallet: DEMO_COUNTERPARTIES.binanceHotWallet.address,
        txHash: step('deposit-sweep').txHash,
      },
    ]);
    // No expected alert pays a wallet that must stay clean, except custodians named as counterparties.
    const noise = new Set(
      mustStayClean.filter((clean) => clean.role === 'noise').map((clean) => clean.address),
    );
    expect(alerts.filter((alert) => noise.has(alert.to))).toEqual([]);
    expect(mustStayClean.map((clean) => clean.address)).toEqual(
      expect.arrayContaining([
        demo.log.actors.innocent,
        demo.log.actors.lookAlike,
        demo.log.actors.dustRecipient,
      ]),
    );
  });

  it('refuses to run twice on the same node', async () => {
    await expect(runDemoScenario(demo.node.url)).rejects.toBeInstanceOf(DemoNodeNotFreshError);
  });

  it('refuses bad options before touching the node', async () => {
    await expect(runDemoScenario(demo.node.url, { extraBlocks: -1 })).rejects.toThrow(/extraBlocks/);
    await expect(runDemoScenario(demo.node.url, { confirmations: 1.5 })).rejects.toThrow(/confirmations/);
  });
});

describe('demo scenario guards', () => {
  it('refuses a node of another chain', async () => {
    const otherChain = {
      request: async ({ method }: { method: string }) => (method === 'eth_chainId' ? '0x1' : null),
    };
    await expect(runDemoScenario(otherChain)).rejects.toBeInstanceOf(DemoChainError);
  });
});

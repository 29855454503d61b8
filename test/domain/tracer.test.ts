import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { processOrdered } from '../../shared/domain/tracer.ts';
import {
  addr,
  BRIDGE,
  ETH,
  HOT_WALLET,
  MIXER_POOL,
  ROUTER,
  SANCTIONED,
  SEED,
  SPOOF_TOKEN,
  tainted,
  testLabels,
  testTracer,
  transfer,
  USDC,
  USDC_UNIT,
  WETH,
} from './fixtures.ts';

const A = addr('a1');
const B = addr('b2');
const C = addr('c3');
const D = addr('d4');
const OUTSIDER = addr('0f0f');

describe('propagation', () => {
  it('taints the recipient of a seed at hop 1 and raises FUNDS_MOVED', () => {
    const tracer = testTracer();
    const { alerts, edges } = tracer.processTransaction([transfer(SEED, A, 10n * ETH)]);
    expect(tracer.ledger.get(A)?.link.hop).toBe(1);
    expect(tainted(tracer, A)).toBe(10n * ETH);
    expect(alerts.map((alert) => alert.kind)).toEqual(['FUNDS_MOVED']);
    expect(alerts[0]).toMatchObject({ hop: 1, amount: '10', taintedAmount: '10', severity: 'info' });
    expect(edges).toHaveLength(1);
  });

  it('splits taint by the haircut share of observed inflows', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 10n * ETH)]);
    tracer.processTransaction([transfer(OUTSIDER, A, 30n * ETH)]); // clean money dilutes A to 25%
    const { alerts } = tracer.processTransaction([transfer(A, B, 8n * ETH)]);
    expect(tainted(tracer, B)).toBe(2n * ETH);
    expect(tainted(tracer, A)).toBe(8n * ETH);
    expect(tracer.ledger.get(A)?.holdings.get('native')?.balance).toBe(32n * ETH);
    expect(alerts[0]).toMatchObject({ kind: 'FUNDS_MOVED', amount: '8', taintedAmount: '2', hop: 2 });
  });

  it('keeps haircut arithmetic exact on amounts far beyond 2^53', () => {
    const tracer = testTracer();
    const stolen = 123_456_789_012_345_678_901_234_567n;
    const clean = 987_654_321_098_765_432_109_876_543n;
    tracer.processTransaction([transfer(SEED, A, stolen)]);
    tracer.processTransaction([transfer(OUTSIDER, A, clean)]);
    const sent = 333_333_333_333_333_333_333_333_333n;
    tracer.processTransaction([transfer(A, B, sent)]);
    const expected = (sent * stolen) / (stolen + clean);
    expect(tainted(tracer, B)).toBe(expected);
    // Nothing is created or lost: what left A tainted is exactly what B holds tainted.
    expect(tainted(tracer, A) + tainted(tracer, B)).toBe(stolen);
  });

  it('under poison, everything a tainted wallet sends is tainted', () => {
    const tracer = testTracer({ model: 'poison' });
    tracer.processTransaction([transfer(SEED, A, 1n * ETH)]);
    tracer.processTransaction([transfer(OUTSIDER, A, 99n * ETH)]);
    tracer.processTransaction([transfer(A, B, 50n * ETH)]);
    expect(tainted(tracer, B)).toBe(50n * ETH);
  });

  it('follows allow-listed tokens per asset, independently of native coin', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 1_000n * USDC_UNIT, { asset: USDC })]);
    tracer.processTransaction([transfer(A, B, 5n * ETH)]); // A never received tainted ETH
    expect(tracer.ledger.has(B)).toBe(false);
    const { alerts } = tracer.processTransaction([transfer(A, C, 400n * USDC_UNIT, { asset: USDC })]);
    expect(tainted(tracer, C, USDC)).toBe(400n * USDC_UNIT);
    expect(alerts[0]?.asset).toEqual({ address: USDC, symbol: 'USDC', decimals: 6 });
    expect(alerts[0]?.amount).toBe('400');
  });

  it('records the hop path back to the seed as evidence', () => {
    const tracer = testTracer();
    const t1 = transfer(SEED, A, 10n * ETH);
    const t2 = transfer(A, B, 10n * ETH);
    tracer.processTransaction([t1]);
    tracer.processTransaction([t2]);
    const { alerts } = tracer.processTransaction([transfer(B, C, 10n * ETH)]);
    expect(alerts[0]?.path).toEqual([
      { address: SEED, txHash: null },
      { address: A, txHash: t1.txHash },
      { address: B, txHash: t2.txHash },
    ]);
    expect(alerts[0]?.hop).toBe(3);
  });
});

describe('attacks on the trail', () => {
  it('ignores a token contract off the allow-list emitting Transfer(from=seed)', () => {
    const tracer = testTracer();
    const { alerts } = tracer.processTransaction([transfer(SEED, A, 10n ** 30n, { asset: SPOOF_TOKEN })]);
    expect(alerts).toEqual([]);
    expect(tracer.ledger.has(A)).toBe(false);
  });

  it('follows a token the case names explicitly', () => {
    const tracer = testTracer({
      extraTokens: { ethereum: [{ address: SPOOF_TOKEN, symbol: 'CASE', decimals: 18, minAmount: 1n }] },
    });
    const { alerts } = tracer.processTransaction([transfer(SEED, A, 5n * ETH, { asset: SPOOF_TOKEN })]);
    expect(alerts[0]).toMatchObject({ kind: 'FUNDS_MOVED', amount: '5', asset: { symbol: 'CASE' } });
  });

  it('ignores zero-value transfers (address poisoning) even of allow-listed tokens', () => {
    const tracer = testTracer();
    const lookAlike = '0x0000000000000000000000000000000000000a11';
    const { alerts } = tracer.processTransaction([transfer(SEED, lookAlike, 0n, { asset: USDC })]);
    expect(alerts).toEqual([]);
    expect(tracer.ledger.has(lookAlike)).toBe(false);
  });

  it('does not follow dust below the minimum amount, but follows the case minimum when set', () => {
    const tracer = testTracer();
    const dust = tracer.processTransaction([transfer(SEED, A, 10n ** 14n)]); // 0.0001 ETH < 0.001 ETH
    expect(dust.alerts).toEqual([]);
    expect(tracer.ledger.has(A)).toBe(false);
    const dustUsdc = tracer.processTransaction([transfer(SEED, B, USDC_UNIT / 2n, { asset: USDC })]);
    expect(dustUsdc.alerts).toEqual([]);

    const strict = testTracer({ minAmounts: { 'ethereum:native': 10n ** 13n } });
    expect(strict.processTransaction([transfer(SEED, A, 10n ** 14n)]).alerts).toHaveLength(1);
  });

  it('does not let dust into an exchange raise an alert', () => {
    const tracer = testTracer();
    expect(tracer.processTransaction([transfer(SEED, HOT_WALLET, 10n)]).alerts).toEqual([]);
  });

  it('gives a look-alike of an exchange address no exchange label', () => {
    const tracer = testTracer();
    // Same leading and trailing digits as the hot wallet 0x...0b1a, different in the middle.
    const lookAlike = '0x00000000000000000000000000000000000f0b1a';
    const { alerts } = tracer.processTransaction([transfer(SEED, lookAlike, 2n * ETH)]);
    expect(alerts.map((alert) => alert.kind)).toEqual(['FUNDS_MOVED']);
    expect(alerts[0]?.exchange).toBeNull();
    expect(alerts[0]?.counterparty.name).toBeNull();
  });

  it('lets no outsider taint anyone by sending to or from tainted wallets', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 1n * ETH)]);
    const inbound = tracer.processTransaction([transfer(OUTSIDER, A, 5n * ETH)]);
    expect(inbound.alerts).toEqual([]);
    expect(tracer.ledger.has(OUTSIDER)).toBe(false);
  });
});

describe('cycles and the hop limit', () => {
  it('follows A -> B -> A without inventing value or alerting twice', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 10n * ETH)]);
    tracer.processTransaction([transfer(A, B, 10n * ETH)]);
    const back = tracer.processTransaction([transfer(B, A, 10n * ETH)]);
    expect(back.alerts).toEqual([]);
    expect(tracer.ledger.get(A)?.link.hop).toBe(1);
    expect(tainted(tracer, A)).toBe(10n * ETH);
    expect(tainted(tracer, B)).toBe(0n);
    const again = tracer.processTransaction([transfer(A, B, 10n * ETH)]);
    expect(again.alerts).toEqual([]);
    expect(tainted(tracer, B)).toBe(10n * ETH);
  });

  it('shortens a wallet hop when a shorter path appears', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 5n * ETH)]);
    tracer.processTransaction([transfer(A, B, 5n * ETH)]);
    expect(tracer.ledger.get(B)?.link.hop).toBe(2);
    tracer.processTransaction([transfer(SEED, B, 5n * ETH)]);
    expect(tracer.ledger.get(B)?.link.hop).toBe(1);
  });

  it('stops tainting past the hop limit but still alerts at a custodian', () => {
    const tracer = testTracer({ maxHops: 2 });
    tracer.processTransaction([transfer(SEED, A, 5n * ETH)]);
    tracer.processTransaction([transfer(A, B, 5n * ETH)]);
    const beyond = tracer.processTransaction([transfer(B, C, 1n * ETH)]);
    expect(beyond.alerts).toEqual([]);
    expect(tracer.ledger.has(C)).toBe(false);
    const mixer = tracer.processTransaction([transfer(B, MIXER_POOL, 1n * ETH)]);
    expect(mixer.alerts.map((alert) => alert.kind)).toEqual(['MIXER_DEPOSIT']);
    expect(mixer.alerts[0]?.hop).toBe(3);
  });
});

describe('custodians', () => {
  it('alerts at a mixer pool, which is more specific than its sanctions label, and stops there', () => {
    const tracer = testTracer();
    const { alerts } = tracer.processTransaction([transfer(SEED, MIXER_POOL, 10n * ETH)]);
    expect(alerts[0]).toMatchObject({
      kind: 'MIXER_DEPOSIT',
      severity: 'high',
      counterparty: { address: MIXER_POOL, name: 'Tornado Cash: 10 ETH', category: 'mixer' },
    });
    expect(tracer.ledger.has(MIXER_POOL)).toBe(false);
    expect(tracer.processTransaction([transfer(MIXER_POOL, D, 10n * ETH)]).alerts).toEqual([]);
    expect(tracer.ledger.has(D)).toBe(false);
  });

  it('alerts at a bridge and stops there', () => {
    const tracer = testTracer();
    const { alerts } = tracer.processTransaction([transfer(SEED, BRIDGE, 3n * ETH)]);
    expect(alerts.map((alert) => [alert.kind, alert.severity])).toEqual([['BRIDGE_DEPOSIT', 'high']]);
    expect(tracer.ledger.has(BRIDGE)).toBe(false);
  });

  it('alerts on a seed paying an exchange hot wallet directly, without inventing a deposit address', () => {
    const labels = testLabels();
    const tracer = testTracer({}, { labels });
    const { alerts, learned } = tracer.processTransaction([transfer(SEED, HOT_WALLET, 3n * ETH)]);
    expect(alerts[0]).toMatchObject({ kind: 'EXCHANGE_DEPOSIT', exchange: 'Binance', depositAddress: null });
    expect(learned).toEqual([]);
    expect(labels.learnedCount()).toBe(0);
  });

  it('alerts SANCTIONED_COUNTERPARTY once when tainted value reaches a sanctioned wallet, and keeps following', () => {
    const tracer = testTracer();
    const first = tracer.processTransaction([transfer(SEED, SANCTIONED, 4n * ETH)]);
    expect(first.alerts.map((alert) => alert.kind)).toEqual(['SANCTIONED_COUNTERPARTY']);
    expect(tracer.ledger.get(SANCTIONED)?.link.hop).toBe(1);
    expect(tracer.processTransaction([transfer(SEED, SANCTIONED, 4n * ETH)]).alerts).toEqual([]);
    expect(tracer.processTransaction([transfer(SANCTIONED, C, 4n * ETH)]).alerts[0]?.kind).toBe(
      'FUNDS_MOVED',
    );
  });
});

describe('exchange deposit addresses', () => {
  it('learns a deposit address from its sweep and alerts at once on the next tainted deposit into it', () => {
    const labels = testLabels();
    const tracer = testTracer({}, { labels });
    tracer.processTransaction([transfer(SEED, D, 5n * ETH)]);
    const sweep = tracer.processTransaction([transfer(D, HOT_WALLET, 5n * ETH)]);
    expect(sweep.alerts[0]).toMatchObject({
      kind: 'EXCHANGE_DEPOSIT',
      severity: 'critical',
      exchange: 'Binance',
      depositAddress: D,
      counterparty: { address: HOT_WALLET, category: 'exchange' },
    });
    expect(sweep.learned).toEqual([
      expect.objectContaining({ address: D, exchange: 'Binance', hotWallet: HOT_WALLET }),
    ]);

    // Another tainted wallet pays the learned deposit address: the alert comes at the deposit.
    tracer.processTransaction([transfer(SEED, A, 2n * ETH)]);
    const deposit = tracer.processTransaction([transfer(A, D, 2n * ETH)]);
    expect(deposit.alerts[0]).toMatchObject({
      kind: 'EXCHANGE_DEPOSIT',
      exchange: 'Binance',
      depositAddress: D,
    });

    // A second sweep by the same address teaches nothing new.
    expect(tracer.processTransaction([transfer(D, HOT_WALLET, 2n * ETH)]).learned).toEqual([]);
  });

  it('does not let a learned deposit address hide onward flows (an attacker can fake a sweep)', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, D, 5n * ETH)]);
    tracer.processTransaction([transfer(D, HOT_WALLET, 1n * ETH)]);
    const onward = tracer.processTransaction([transfer(D, C, 4n * ETH)]);
    expect(onward.alerts.map((alert) => alert.kind)).toEqual(['FUNDS_MOVED']);
    expect(tainted(tracer, C)).toBe(4n * ETH);
  });
});

describe('swaps and wrapping', () => {
  it('carries taint through a DEX swap to the asset received by the same wallet', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 1_000n * USDC_UNIT, { asset: USDC })]);
    tracer.processTransaction([transfer(OUTSIDER, A, 1_000n * USDC_UNIT, { asset: USDC })]); // A is 50% tainted
    const tx = `0x${'ab'.repeat(32)}`;
    const swap = tracer.processTransaction([
      transfer(A, ROUTER, 1_000n * USDC_UNIT, { asset: USDC, tx, position: 'log:1' }),
      transfer(ROUTER, A, 4n * ETH, { asset: WETH, tx, position: 'log:2' }),
    ]);
    expect(swap.alerts).toEqual([]);
    expect(tracer.ledger.has(ROUTER)).toBe(false);
    expect(tainted(tracer, A, WETH)).toBe(2n * ETH);
    const onward = tracer.processTransaction([transfer(A, B, 4n * ETH, { asset: WETH })]);
    expect(tainted(tracer, B, WETH)).toBe(2n * ETH);
    expect(onward.alerts[0]).toMatchObject({ kind: 'FUNDS_MOVED', asset: { symbol: 'WETH' } });
  });

  it('wraps native coin sent to the wrapped-native contract and unwraps it back', () => {
    const tracer = testTracer();
    tracer.processTransaction([transfer(SEED, A, 3n * ETH)]);
    tracer.processTransaction([transfer(A, WETH, 3n * ETH)]);
    expect(tracer.ledger.has(WETH)).toBe(false);
    expect(tainted(tracer, A, WETH)).toBe(3n * ETH);
    expect(tainted(tracer, A)).toBe(0n);
    tracer.processTransaction([transfer(WETH, A, 1n * ETH)]); // withdraw(1 ETH): an internal call from WETH
    expect(tainted(tracer, A)).toBe(1n * ETH);
    expect(tainted(tracer, A, WETH)).toBe(2n * ETH);
  });
});

describe('alerts as evidence', () => {
  const path = () => [
    transfer(SEED, A, 10n * ETH, { tx: `0x${'01'.repeat(32)}`, block: 10 }),
    transfer(A, D, 6n * ETH, { tx: `0x${'02'.repeat(32)}`, block: 11 }),
    transfer(D, HOT_WALLET, 6n * ETH, { tx: `0x${'03'.repeat(32)}`, block: 12 }),
    transfer(A, MIXER_POOL, 4n * ETH, { tx: `0x${'04'.repeat(32)}`, block: 13 }),
  ];

  it('is deterministic: the same transfers give the same alerts and ids', () => {
    const first = processOrdered(testTracer(), path());
    const second = processOrdered(testTracer(), path());
    expect(second.alerts).toEqual(first.alerts);
    expect(new Set(first.alerts.map((alert) => alert.id)).size).toBe(first.alerts.length);
    expect(first.alerts.map((alert) => alert.kind)).toEqual([
      'FUNDS_MOVED',
      'FUNDS_MOVED',
      'EXCHANGE_DEPOSIT',
      'MIXER_DEPOSIT',
    ]);
  });

  it('carries every field of the alert schema, checksummed where an address is shown', () => {
    const tracer = testTracer({}, { formatAddress: getAddress });
    const alerts = processOrdered(tracer, path()).alerts;
    const deposit = alerts.find((alert) => alert.kind === 'EXCHANGE_DEPOSIT');
    expect(deposit).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      schemaVersion: 1,
      kind: 'EXCHANGE_DEPOSIT',
      severity: 'critical',
      caseId: 'case-1',
      caseName: 'Test heist',
      chain: 'ethereum',
      chainId: 1,
      txHash: `0x${'03'.repeat(32)}`,
      position: 'tx',
      blockNumber: 12,
      timestamp: '2023-11-14T22:13:20.000Z',
      from: getAddress(D),
      to: getAddress(HOT_WALLET),
      asset: { address: null, symbol: 'ETH', decimals: 18 },
      amount: '6',
      taintedAmount: '6',
      hop: 3,
      path: [
        { address: getAddress(SEED), txHash: null },
        { address: getAddress(A), txHash: `0x${'01'.repeat(32)}` },
        { address: getAddress(D), txHash: `0x${'02'.repeat(32)}` },
      ],
      counterparty: { address: getAddress(HOT_WALLET), name: 'Binance', category: 'exchange' },
      exchange: 'Binance',
      depositAddress: getAddress(D),
      explorerUrl: `https://etherscan.io/tx/0x${'03'.repeat(32)}`,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { callApi, until } from '../helpers/http-api-client.ts';
import { fund, latestBlockNumber, mineBlocks, sendAs } from '../helpers/impersonated-sender.ts';

const ETH = 10n ** 18n;
// Fresh, unlabelled addresses for the thief's wallets; real mainnet labels for the custodians.
const SEED = '0x5eed00000000000000000000000000000000b0f1';
const A = '0xa000000000000000000000000000000000000b0f';
const B = '0xb000000000000000000000000000000000000b0f';
const BINANCE_HOT_WALLET = '0x28c6c06298d514db089934071355e5743bf21d60';
const TORNADO_10_ETH = '0x910cbd523d972eb0a6f4cae4618ad62622b39dbf';
const CONFIRMATIONS = 2;

// The API's answers are checked field by field below; a loose type keeps those checks readable.
const api = (stack: LocalStack, method: string, path: string, body?: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API under test
  callApi<any>(stack.endpoints.api, method, path, body);

describe('backfill of a seed added after the theft', () => {
  let stack: LocalStack;
  const alerts: Alert[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir: null,
      fresh: false,
      ports: { rpc: 0, dynamodb: 0, snsSqs: 0, api: 0 },
      rpc: [],
      localConfirmations: CONFIRMATIONS,
      pollIntervalMs: 100,
      endpointsFile: null,
      tableName: 'backfill-test',
      events: {
        onAlert: (notification) => alerts.push(notification.alert),
        onIngestStep: () => undefined,
        onProblem: (what, error) => problems.push(`${what}: ${(error as Error).message}`),
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('traces history up to the live checkpoint, then hands over to live ingestion with no gap or double count', async () => {
    const provider = stack.node?.provider;
    if (!provider) throw new Error('the embedded node is needed');
    await fund(provider, SEED, 100n * ETH);
    // Gas money, given before the wallets are tainted: the tracer never sees it (not an observed inflow).
    await fund(provider, A, 1n * ETH);
    await fund(provider, B, 1n * ETH);

    // The theft's first moves happen before anyone has opened a case.
    const toA = await sendAs(provider, { from: SEED, to: A, value: 10n * ETH });
    const sweep = await sendAs(provider, { from: A, to: BINANCE_HOT_WALLET, value: 5n * ETH });
    await mineBlocks(provider, CONFIRMATIONS + 3);
    const historyEnd = await latestBlockNumber(provider);
    await until('live ingestion to pass the theft', async () => {
      const checkpoint = await stack.store.getCheckpoint('local');
      return checkpoint.block !== null && checkpoint.block >= historyEnd - CONFIRMATIONS ? true : undefined;
    });
    expect(alerts).toEqual([]);

    const opened = await api(stack, 'POST', '/cases', { name: 'Backfill hand-over' });
    await api(stack, 'POST', `/cases/${opened.id}/seeds`, {
      chain: 'local',
      address: SEED,
      fromBlock: toA.blockNumber,
    });

    // Meanwhile the thief keeps moving funds: these blocks are live, past the backfill's target.
    const toB = await sendAs(provider, { from: A, to: B, value: 2n * ETH });
    const mixer = await sendAs(provider, { from: B, to: TORNADO_10_ETH, value: 2n * ETH });
    await mineBlocks(provider, CONFIRMATIONS + 1);

    const expected = [
      { kind: 'FUNDS_MOVED', txHash: toA.hash },
      { kind: 'EXCHANGE_DEPOSIT', txHash: sweep.hash },
      { kind: 'FUNDS_MOVED', txHash: toB.hash },
      { kind: 'MIXER_DEPOSIT', txHash: mixer.hash },
    ];
    await until('the four alerts', () => (alerts.length >= expected.length ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up
    const ofCase = alerts.filter((alert) => alert.caseId === opened.id);
    expect(
      ofCase
        .map((alert) => ({ kind: alert.kind, txHash: alert.txHash }))
        .sort((x, y) => x.txHash.localeCompare(y.txHash)),
    ).toEqual([...expected].sort((x, y) => x.txHash.localeCompare(y.txHash)));
    const deposit = ofCase.find((alert) => alert.kind === 'EXCHANGE_DEPOSIT');
    expect(deposit?.exchange).toBe('Binance');
    expect(deposit?.depositAddress?.toLowerCase()).toBe(A);

    // No double count at the hand-over: A received 10 tainted ETH and sent 5 + 2 of them on.
    const stored = await until('the backfill to be handed over', async () => {
      const view = await api(stack, 'GET', `/cases/${opened.id}`);
      return view.backfill.every((progress: { state: string }) => progress.state === 'done')
        ? view
        : undefined;
    });
    expect(stored.backfill).toEqual([
      expect.objectContaining({ chain: 'local', fromBlock: toA.blockNumber, state: 'done' }),
    ]);
    const wallets = await api(stack, 'GET', `/cases/${opened.id}/wallets?chain=local`);
    const heldBy = (address: string) =>
      wallets.items
        .find((wallet: { address: string }) => wallet.address.toLowerCase() === address)
        ?.holdings.find((holding: { symbol: string }) => holding.symbol === 'ETH');
    expect(heldBy(A)).toMatchObject({ taintedIn: '10', taintedHeld: '3' });
    expect(heldBy(B)).toMatchObject({ taintedIn: '2', taintedHeld: '0' });
    expect(problems).toEqual([]);
  });
});

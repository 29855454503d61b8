/**
 * The ingest function's real handler module (functions/ingest/handler.ts), configured through its
 * environment as Lambda would (RPC URLs given directly, as locally, instead of a secret), against the
 * embedded DynamoDB server and Ethereum node: a case's seed sends stolen funds to an exchange.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedServer,
  type EthereumNode,
  startDynamoDbServer,
  startEthereumNode,
} from '../../infra/local/servers/index.ts';
import { createTable, DynamoDbStore } from '../../shared/store/index.ts';
import { fund, latestBlockNumber, sendAs } from '../helpers/impersonated-sender.ts';
import { AGENT } from '../store/fixtures.ts';
import { localDynamoDbClient } from '../store/local-table.ts';
import {
  type CapturedConsole,
  captureConsole,
  clearEnvironment,
  lambdaContext,
  POWERTOOLS_TEST_ENVIRONMENT,
  setEnvironment,
} from './lambda-runtime.ts';

type Handler = (event: unknown, context: Context) => Promise<{ steps: number; failures: number }>;

const TABLE = 'ingest-handler-test';
const CHAIN = 'local';
const ETH = 10n ** 18n;
// A fresh, unlabelled address for the thief; a real mainnet label for the exchange.
const SEED = '0x5eed0000000000000000000000000000000fa11e';
const BINANCE_HOT_WALLET = '0x28c6c06298d514db089934071355e5743bf21d60';
const ENVIRONMENT_NAMES = [
  'TABLE_NAME',
  'CHAIN',
  'RPC_URLS',
  'CONFIRMATIONS',
  'TRACING',
  'POLL_INTERVAL_MS',
  'MAX_BLOCKS_PER_RANGE',
  'DYNAMODB_ENDPOINT',
];
/**
 * Lambda's remaining time as the handler sees it: it stops polling 30 s before the end, so 32 s
 * leaves it two seconds of polling, then it finishes the range in hand.
 */
const REMAINING_AT_START_MS = 32_000;

describe('the ingest function handler', () => {
  let dynamo: EmbeddedServer;
  let node: EthereumNode;
  let client: DynamoDBClient;
  let store: DynamoDbStore;
  let output: CapturedConsole;
  let ingest: Handler;

  beforeAll(async () => {
    [dynamo, node] = await Promise.all([startDynamoDbServer(), startEthereumNode()]);
    client = localDynamoDbClient(dynamo.endpoint);
    await createTable(client, TABLE);
    store = new DynamoDbStore({ client, tableName: TABLE });
    await store.createCase(
      'c-handler',
      { name: 'Handler test theft', model: 'haircut', maxHops: 6, minAmounts: {}, extraTokens: {} },
      AGENT,
    );
    await store.addSeed('c-handler', { chain: CHAIN, address: SEED }, AGENT);
    await fund(node.provider, SEED, 100n * ETH);

    setEnvironment({
      ...POWERTOOLS_TEST_ENVIRONMENT,
      TABLE_NAME: TABLE,
      CHAIN,
      RPC_URLS: node.url,
      CONFIRMATIONS: '0',
      TRACING: 'transaction',
      POLL_INTERVAL_MS: '200',
      MAX_BLOCKS_PER_RANGE: '20',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
    });
    output = captureConsole();
    ingest = (await import('../../functions/ingest/handler.ts')).handler as unknown as Handler;
  });

  afterAll(async () => {
    output?.restore();
    clearEnvironment([...ENVIRONMENT_NAMES, ...Object.keys(POWERTOOLS_TEST_ENVIRONMENT)]);
    client?.destroy();
    await Promise.all([dynamo?.close(), node?.close()]);
  });

  it('follows the chain from its head, stores the alert of a tainted transfer as pending and advances the checkpoint', async () => {
    // The first run on a chain starts from its head: nothing to find yet, but a checkpoint.
    const headBefore = await latestBlockNumber(node.provider);
    const first = await ingest({ chain: CHAIN }, lambdaContext('ingest', undefined, REMAINING_AT_START_MS));
    expect(first.failures).toBe(0);
    expect(first.steps).toBeGreaterThanOrEqual(1);
    expect((await store.getCheckpoint(CHAIN)).block).toBe(headBefore);
    expect(await store.pendingAlerts(10)).toEqual([]);

    const deposit = await sendAs(node.provider, { from: SEED, to: BINANCE_HOT_WALLET, value: 5n * ETH });
    expect(deposit.succeeded).toBe(true);
    output.clear();

    const second = await ingest({ chain: CHAIN }, lambdaContext('ingest', undefined, REMAINING_AT_START_MS));

    expect(second.failures).toBe(0);
    const checkpoint = await store.getCheckpoint(CHAIN);
    expect(checkpoint.block).toBeGreaterThanOrEqual(deposit.blockNumber);
    expect(checkpoint.inFlightTo).toBeNull();
    const pending = await store.pendingAlerts(10);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.outbox).toBe('pending');
    expect(pending[0]?.alert).toMatchObject({
      caseId: 'c-handler',
      chain: CHAIN,
      kind: 'EXCHANGE_DEPOSIT',
      exchange: 'Binance',
      txHash: deposit.hash,
      blockNumber: deposit.blockNumber,
    });
    expect(output.metricSum('AlertsStored')).toBe(1);
    expect(output.metricDimensions('IngestLagBlocks')).toContainEqual(
      expect.objectContaining({ chain: CHAIN, service: 'laundering-alerts-test' }),
    );
    expect(output.logEntries('ERROR')).toEqual([]);
  });
});

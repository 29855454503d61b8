import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AlertNotification,
  publishPendingAlerts,
  SnsAlertPublisher,
} from '../../shared/alerts/index.ts';
import { createApiHandler } from '../../shared/api/api-handler.ts';
import { apiDeps } from '../../shared/api/env.ts';
import type { BackfillStep } from '../../shared/ingest/chain-ingester.ts';
import { type IngestStep, runIngestLoop } from '../../shared/ingest/index.ts';
import { createChainIngester } from '../../shared/runtime/chain-ingester-factory.ts';
import { createTable, DynamoDbStore, type StoreMetrics } from '../../shared/store/index.ts';
import { AlertQueueConsumer } from './alert-queue-consumer.ts';
import { type LocalApi, startLocalApi } from './http/local-api-server.ts';
import { createAlertTopicAndQueue, type LocalMessaging } from './messaging.ts';
import { resetLocalChain } from './reset-local-chain.ts';
import {
  type EmbeddedServer,
  type EthereumNode,
  startDynamoDbServer,
  startEthereumNode,
  startSnsSqsServer,
} from './servers/index.ts';

/** The chain the embedded node is: Hardhat's development chain, with Ethereum's labels. */
export const LOCAL_CHAIN = 'local';

export interface WatchedChain {
  readonly chain: string;
  readonly url: string;
}

export interface LocalStackOptions {
  /** Where DynamoDB keeps its files; null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly fresh: boolean;
  /** 0 picks free ports (tests). */
  readonly ports: {
    readonly rpc: number;
    readonly dynamodb: number;
    readonly snsSqs: number;
    readonly api: number;
  };
  /** Chains to watch through external JSON-RPC URLs; empty: the embedded node, as `local`. */
  readonly rpc: readonly WatchedChain[];
  /** Blocks behind the head that count as final on the embedded chain. */
  readonly localConfirmations: number;
  readonly pollIntervalMs: number;
  /** Where `endpoints.json` is written; null: not written (tests). */
  readonly endpointsFile: string | null;
  readonly tableName: string;
  readonly events: LocalStackEvents;
  /** Counts DynamoDB usage (the benchmark). */
  readonly storeMetrics?: StoreMetrics;
}

export interface LocalStackEvents {
  onAlert(notification: AlertNotification, receivedAt: number): void;
  onIngestStep(chain: string, step: IngestStep | BackfillStep): void;
  onProblem(what: string, error: unknown): void;
}

export interface LocalEndpoints {
  readonly jsonRpc: Readonly<Record<string, string>>;
  readonly dynamodb: string;
  readonly snsSqs: string;
  readonly api: string;
  readonly region: string;
  readonly tableName: string;
  readonly topicArn: string;
  readonly queueUrl: string;
}

export interface LocalStack {
  readonly endpoints: LocalEndpoints;
  /** The embedded node, when no external RPC was given. */
  readonly node: EthereumNode | undefined;
  readonly store: DynamoDbStore;
  readonly messaging: LocalMessaging;
  /** Chain names watched, with the cases closed because the embedded chain restarted. */
  readonly chains: readonly string[];
  readonly closedStaleCases: readonly string[];
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Everything of an agency's deployment on one machine, on loopback only: the same ingest, publish and
 * API code as in AWS, over an embedded DynamoDB, SNS/SQS and Ethereum node. Alerts reach the caller
 * the way they reach a subscriber: published to the topic, delivered to an SQS queue, read from it.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: { close(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const server of started.reverse()) await server.close().catch(() => undefined);
  };
  try {
    if (options.fresh && options.dataDir) await rm(options.dataDir, { recursive: true, force: true });
    const dynamoDir = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
    if (dynamoDir) await mkdir(dynamoDir, { recursive: true });

    const dynamo: EmbeddedServer = await startDynamoDbServer({
      port: options.ports.dynamodb,
      ...(dynamoDir ? { dataDir: dynamoDir } : {}),
    });
    started.push(dynamo);
    const snsSqs = await startSnsSqsServer({ port: options.ports.snsSqs });
    started.push(snsSqs);
    const node = options.rpc.length === 0 ? await startEthereumNode({ port: options.ports.rpc }) : undefined;
    if (node) started.push(node);
    const watched: WatchedChain[] = node ? [{ chain: LOCAL_CHAIN, url: node.url }] : [...options.rpc];

    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await createTable(client, options.tableName);
    const store = new DynamoDbStore({
      client,
      tableName: options.tableName,
      ...(options.storeMetrics ? { metrics: options.storeMetrics } : {}),
    });
    const closedStaleCases = node
      ? (await resetLocalChain(client, options.tableName, store, LOCAL_CHAIN)).closedCases
      : [];
    const messaging = await createAlertTopicAndQueue(snsSqs.endpoint, {
      topic: 'laundering-alerts',
      queue: 'laundering-alerts-local-viewer',
    });

    const api: LocalApi = await startLocalApi({
      port: options.ports.api,
      handler: createApiHandler(
        apiDeps({
          client,
          tableName: options.tableName,
          chains: watched.map((entry) => entry.chain),
          logger: new Logger({ serviceName: 'laundering-alerts-api', logLevel: 'ERROR' }),
        }),
      ),
      onHandlerError: (error) => options.events.onProblem('api', error),
    });
    started.push(api);

    const endpoints: LocalEndpoints = {
      jsonRpc: Object.fromEntries(watched.map((entry) => [entry.chain, entry.url])),
      dynamodb: dynamo.endpoint,
      snsSqs: snsSqs.endpoint,
      api: api.url,
      region: REGION,
      tableName: options.tableName,
      topicArn: messaging.topicArn,
      queueUrl: messaging.queueUrl,
    };
    if (options.endpointsFile) {
      await mkdir(dirname(options.endpointsFile), { recursive: true });
      await writeFile(options.endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);
    }

    let running = true;
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const loops: Promise<unknown>[] = [];

    for (const entry of watched) {
      const { ingester, reader } = createChainIngester(
        {
          chain: entry.chain,
          rpcUrls: [entry.url],
          // Hardhat traces one transaction at a time; real nodes are asked for block traces first.
          tracing: entry.chain === LOCAL_CHAIN ? 'transaction' : 'block',
          finality: { confirmations: entry.chain === LOCAL_CHAIN ? options.localConfirmations : 12 },
          maxBlocksPerRange: 20,
          // A chain seen for the first time is followed from its first block locally, from now elsewhere.
          ...(entry.chain === LOCAL_CHAIN ? { startBlock: 0 } : {}),
        },
        store,
      );
      // Fail at start, not in the loop, when a URL does not answer or is another chain.
      await reader.checkChainId();
      loops.push(
        runIngestLoop(ingester, {
          shouldContinue: () => running,
          pollIntervalMs: options.pollIntervalMs,
          sleep,
          onStep: (step) => options.events.onIngestStep(entry.chain, step),
          onError: (error) => options.events.onProblem(`ingest ${entry.chain}`, error),
        })
          .then((summary) => {
            if (summary.lostCheckpointRace) {
              options.events.onProblem(
                `ingest ${entry.chain} stopped`,
                new Error(
                  'another writer moved the checkpoint (is a second npm start using this data directory?)',
                ),
              );
            }
          })
          .catch((error) => options.events.onProblem(`ingest ${entry.chain} stopped`, error)),
      );
    }

    // In AWS the table's stream invokes the publish function; the embedded server has no streams, so
    // the outbox is polled here with the same publishing code.
    const publisher = new SnsAlertPublisher(messaging.sns, messaging.topicArn);
    loops.push(
      (async () => {
        while (running) {
          try {
            const run = await publishPendingAlerts(store, publisher);
            for (const failure of run.failed)
              options.events.onProblem(`publish ${failure.alertId}`, failure.error);
            if (run.published.length === 0) await sleep(Math.min(100, options.pollIntervalMs));
          } catch (error) {
            options.events.onProblem('publish', error);
            await sleep(options.pollIntervalMs);
          }
        }
      })(),
    );

    const consumer = new AlertQueueConsumer({
      sqs: messaging.sqs,
      queueUrl: messaging.queueUrl,
      onAlert: (notification, receivedAt) => options.events.onAlert(notification, receivedAt),
      onInvalidMessage: (_body, error) => options.events.onProblem('alert queue: not an alert', error),
      onError: (error) => options.events.onProblem('alert queue', error),
    });
    consumer.start();

    return {
      endpoints,
      node,
      store,
      messaging,
      chains: watched.map((entry) => entry.chain),
      closedStaleCases,
      stop: async () => {
        running = false;
        await Promise.all(loops);
        await consumer.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

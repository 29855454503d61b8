import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type ChainIngester, runIngestLoop } from '../../shared/ingest/index.ts';
import { createChainIngester } from '../../shared/runtime/chain-ingester-factory.ts';
import { createDynamoDbClient } from '../../shared/runtime/clients.ts';
import { ConfigurationError, ingestEnvironment } from '../../shared/runtime/env.ts';
import { DynamoDbStore } from '../../shared/store/index.ts';

const logger = new Logger();
const env = ingestEnvironment();
// A default dimension survives publishStoredMetrics(); one added with addDimension would not.
const metrics = new Metrics({ namespace: 'LaunderingAlerts', defaultDimensions: { chain: env.CHAIN } });

/** Stop this long before Lambda would kill the invocation, so a range is never cut in the middle. */
const STOP_BEFORE_TIMEOUT_MS = 30_000;

let ingester: ChainIngester | undefined;

/** RPC URLs hold provider API keys: they come from Secrets Manager at run time and are never logged. */
async function rpcUrls(): Promise<string[]> {
  if (env.RPC_URLS) return env.RPC_URLS.split(',').map((url) => url.trim());
  const secret = await getSecret<{ urls?: unknown }>(env.RPC_SECRET_ID as string, {
    transform: 'json',
    maxAge: 300,
  });
  const urls = secret?.urls;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every((url) => typeof url === 'string')) {
    throw new ConfigurationError(`secret ${env.RPC_SECRET_ID} must be JSON {"urls": ["https://...", ...]}`);
  }
  return urls as string[];
}

async function chainIngester(): Promise<ChainIngester> {
  if (!ingester) {
    const store = new DynamoDbStore({
      client: createDynamoDbClient(env.DYNAMODB_ENDPOINT),
      tableName: env.TABLE_NAME,
    });
    ingester = createChainIngester(
      {
        chain: env.CHAIN,
        rpcUrls: await rpcUrls(),
        tracing: env.TRACING,
        finality: env.BLOCK_TAG ? { tag: env.BLOCK_TAG } : { confirmations: env.CONFIRMATIONS ?? 0 },
        maxBlocksPerRange: env.MAX_BLOCKS_PER_RANGE,
      },
      store,
    ).ingester;
  }
  return ingester;
}

/**
 * Invoked every minute by EventBridge Scheduler (reserved concurrency 1: the chain's only writer). It
 * keeps polling inside the invocation, so an alert waits for the next block, not the next minute.
 */
async function ingest(_event: unknown, context: Context): Promise<{ steps: number; failures: number }> {
  const chain = await chainIngester();
  const summary = await runIngestLoop(chain, {
    shouldContinue: () => context.getRemainingTimeInMillis() > STOP_BEFORE_TIMEOUT_MS,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onStep: (step) => {
      if ('lagBlocks' in step) metrics.addMetric('IngestLagBlocks', MetricUnit.Count, step.lagBlocks);
      if (step.status === 'processed') {
        metrics.addMetric('AlertsStored', MetricUnit.Count, step.alertsStored);
        logger.info('range processed', { ...step, unreadable: step.unreadable?.message });
      } else if (step.status === 'unreadable') {
        logger.warn('range unreadable, will retry', {
          ...('caseId' in step ? { backfillOf: step.caseId } : { from: step.from }),
          reason: step.unreadable.reason,
          detail: step.unreadable.message,
        });
      } else if (step.status === 'backfilled') {
        logger.info('backfill range processed', { ...step });
      }
      metrics.publishStoredMetrics();
    },
    onError: (error) => logger.error('ingest step failed, will retry', error as Error),
  });
  if (summary.steps === 0 && summary.failures > 0) {
    // Nothing succeeded in a whole invocation: fail it, so the error alarm and the DLQ see it.
    throw new Error(`ingest of ${env.CHAIN}: every step failed (${summary.failures} failures); see the logs`);
  }
  return { steps: summary.steps, failures: summary.failures };
}

export const handler = middy(ingest).use(injectLambdaContext(logger)).use(logMetrics(metrics));

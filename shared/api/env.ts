/**
 * The API's dependencies from the Lambda environment:
 *   TABLE_NAME   the agency's DynamoDB table
 *   CHAINS       the configured chains, comma-separated (e.g. "ethereum,base")
 *   DYNAMODB_ENDPOINT  optional, for a local DynamoDB-compatible server
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import packageJson from '../../package.json' with { type: 'json' };
import { chainRegistry } from '../labels/chains.ts';
import { builtInLabels } from '../labels/label-book.ts';
import { builtInTokens } from '../labels/tokens.ts';
import { DynamoDbStore } from '../store/dynamodb-store.ts';
import { DynamoDbIdempotencyStore } from '../store/idempotency-dynamodb.ts';
import type { ApiDeps } from './deps.ts';

export class ApiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiConfigError';
  }
}

export function parseChains(value: string | undefined): string[] {
  const chains = (value ?? '')
    .split(',')
    .map((chain) => chain.trim())
    .filter((chain) => chain !== '');
  if (chains.length === 0)
    throw new ApiConfigError('CHAINS must name at least one chain, e.g. CHAINS=ethereum');
  for (const chain of chains) {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(chain)) {
      throw new ApiConfigError(
        `CHAINS has ${JSON.stringify(chain)}: chain names are lowercase letters, digits and "-"`,
      );
    }
  }
  return [...new Set(chains)];
}

export interface ApiDepsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly chains: readonly string[];
  readonly logger?: Logger;
}

/** Deps over a real table; the rest (labels, tokens, chain facts) from the bundled data. */
export function apiDeps(options: ApiDepsOptions): ApiDeps {
  return {
    store: new DynamoDbStore({ client: options.client, tableName: options.tableName }),
    idempotency: new DynamoDbIdempotencyStore({ client: options.client, tableName: options.tableName }),
    chains: [...options.chains],
    chainInfo: (chain) => chainRegistry.get(chain),
    tokens: builtInTokens(),
    labels: builtInLabels(),
    logger: options.logger ?? new Logger({ serviceName: 'laundering-alerts-api' }),
    now: () => new Date(),
    newCaseId: () => randomUUID(),
    version: packageJson.version,
  };
}

export function apiDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiDeps {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new ApiConfigError("TABLE_NAME must name the agency's DynamoDB table");
  const client = new DynamoDBClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  return apiDeps({ client, tableName, chains: parseChains(env.CHAINS) });
}

/**
 * The one place that talks to DynamoDB: every request goes through here, so every request is counted
 * (metrics) and every failure is translated into the store's error classes. Throttling and 5xx are
 * retried first by the SDK's standard retry mode (configure the client with `retryMode: 'standard'`);
 * what still fails surfaces as StoreUnavailableError.
 */
import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StoredItem } from './attributes.ts';
import {
  type BatchRetryPolicy,
  batchGetAll,
  batchWriteAll,
  DEFAULT_BATCH_RETRY,
  type StoredAttributes,
} from './batch.ts';
import { ConditionFailedError, StoreError, StoreUnavailableError } from './errors.ts';
import type { TableKey } from './keys.ts';
import { NO_METRICS, type StoreMetrics } from './metrics.ts';
import type { INDEX_NAME } from './table.ts';

export interface ExpressionParts {
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
}

export interface QueryParams extends ExpressionParts {
  readonly index?: typeof INDEX_NAME;
  readonly keyCondition: string;
  readonly filter?: string;
  readonly projection?: string;
  readonly limit?: number;
  readonly startKey?: Record<string, string>;
  readonly forward?: boolean;
  /** Main-table queries only; a GSI is always eventually consistent. */
  readonly consistent?: boolean;
}

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ResourceNotFoundException',
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function translate(error: unknown, operation: string, tableName: string): StoreError {
  if (error instanceof StoreError) return error;
  const named = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = named?.name ?? '';
  const code = named?.code ?? '';
  if (name === 'ConditionalCheckFailedException') {
    return new ConditionFailedError(`${operation}: condition failed`, { cause: error });
  }
  if (name === 'ResourceNotFoundException') {
    return new StoreUnavailableError(`${operation}: table ${tableName} (or its index) does not exist`, {
      cause: error,
    });
  }
  const status = named?.$metadata?.httpStatusCode ?? 0;
  if (UNAVAILABLE.has(name) || UNAVAILABLE.has(code) || status >= 500) {
    return new StoreUnavailableError(`${operation}: DynamoDB unavailable (${name || code || status})`, {
      cause: error,
    });
  }
  // Validation errors and the like: a bug in this code, not something to retry.
  return new StoreError(
    `${operation}: DynamoDB refused the request (${name || 'error'}: ${named?.message ?? ''})`,
    {
      cause: error,
    },
  );
}

function units(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (!consumed) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

export interface TableGatewayOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly metrics?: StoreMetrics;
  readonly batchRetry?: Partial<BatchRetryPolicy>;
}

export class TableGateway {
  readonly tableName: string;
  readonly #doc: DynamoDBDocumentClient;
  readonly #metrics: StoreMetrics;
  readonly #batchRetry: BatchRetryPolicy;

  constructor(options: TableGatewayOptions) {
    this.tableName = options.tableName;
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#metrics = options.metrics ?? NO_METRICS;
    this.#batchRetry = { ...DEFAULT_BATCH_RETRY, ...options.batchRetry };
  }

  async #call<T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    operation: string,
    command: string,
    kind: 'read' | 'write',
    send: () => Promise<T>,
    countItems: (answer: T) => number,
  ): Promise<T> {
    let answer: T;
    try {
      answer = await send();
    } catch (error) {
      this.#metrics.record({
        operation,
        command,
        itemsRead: 0,
        itemsWritten: 0,
        readUnits: 0,
        writeUnits: 0,
      });
      throw translate(error, operation, this.tableName);
    }
    const count = countItems(answer);
    const consumed = units(answer.ConsumedCapacity);
    this.#metrics.record({
      operation,
      command,
      itemsRead: kind === 'read' ? count : 0,
      itemsWritten: kind === 'write' ? count : 0,
      readUnits: kind === 'read' ? consumed : 0,
      writeUnits: kind === 'write' ? consumed : 0,
    });
    return answer;
  }

  async get(operation: string, key: TableKey, consistent = true): Promise<StoredItem | undefined> {
    const answer = await this.#call(
      operation,
      'GetItem',
      'read',
      () =>
        this.#doc.send(
          new GetCommand({
            TableName: this.tableName,
            Key: key,
            ConsistentRead: consistent,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      (got) => (got.Item ? 1 : 0),
    );
    return answer.Item;
  }

  /** Throws ConditionFailedError when `condition` does not hold. */
  async put(
    operation: string,
    item: StoredItem,
    condition?: string,
    parts: ExpressionParts = {},
  ): Promise<void> {
    await this.#call(
      operation,
      'PutItem',
      'write',
      () =>
        this.#doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeNames: parts.names,
            ExpressionAttributeValues: parts.values,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      () => 1,
    );
  }

  /** Answers the item after the update. Throws ConditionFailedError when `condition` does not hold. */
  async update(
    operation: string,
    key: TableKey,
    update: string,
    parts: ExpressionParts & { readonly condition?: string },
  ): Promise<StoredItem> {
    const answer = await this.#call(
      operation,
      'UpdateItem',
      'write',
      () =>
        this.#doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: update,
            ConditionExpression: parts.condition,
            ExpressionAttributeNames: parts.names,
            ExpressionAttributeValues: parts.values,
            ReturnValues: 'ALL_NEW',
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      () => 1,
    );
    return answer.Attributes ?? {};
  }

  async delete(
    operation: string,
    key: TableKey,
    condition?: string,
    parts: ExpressionParts = {},
  ): Promise<void> {
    await this.#call(
      operation,
      'DeleteItem',
      'write',
      () =>
        this.#doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: condition,
            ExpressionAttributeNames: parts.names,
            ExpressionAttributeValues: parts.values,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      () => 1,
    );
  }

  async query(
    operation: string,
    params: QueryParams,
  ): Promise<{ items: StoredItem[]; lastKey: Record<string, unknown> | undefined }> {
    const answer = await this.#call(
      operation,
      'Query',
      'read',
      () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: params.index,
            KeyConditionExpression: params.keyCondition,
            FilterExpression: params.filter,
            ProjectionExpression: params.projection,
            ExpressionAttributeNames: params.names,
            ExpressionAttributeValues: params.values,
            Limit: params.limit,
            ExclusiveStartKey: params.startKey,
            ScanIndexForward: params.forward ?? true,
            ConsistentRead: params.index ? undefined : (params.consistent ?? false),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      (got) => got.Count ?? 0,
    );
    return { items: answer.Items ?? [], lastKey: answer.LastEvaluatedKey };
  }

  /** Every page. For lists the caller knows to be bounded (seeds of a case, labels, open cases). */
  async queryAll(operation: string, params: Omit<QueryParams, 'startKey' | 'limit'>): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    let startKey: Record<string, string> | undefined;
    do {
      const page = await this.query(operation, { ...params, startKey });
      items.push(...page.items);
      startKey = page.lastKey as Record<string, string> | undefined;
    } while (startKey);
    return items;
  }

  async batchGet(operation: string, keys: readonly TableKey[], consistent = true): Promise<StoredItem[]> {
    return batchGetAll(
      keys as unknown as StoredAttributes[],
      async (chunk) => {
        const answer = await this.#call(
          operation,
          'BatchGetItem',
          'read',
          () =>
            this.#doc.send(
              new BatchGetCommand({
                RequestItems: { [this.tableName]: { Keys: chunk, ConsistentRead: consistent } },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            ),
          (got) => got.Responses?.[this.tableName]?.length ?? 0,
        );
        return {
          items: answer.Responses?.[this.tableName] ?? [],
          unprocessed: (answer.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as StoredAttributes[],
        };
      },
      this.#batchRetry,
    );
  }

  /** Idempotent puts only: a batch cannot carry a condition. */
  batchPut(operation: string, items: readonly StoredItem[]): Promise<void> {
    return this.#batchWrite(operation, items, 'put');
  }

  /** Deletes by key; deleting what is not there is not an error. */
  batchDelete(operation: string, keys: readonly TableKey[]): Promise<void> {
    return this.#batchWrite(operation, keys as unknown as StoredItem[], 'delete');
  }

  async #batchWrite(
    operation: string,
    entries: readonly StoredItem[],
    kind: 'put' | 'delete',
  ): Promise<void> {
    await batchWriteAll(
      entries,
      async (chunk) => {
        let unprocessed: StoredAttributes[] = [];
        await this.#call(
          operation,
          'BatchWriteItem',
          'write',
          async () => {
            const answer = await this.#doc.send(
              new BatchWriteCommand({
                RequestItems: {
                  [this.tableName]: chunk.map((entry) =>
                    kind === 'put' ? { PutRequest: { Item: entry } } : { DeleteRequest: { Key: entry } },
                  ),
                },
                ReturnConsumedCapacity: 'TOTAL',
              }),
            );
            unprocessed = (answer.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) => {
              const left = kind === 'put' ? request.PutRequest?.Item : request.DeleteRequest?.Key;
              return left ? [left] : [];
            });
            return answer;
          },
          () => chunk.length - unprocessed.length,
        );
        return { unprocessed };
      },
      this.#batchRetry,
    );
  }
}

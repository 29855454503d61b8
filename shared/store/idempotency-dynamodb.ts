/**
 * Idempotency records of the HTTP API, in the single table (DESIGN "Storage"):
 *
 *   item                pk                         sk            ttl
 *   idempotency key     IDEMPOTENCY#<sha256 hex>   IDEMPOTENCY   expiry, epoch seconds
 *
 * The hash is of the caller and the client's key, so one caller can never replay another's answer,
 * and a key of any characters fits the table's `#`-separated key scheme. Records expire through the
 * table's TTL attribute; since DynamoDB deletes expired items only eventually (and the local server
 * never does), every read also treats an item past its `ttl` as absent.
 *
 * Only single-item conditional writes are used (no TransactWriteItems): the embedded DynamoDB
 * server has no transactions.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readNumber, readString, type StoredItem } from './attributes.ts';
import { ConditionFailedError, CorruptItemError } from './errors.ts';
import type { TableKey } from './keys.ts';
import { TableGateway } from './table-gateway.ts';

/** The answer a completed request gave, replayed verbatim to a retry. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type IdempotencyState = 'in_progress' | 'completed';

export interface IdempotencyRecord {
  readonly state: IdempotencyState;
  /** Hash of what was asked (method, path, body): a retry must ask the same. */
  readonly fingerprint: string;
  /** While in progress: until when (epoch ms) the first attempt holds the key. */
  readonly lockedUntil: number;
  readonly response: RecordedResponse | null;
}

export interface IdempotencyClaim {
  /** Caller identity (IAM ARN) and the client's Idempotency-Key. */
  readonly caller: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly now: Date;
  /** How long the first attempt may take before a retry may take over (a crashed attempt). */
  readonly lockMs: number;
  /** How long the record is kept, in seconds. */
  readonly ttlSeconds: number;
}

/** Port: the API's idempotency storage. */
export interface IdempotencyStore {
  /**
   * Takes the key for this request. Answers undefined when taken (go ahead), or the record that
   * holds it: a completed answer to replay, another body (a conflict), or an attempt in progress.
   * An expired record, or an abandoned attempt of the same request, is taken over.
   */
  claim(claim: IdempotencyClaim): Promise<IdempotencyRecord | undefined>;
  /** Records the answer of the attempt that holds the key. */
  complete(claim: IdempotencyClaim, response: RecordedResponse): Promise<void>;
  /** Gives the key up (the attempt failed and created nothing a retry must not repeat). */
  release(claim: IdempotencyClaim): Promise<void>;
}

const SK = 'IDEMPOTENCY';
const WHAT = 'idempotency record';

export function idempotencyKey(caller: string, key: string): TableKey {
  const digest = createHash('sha256').update(caller).update('\u0000').update(key).digest('hex');
  return { pk: `IDEMPOTENCY#${digest}`, sk: SK };
}

function recordOf(item: StoredItem): IdempotencyRecord {
  const state = readString(item, 'state', WHAT);
  if (state !== 'in_progress' && state !== 'completed') throw new CorruptItemError(WHAT, `state ${state}`);
  let response: RecordedResponse | null = null;
  if (state === 'completed') {
    const stored = item.response as StoredItem | undefined;
    if (!stored || typeof stored !== 'object')
      throw new CorruptItemError(WHAT, 'completed without a response');
    response = {
      status: readNumber(stored, 'status', WHAT),
      headers: (stored.headers ?? {}) as Record<string, string>,
      body: readString(stored, 'body', WHAT),
    };
  }
  return {
    state,
    fingerprint: readString(item, 'fingerprint', WHAT),
    lockedUntil: readNumber(item, 'lockedUntil', WHAT),
    response,
  };
}

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  readonly #table: TableGateway;

  constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#table = new TableGateway(options);
  }

  async claim(claim: IdempotencyClaim, attempt = 1): Promise<IdempotencyRecord | undefined> {
    const key = idempotencyKey(claim.caller, claim.key);
    const nowMs = claim.now.getTime();
    const nowSeconds = Math.floor(nowMs / 1000);
    try {
      await this.#table.put(
        'idempotency.claim',
        {
          ...key,
          entity: 'idempotency',
          state: 'in_progress',
          fingerprint: claim.fingerprint,
          lockedUntil: nowMs + claim.lockMs,
          ttl: nowSeconds + claim.ttlSeconds,
        },
        // New, expired, or an abandoned attempt at the very same request.
        'attribute_not_exists(pk) OR #ttl < :now OR (#state = :inProgress AND lockedUntil < :nowMs AND fingerprint = :fingerprint)',
        {
          names: { '#ttl': 'ttl', '#state': 'state' },
          values: {
            ':now': nowSeconds,
            ':nowMs': nowMs,
            ':inProgress': 'in_progress',
            ':fingerprint': claim.fingerprint,
          },
        },
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const item = await this.#table.get('idempotency.read', key);
    if (!item) {
      // Released between the two calls: the key is free again; one more try, then report the race.
      if (attempt < 2) return this.claim(claim, attempt + 1);
      throw new ConditionFailedError('idempotency key is being claimed and released concurrently');
    }
    return recordOf(item);
  }

  async complete(claim: IdempotencyClaim, response: RecordedResponse): Promise<void> {
    const nowSeconds = Math.floor(claim.now.getTime() / 1000);
    await this.#table.update(
      'idempotency.complete',
      idempotencyKey(claim.caller, claim.key),
      'SET #state = :completed, #response = :response, #ttl = :ttl',
      {
        condition: 'fingerprint = :fingerprint',
        names: { '#state': 'state', '#response': 'response', '#ttl': 'ttl' },
        values: {
          ':completed': 'completed',
          ':response': { status: response.status, headers: { ...response.headers }, body: response.body },
          ':ttl': nowSeconds + claim.ttlSeconds,
          ':fingerprint': claim.fingerprint,
        },
      },
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    try {
      await this.#table.delete(
        'idempotency.release',
        idempotencyKey(claim.caller, claim.key),
        '#state = :inProgress AND fingerprint = :fingerprint',
        {
          names: { '#state': 'state' },
          values: { ':inProgress': 'in_progress', ':fingerprint': claim.fingerprint },
        },
      );
    } catch (error) {
      // Already gone or taken over: nothing of ours to release.
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
}

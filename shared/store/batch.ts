/**
 * BatchGetItem and BatchWriteItem may process only part of a request (UnprocessedKeys / UnprocessedItems:
 * throttling, or the 16 MB response limit) without raising an error; dropping that part would lose
 * items silently. These loops re-send what is left with exponential backoff and full jitter (the AWS
 * Architecture Blog, "Exponential Backoff And Jitter", 2015) and fail loudly when it never goes through.
 * They take the request function as a parameter, which keeps them testable without a server.
 */
import { StoreUnavailableError } from './errors.ts';

export type StoredAttributes = Record<string, unknown>;

/** DynamoDB's own limits per request. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

export interface BatchRetryPolicy {
  /** Requests per chunk before giving up, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Chunks in flight at once. */
  readonly concurrency: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const DEFAULT_BATCH_RETRY: BatchRetryPolicy = {
  attempts: 10,
  baseDelayMs: 25,
  maxDelayMs: 2_000,
  concurrency: 4,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export type BatchGetRequest = (
  keys: StoredAttributes[],
) => Promise<{ items: StoredAttributes[]; unprocessed: StoredAttributes[] }>;

export type BatchWriteRequest = (puts: StoredAttributes[]) => Promise<{ unprocessed: StoredAttributes[] }>;

function tableKeyOf(attributes: StoredAttributes): string {
  return `${String(attributes.pk)}\u0000${String(attributes.sk)}`;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

export async function inParallel<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

function backoff(policy: BatchRetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * ceiling);
}

/** Every item of `keys` that exists (duplicates asked once); order is not preserved. */
export async function batchGetAll(
  keys: readonly StoredAttributes[],
  request: BatchGetRequest,
  policy: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
): Promise<StoredAttributes[]> {
  const unique = [...new Map(keys.map((key) => [tableKeyOf(key), key])).values()];
  const chunks = chunk(unique, BATCH_GET_LIMIT);
  const found = await inParallel(
    chunks.map((keysOfChunk) => async () => {
      const items: StoredAttributes[] = [];
      let pending = keysOfChunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= policy.attempts) {
          throw new StoreUnavailableError(
            `BatchGetItem left ${pending.length} keys unprocessed after ${policy.attempts} attempts`,
          );
        }
        if (attempt > 0) await policy.sleep(backoff(policy, attempt - 1));
        const answer = await request(pending);
        items.push(...answer.items);
        pending = answer.unprocessed;
      }
      return items;
    }),
    policy.concurrency,
  );
  return found.flat();
}

/**
 * Puts every item. Only for idempotent puts (no condition is possible in a batch): a retried chunk
 * may land twice. Of two items with the same key, the last one given is written.
 */
export async function batchWriteAll(
  puts: readonly StoredAttributes[],
  request: BatchWriteRequest,
  policy: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
): Promise<void> {
  const unique = [...new Map(puts.map((put) => [tableKeyOf(put), put])).values()];
  await inParallel(
    chunk(unique, BATCH_WRITE_LIMIT).map((putsOfChunk) => async () => {
      let pending = putsOfChunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= policy.attempts) {
          throw new StoreUnavailableError(
            `BatchWriteItem left ${pending.length} items unprocessed after ${policy.attempts} attempts`,
          );
        }
        if (attempt > 0) await policy.sleep(backoff(policy, attempt - 1));
        pending = (await request(pending)).unprocessed;
      }
    }),
    policy.concurrency,
  );
}

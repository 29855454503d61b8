import { describe, expect, it } from 'vitest';
import {
  type BatchRetryPolicy,
  batchGetAll,
  batchWriteAll,
  DEFAULT_BATCH_RETRY,
  type StoredAttributes,
} from '../../shared/store/batch.ts';
import { StoreUnavailableError } from '../../shared/store/errors.ts';

// Unit tests of the retry loops: DynamoDB only leaves work unprocessed under throttling or the 16 MB
// limit, which the embedded server never does, so a scripted request function stands in for it here.

const delays: number[] = [];
const policy: BatchRetryPolicy = {
  ...DEFAULT_BATCH_RETRY,
  attempts: 5,
  concurrency: 1,
  sleep: async (ms) => {
    delays.push(ms);
  },
  random: () => 0.5,
};

const key = (i: number) => ({ pk: `P#${i}`, sk: 'S' });

describe('batchGetAll', () => {
  it('re-sends unprocessed keys with backoff until every key is answered', async () => {
    delays.length = 0;
    const requests: number[] = [];
    const items = await batchGetAll(
      [...Array(230).keys()].map(key),
      async (keys) => {
        // Half of each request is answered: 100 -> 50 -> 25 -> 12 -> 6 -> 3 -> 1: seven requests.
        requests.push(keys.length);
        // Answer the first half of each request, leave the rest unprocessed.
        const answered = keys.slice(0, Math.ceil(keys.length / 2));
        return {
          items: answered.map((k) => ({ ...k, found: true })),
          unprocessed: keys.slice(answered.length),
        };
      },
      { ...policy, attempts: 10 },
    );
    expect(items).toHaveLength(230);
    expect(new Set(items.map((item) => item.pk)).size).toBe(230);
    expect(Math.max(...requests)).toBeLessThanOrEqual(100);
    expect(requests.slice(0, 4)).toEqual([100, 50, 25, 12]);
    expect(delays.slice(0, 3)).toEqual([12, 25, 50]);
  });

  it('asks for a duplicated key once', async () => {
    const asked: StoredAttributes[] = [];
    await batchGetAll([key(1), key(1), key(2)], async (keys) => {
      asked.push(...keys);
      return { items: [], unprocessed: [] };
    });
    expect(asked).toEqual([key(1), key(2)]);
  });

  it('fails loudly instead of dropping keys that never go through', async () => {
    await expect(
      batchGetAll([key(1), key(2)], async (keys) => ({ items: [], unprocessed: keys }), policy),
    ).rejects.toThrow(StoreUnavailableError);
  });
});

describe('batchWriteAll', () => {
  it('writes in chunks of 25 and re-sends unprocessed items', async () => {
    const written: StoredAttributes[] = [];
    const sizes: number[] = [];
    await batchWriteAll(
      [...Array(60).keys()].map((i) => ({ ...key(i), n: i })),
      async (puts) => {
        sizes.push(puts.length);
        // Every request writes all but its last two items.
        const done = puts.length > 2 ? puts.slice(0, -2) : puts;
        written.push(...done);
        return { unprocessed: puts.slice(done.length) };
      },
      policy,
    );
    expect(sizes).toEqual([25, 2, 25, 2, 10, 2]);
    expect(written.map((item) => item.n).sort((a, b) => Number(a) - Number(b))).toEqual([
      ...Array(60).keys(),
    ]);
  });

  it('keeps the last of two puts with the same key', async () => {
    const seen: StoredAttributes[] = [];
    await batchWriteAll(
      [
        { ...key(1), n: 1 },
        { ...key(1), n: 2 },
      ],
      async (puts) => {
        seen.push(...puts);
        return { unprocessed: [] };
      },
    );
    expect(seen).toEqual([{ ...key(1), n: 2 }]);
  });

  it('fails loudly when items stay unprocessed', async () => {
    await expect(batchWriteAll([key(1)], async (puts) => ({ unprocessed: puts }), policy)).rejects.toThrow(
      /BatchWriteItem left 1 items unprocessed after 5 attempts/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/store/cursor.ts';
import { InvalidCursorError } from '../../shared/store/errors.ts';

const expectation = {
  attributes: ['pk', 'sk'],
  equals: { pk: 'CASE#a' },
  startsWith: { sk: 'SEED#' },
};

describe('page cursors', () => {
  it('round-trips a key of the list', () => {
    const key = { pk: 'CASE#a', sk: 'SEED#ethereum#0x01' };
    const cursor = encodeCursor(key) as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, expectation)).toEqual(key);
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  const bad: [string, string][] = [
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['too long', 'A'.repeat(5000)],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an array', encodeCursor(['a'] as never) as string],
    ['null', Buffer.from('null').toString('base64url')],
    ['a missing attribute', encodeCursor({ pk: 'CASE#a' }) as string],
    ['an extra attribute', encodeCursor({ pk: 'CASE#a', sk: 'SEED#x', gsi1pk: 'x' }) as string],
    ['a number value', encodeCursor({ pk: 'CASE#a', sk: 5 }) as string],
    ['a map value', encodeCursor({ pk: 'CASE#a', sk: { S: 'SEED#' } }) as string],
    ['another partition', encodeCursor({ pk: 'CASE#b', sk: 'SEED#x' }) as string],
    ['another prefix', encodeCursor({ pk: 'CASE#a', sk: 'EDGE#x' }) as string],
  ];
  it.each(bad)('refuses %s', (_what, cursor) => {
    expect(() => decodeCursor(cursor, expectation)).toThrow(InvalidCursorError);
  });

  it('survives random bytes without anything but InvalidCursorError', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + (random() % 64) }, () => random() % 256));
      expect(() => decodeCursor(bytes.toString('base64url'), expectation)).toThrow(InvalidCursorError);
    }
  });
});

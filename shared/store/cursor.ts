/**
 * Opaque page cursors: base64url of DynamoDB's LastEvaluatedKey. A cursor comes back from clients, so
 * it is validated before DynamoDB sees it: exactly the key attributes of the list's index, all strings,
 * in the partition (and under the prefix) being listed. Without the partition check a client could
 * take a cursor of one case and page through another's items.
 */
import { InvalidCursorError } from './errors.ts';

/** Far above any real key of this table, far below what would cost anything to parse. */
const MAX_CURSOR_LENGTH = 2048;

export type CursorKey = Record<string, string>;

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export interface CursorExpectation {
  /** The attributes a key of this list has, e.g. pk, sk, gsi1pk, gsi1sk. */
  readonly attributes: readonly string[];
  /** Attribute -> the value it must have (the partition being listed). */
  readonly equals: Readonly<Record<string, string>>;
  /** Attribute -> the prefix it must start with (the sort key range being listed). */
  readonly startsWith?: Readonly<Record<string, string>>;
}

export function decodeCursor(cursor: string, expected: CursorExpectation): CursorKey {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    throw new InvalidCursorError('empty or too long');
  }
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor of this list');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidCursorError('not a cursor of this list');
  }
  const key = parsed as Record<string, unknown>;
  const names = Object.keys(key).sort();
  const wanted = [...expected.attributes].sort();
  if (names.length !== wanted.length || names.some((name, i) => name !== wanted[i])) {
    throw new InvalidCursorError('not a cursor of this list');
  }
  for (const name of names) {
    const value = key[name];
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
      throw new InvalidCursorError('not a cursor of this list');
    }
  }
  for (const [name, value] of Object.entries(expected.equals)) {
    if (key[name] !== value) throw new InvalidCursorError('belongs to another list');
  }
  for (const [name, prefix] of Object.entries(expected.startsWith ?? {})) {
    if (!(key[name] as string).startsWith(prefix)) throw new InvalidCursorError('belongs to another list');
  }
  return key as CursorKey;
}

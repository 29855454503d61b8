/**
 * Readers for stored attributes. The table is ours, but a bad item (a manual edit, a schema drift)
 * must fail with the item named, not as an undefined deep inside the tracer.
 */
import { CorruptItemError } from './errors.ts';

export type StoredItem = Record<string, unknown>;

export function readString(item: StoredItem, name: string, what: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new CorruptItemError(what, `${name} is not a string`);
  return value;
}

export function readNullableString(item: StoredItem, name: string, what: string): string | null {
  const value = item[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new CorruptItemError(what, `${name} is not a string`);
  return value;
}

export function readNumber(item: StoredItem, name: string, what: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CorruptItemError(what, `${name} is not a number`);
  }
  return value;
}

export function readNullableNumber(item: StoredItem, name: string, what: string): number | null {
  const value = item[name];
  if (value === undefined || value === null) return null;
  return readNumber(item, name, what);
}

export function readMap(item: StoredItem, name: string, what: string): StoredItem {
  const value = item[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptItemError(what, `${name} is not a map`);
  }
  return value as StoredItem;
}

export function readBigInt(item: StoredItem, name: string, what: string): bigint {
  const text = readString(item, name, what);
  if (!/^-?\d{1,100}$/.test(text)) throw new CorruptItemError(what, `${name} is not a decimal integer`);
  return BigInt(text);
}

/** bigint -> decimal string, per entry. */
export function bigintsToStrings(values: Readonly<Record<string, bigint>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.toString()]));
}

export function stringsToBigints(values: StoredItem, what: string): Record<string, bigint> {
  return Object.fromEntries(Object.keys(values).map((key) => [key, readBigInt(values, key, what)]));
}

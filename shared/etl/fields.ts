import type { Address } from '../domain/address.ts';
import { InvalidFieldError } from './errors.ts';

/**
 * Field readers for Ethereum-ETL rows. Each takes the file and line so that the error names them; they
 * run once per row on millions of rows, so they check characters with charCode loops rather than
 * regular expressions where it matters. Strings they return are slices of the chunk being read (see
 * detach.ts before keeping one).
 */

function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

function isDigits(text: string): boolean {
  const length = text.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** A block number, transaction index or log index: a non-negative decimal integer. */
export function readIndex(text: string, column: string, file: string, line: number): number {
  const length = text.length;
  if (length > 0 && length <= 15) {
    let value = 0;
    let i = 0;
    for (; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === length) return value;
  }
  throw new InvalidFieldError(file, line, `${column} ${quoted(text)} is not a non-negative integer`);
}

/** Lowercase hex digits from `start` to the end: a table lookup per character, no regular expression. */
const LOWER_HEX = new Uint8Array(128);
for (const digit of '0123456789abcdef') LOWER_HEX[digit.charCodeAt(0)] = 1;

function isPrefixedLowerHex(text: string, digits: number): boolean {
  if (text.length !== digits + 2 || text.charCodeAt(0) !== 48 || text.charCodeAt(1) !== 120) return false;
  for (let i = 2; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127 || LOWER_HEX[code] === 0) return false;
  }
  return true;
}

/**
 * A raw amount in base units (wei, token base units): a decimal integer of any size. BigInt() alone
 * would read "" as 0 and accept " 1", "0x1f" or "0b1"; the digit check refuses them.
 */
export function readAmount(text: string, column: string, file: string, line: number): bigint {
  if (text === '0') return 0n;
  if (isDigits(text)) return BigInt(text);
  throw new InvalidFieldError(file, line, `${column} ${quoted(text)} is not a non-negative integer amount`);
}

/** Ethereum-ETL writes addresses lowercase; other tools may checksum them. */
export function readAddress(text: string, column: string, file: string, line: number): Address {
  if (isPrefixedLowerHex(text, 40)) return text;
  const lower = text.toLowerCase();
  if (isPrefixedLowerHex(lower, 40)) return lower;
  throw new InvalidFieldError(
    file,
    line,
    `${column} ${quoted(text)} is not an address (0x followed by 40 hex digits)`,
  );
}

/** An address that may be empty (the recipient of a contract creation, a reward's sender). */
export function readOptionalAddress(
  text: string,
  column: string,
  file: string,
  line: number,
): Address | null {
  return text === '' ? null : readAddress(text, column, file, line);
}

export function readHash(text: string, column: string, file: string, line: number): string {
  if (isPrefixedLowerHex(text, 64)) return text;
  const lower = text.toLowerCase();
  if (isPrefixedLowerHex(lower, 64)) return lower;
  throw new InvalidFieldError(
    file,
    line,
    `${column} ${quoted(text)} is not a 32-byte hash (0x + 64 hex digits)`,
  );
}

const SQL_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?: ?(?:UTC|Z|\+00:00))?$/;

/**
 * Block time in unix seconds. Ethereum-ETL writes unix seconds; its BigQuery tables export
 * "2022-06-23 11:02:03 UTC". Both are accepted; anything else is an error, not a silent zero.
 */
export function readBlockTime(text: string, column: string, file: string, line: number): number {
  if (isDigits(text) && text.length <= 12) return Number(text);
  const match = SQL_TIMESTAMP.exec(text);
  if (match) {
    const millis = Date.parse(`${match[1]}T${match[2]}Z`);
    if (!Number.isNaN(millis)) return Math.floor(millis / 1000);
  }
  throw new InvalidFieldError(
    file,
    line,
    `${column} ${quoted(text)} is neither unix seconds nor a UTC timestamp like 2022-06-23 11:02:03 UTC`,
  );
}

/** `trace_address` as Ethereum-ETL writes it: empty for the root call, else "0,1" (comma-separated). */
export function readTraceAddress(text: string, column: string, file: string, line: number): number[] {
  if (text === '') return [];
  const parts = text.split(',');
  const path: number[] = [];
  for (const part of parts) {
    const trimmed = part.trim();
    if (!isDigits(trimmed) || trimmed.length > 9) {
      throw new InvalidFieldError(
        file,
        line,
        `${column} ${quoted(text)} is not a comma-separated list of call indexes like "0,1"`,
      );
    }
    path.push(Number(trimmed));
  }
  return path;
}

import { describe, expect, it } from 'vitest';
import { logNamesWatched, touchesWatched } from '../../shared/chain/tainted-value-scope.ts';

const tainted = `0x${'7a'.repeat(20)}`;
const other = `0x${'0b'.repeat(20)}`;
const watched = new Set([tainted]);
const word = (address: string) => `0x${address.slice(2).padStart(64, '0')}`;
const topic0 = `0x${'ee'.repeat(32)}`;

describe('which transactions can move tainted value', () => {
  it('a transaction from or to a watched address', () => {
    expect(touchesWatched({ from: tainted, to: other }, watched)).toBe(true);
    expect(touchesWatched({ from: other, to: tainted }, watched)).toBe(true);
    expect(touchesWatched({ from: other, to: null }, watched)).toBe(false);
  });

  it('a log naming a watched address in a topic, in its data, or emitted by it', () => {
    expect(
      logNamesWatched({ address: other, topics: [topic0, word(other), word(tainted)], data: '0x' }, watched),
    ).toBe(true);
    const data = `0x${'00'.repeat(32)}${word(tainted).slice(2)}${'11'.repeat(32)}`;
    expect(logNamesWatched({ address: other, topics: [topic0], data }, watched)).toBe(true);
    expect(logNamesWatched({ address: tainted, topics: [topic0], data: '0x' }, watched)).toBe(true);
  });

  it('not a log that merely contains the address bytes off the word grid, or as the event signature', () => {
    const shifted = `0x${'00'.repeat(16)}${word(tainted).slice(2)}`;
    expect(logNamesWatched({ address: other, topics: [topic0], data: shifted }, watched)).toBe(false);
    expect(logNamesWatched({ address: other, topics: [word(tainted)], data: '0x' }, watched)).toBe(false);
  });
});

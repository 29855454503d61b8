import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCanonicalAddress } from '../../shared/domain/address.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { theftWallets } from '../../shared/labels/thefts.ts';

/** The human-readable copy kept beside thefts.json; both are written by scripts/import-labels.ts. */
const CSV = new URL('../../shared/labels/data/thefts.csv', import.meta.url);

/** Minimal RFC 4180 reader for this test: quoted fields may hold commas and doubled quotes. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/).filter((row) => row !== '')) {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const char = line[i];
      if (quoted && char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = !quoted;
      } else if (char === ',' && !quoted) {
        fields.push(field);
        field = '';
      } else {
        field += char;
      }
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

describe('theft wallets', () => {
  const wallets = theftWallets();

  it('are the rows of thefts.csv, in order, dates missing as null', () => {
    const [header, ...rows] = csvRows(readFileSync(CSV, 'utf8'));
    expect(header).toEqual(['chain', 'address', 'incident', 'date', 'source']);
    expect(wallets).toHaveLength(rows.length);
    rows.forEach(([chain, address, incident, date, source], index) => {
      expect(wallets[index]).toEqual({ chain, address, incident, date: date === '' ? null : date, source });
    });
  });

  it('are loaded once per process', () => {
    expect(theftWallets()).toBe(wallets);
  });

  it('hold canonical addresses and seed the demo with a known incident', () => {
    expect(wallets.every((wallet) => isCanonicalAddress(wallet.address))).toBe(true);
    expect(
      wallets.find((wallet) => wallet.address === '0x0d043128146654c7683fbf30ac98d7b2285ded00'),
    ).toMatchObject({
      chain: 'ethereum',
      incident: 'Harmony Horizon Bridge',
      date: '2022-06-23',
    });
  });

  it('include chains this service does not follow, for callers to filter', () => {
    const followed = wallets.filter((wallet) => chainRegistry.get(wallet.chain));
    expect(followed.length).toBeGreaterThan(800);
    expect(followed.length).toBeLessThan(wallets.length);
  });
});

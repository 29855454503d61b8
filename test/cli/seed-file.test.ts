import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeedFile } from '../../shared/cli/backtest/seed-file.ts';
import { CliInputError } from '../../shared/cli/errors.ts';

const directory = mkdtempSync(join(tmpdir(), 'seed-file-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function seedFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

async function problem(path: string, chain = 'ethereum'): Promise<string> {
  try {
    await readSeedFile(path, chain);
  } catch (error) {
    if (error instanceof CliInputError) return error.message;
    throw error;
  }
  throw new Error('expected a CliInputError');
}

describe('readSeedFile', () => {
  it('reads one address per line, skipping comments and blank lines, accepting any case', async () => {
    const path = seedFile(
      'plain.txt',
      '# Harmony Horizon Bridge\n\n0x0d043128146654C7683Fbf30ac98D7B2285DeD00\r\n  # indented comment\n0x9E91AE672E7F7330FC6B9BAB9C259BD94CD08715\n0x0d043128146654c7683fbf30ac98d7b2285ded00\n',
    );
    expect(await readSeedFile(path, 'ethereum')).toEqual({
      addresses: ['0x0d043128146654c7683fbf30ac98d7b2285ded00', '0x9e91ae672e7f7330fc6b9bab9c259bd94cd08715'],
      incidents: [],
    });
  });

  it('reads the thefts.csv layout: only rows of the chain, incidents for the case name, quoted fields', async () => {
    const path = seedFile(
      'thefts.csv',
      [
        'chain,address,incident,date,source',
        'ethereum,0x0d043128146654c7683fbf30ac98d7b2285ded00,Harmony Horizon Bridge,2022-06-23,"tayvano [Exploiter 1, ERC20/ETH]"',
        'bsc,0x1111111111111111111111111111111111111111,Other,2023-01-01,x',
        'ethereum,0x9e91ae672e7f7330fc6b9bab9c259bd94cd08715,Harmony Horizon Bridge,2022-06-23,"say ""hi"""',
      ].join('\n'),
    );
    expect(await readSeedFile(path, 'ethereum')).toEqual({
      addresses: ['0x0d043128146654c7683fbf30ac98d7b2285ded00', '0x9e91ae672e7f7330fc6b9bab9c259bd94cd08715'],
      incidents: ['Harmony Horizon Bridge'],
    });
    expect((await readSeedFile(path, 'bsc')).addresses).toEqual([
      '0x1111111111111111111111111111111111111111',
    ]);
    expect(await problem(path, 'polygon')).toBe(
      `${path}: no seed address for chain polygon (it has seeds on bsc, ethereum: use --chain)`,
    );
  });

  it('names the line of a bad address, a bad checksum, or a short CSV row', async () => {
    expect(
      await problem(seedFile('bad.txt', '# seeds\n0x0d043128146654c7683fbf30ac98d7b2285ded00\n0x12345\n')),
    ).toMatch(/bad\.txt:3: "0x12345" is not an address/);
    expect(await problem(seedFile('checksum.txt', '0x0D043128146654C7683Fbf30ac98D7B2285DeD00\n'))).toMatch(
      /checksum\.txt:1: .*wrong EIP-55 checksum/,
    );
    expect(await problem(seedFile('short.csv', 'chain,address\n\nethereum\n'))).toMatch(
      /short\.csv:3: expected 2 fields like the header, found 1/,
    );
    expect(await problem(seedFile('empty.txt', '# nothing\n\n'))).toMatch(/has no address/);
    expect(await problem(join(directory, 'missing.txt'))).toMatch(/missing\.txt: cannot read the seed file/);
  });
});

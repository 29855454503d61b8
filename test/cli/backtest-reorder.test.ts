import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/etl/laundering-path');
const scratch = mkdtempSync(join(tmpdir(), 'backtest-reorder-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real command, as a user runs it: a separate Node process on bin/laundering-alerts.mjs. */
function backtest(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/laundering-alerts.mjs'), 'backtest', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LAUNDERING_ALERTS_DEBUG: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Rewrites a CSV of the fixture with its rows grouped by block in the given order of blocks. */
function reorderBlocks(file: string, blockColumn: number, order: readonly number[]): void {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const byBlock = (block: number) => rows.filter((row) => Number(row.split(',')[blockColumn]) === block);
  const reordered = order.flatMap(byBlock);
  expect(reordered).toHaveLength(rows.length);
  writeFileSync(file, `${[header, ...reordered].join('\n')}\n`);
}

/**
 * The golden fixture with transactions.csv's blocks as 3, 1, 2, 0 and traces.csv's as 0, 2, 1, 3
 * (15,100,00x), token_transfers.csv left sorted: as an exporter writing answers as they come might.
 */
function unsortedExport(): string {
  const data = mkdtempSync(join(scratch, 'export-'));
  cpSync(FIXTURE, data, { recursive: true });
  reorderBlocks(join(data, 'transactions.csv'), 3, [15100003, 15100001, 15100002, 15100000]);
  reorderBlocks(join(data, 'traces.csv'), 0, [15100000, 15100002, 15100001, 15100003]);
  return data;
}

describe('backtest on an export whose blocks are out of order', () => {
  it('raises exactly the golden alerts within the default window', () => {
    const run = backtest(
      '--data',
      unsortedExport(),
      '--seed-file',
      join(FIXTURE, 'seeds.txt'),
      '--format',
      'jsonl',
    );
    expect(run.stderr).toMatch(/54 rows, 4 blocks .* 11 alerts, 7 tainted wallets/);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(FIXTURE, 'expected-alerts.jsonl'), 'utf8'));
  });

  it('exits 2 when a block comes back further than --reorder-window, naming file, line, block and window', () => {
    const data = unsortedExport();
    const file = join(data, 'transactions.csv');
    const run = backtest('--data', data, '--seed-file', join(FIXTURE, 'seeds.txt'), '--reorder-window', '2');
    expect(run.status).toBe(2);
    // Header, 3 rows of block 15100003, 5 of 15100001, 4 of 15100002: the first of 15100000 is line 14.
    expect(run.stderr).toBe(
      `laundering-alerts backtest: ${file}:14: block 15100000 comes after block 15100003, 3 blocks back: ` +
        'beyond the reorder window of 2 blocks. Raise --reorder-window to 3 or more, or sort the file by ' +
        `block_number: { head -n 1 ${file}; tail -n +2 ${file} | LC_ALL=C sort -s -t, -k4,4n; } > sorted.csv\n`,
    );
    expect(run.stdout).toBe('');
  });

  it('with --reorder-window 0 requires sorted files', () => {
    const run = backtest(
      '--data',
      unsortedExport(),
      '--seed-file',
      join(FIXTURE, 'seeds.txt'),
      '--reorder-window',
      '0',
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /transactions\.csv:5: block 15100001 comes after block 15100003, 2 blocks back: beyond the reorder window of 0 blocks\./,
    );
  });

  it('exits 2 with the usage for a window that is not a whole number of blocks', () => {
    const run = backtest(
      '--data',
      FIXTURE,
      '--seed-file',
      join(FIXTURE, 'seeds.txt'),
      '--reorder-window',
      'ten',
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^laundering-alerts backtest: --reorder-window "ten": use a whole number of blocks from 0 to 1,000,000\n/,
    );
    expect(run.stderr).toMatch(/--reorder-window N {2}a file may list a block/);
  });
});

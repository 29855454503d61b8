import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/etl/laundering-path');
const SEED = '0x0d043128146654c7683fbf30ac98d7b2285ded00';
const scratch = mkdtempSync(join(tmpdir(), 'backtest-golden-'));

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

function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

describe('backtest on the hand-made laundering path', () => {
  it('prints exactly the expected alerts as JSON lines, and nothing else on stdout', () => {
    const run = backtest('--data', FIXTURE, '--seed-file', join(FIXTURE, 'seeds.txt'), '--format', 'jsonl');
    expect(run.stderr).toMatch(/11 alerts, 7 tainted wallets/);
    expect(run.status).toBe(0);
    const expected = jsonLines(readFileSync(join(FIXTURE, 'expected-alerts.jsonl'), 'utf8'));
    const actual = jsonLines(run.stdout);
    expect(actual).toEqual(expected);
    expect(run.stdout.endsWith('\n')).toBe(true);
  });

  it('gives the same alerts, ids included, on a second run', () => {
    const first = backtest('--data', FIXTURE, '--seed', SEED, '--format', 'jsonl');
    const second = backtest(
      '--data',
      FIXTURE,
      '--seed',
      SEED.toUpperCase().replace('0X', '0x'),
      '--format',
      'jsonl',
    );
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('prints a readable table: alerts, wallets by hop, totals per custodian, learned deposit addresses', () => {
    const run = backtest('--data', FIXTURE, '--seed', SEED);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    const has = (pattern: RegExp) =>
      expect(
        lines.some((line) => pattern.test(line)),
        String(pattern),
      ).toBe(true);
    has(/^Read 54 rows from .*: 4 blocks \(15100000 to 15100003\), 18 transfers/);
    has(/^ALERTS \(11\)$/);
    has(/^ {2}\[high\] MIXER_DEPOSIT {2}block 15100001 {2}hop 2/);
    has(
      /^ {6}1,200,000 USDC tainted of 1,200,000 USDC: 0xdE90000000000000000000000000000000000001 -> 0x28C6c06298d514Db089934071355E5743bf21d60 \(Binance, exchange\)$/,
    );
    has(/^ {6}deposit address 0xA11Ce00000000000000000000000000000000003 at Binance$/);
    has(/^TAINTED WALLETS BY HOP \(7\)$/);
    has(/^ {2}hop 2: 2 wallets$/);
    has(/^ {6}0xA11Ce00000000000000000000000000000000003 {2}received 140 ETH tainted; holds 0.5 ETH$/);
    has(
      /^ {2}exchange {2}Binance +1,200,000 USDC; 139.5 ETH {2}\(2 transfers to 1 address\); at its deposit addresses: 500,000 USDT/,
    );
    has(/^ {2}mixer {5}Tornado Cash: 100 ETH +100 ETH {2}\(1 transfer to 1 address\)$/);
    has(/^ {2}bridge {4}Arbitrum: Delayed Inbox +10 ETH {2}\(1 transfer to 1 address\)$/);
    has(/^EXCHANGE DEPOSIT ADDRESSES LEARNED$/);
    // Spoofed token, zero-value poisoning, dust and the delegatecall target never become tainted.
    for (const innocent of ['0x1ee7', '0xa11ce0ff', '0x0be1', '0x11b0']) {
      expect(run.stdout.toLowerCase()).not.toContain(innocent);
    }
  });

  it('writes the flow graph as JSON and as DOT', () => {
    const json = join(scratch, 'graph.json');
    const dot = join(scratch, 'graph.dot');
    expect(backtest('--data', FIXTURE, '--seed', SEED, '--format', 'jsonl', '--graph', json).status).toBe(0);
    expect(backtest('--data', FIXTURE, '--seed', SEED, '--format', 'jsonl', '--graph', dot).status).toBe(0);
    const graph = JSON.parse(readFileSync(json, 'utf8')) as {
      nodes: { hop: number | null }[];
      edges: unknown[];
    };
    // 7 tainted wallets and 3 custodians; one edge per followed transfer of the README's table:
    // 0/1, 0/2, 0/3, 1/0, 1/1, 2/0 (two: P2 -> F and F -> P3), 2/1, 2/2, 3/0, 3/1, 3/2.
    expect(graph.nodes).toHaveLength(10);
    expect(graph.edges).toHaveLength(12);
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph "case backtest-[0-9a-f]{12} on ethereum" \{/);
  });
});

describe('backtest input errors', () => {
  it('exits 2 naming the file and line of a corrupt row, without a stack trace', () => {
    const data = join(scratch, 'corrupt');
    cpSync(FIXTURE, data, { recursive: true });
    const file = join(data, 'token_transfers.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = (lines[4] as string).replace(/,15100001$/, ',15100001x');
    writeFileSync(file, lines.join('\n'));
    const run = backtest('--data', data, '--seed', SEED, '--format', 'jsonl');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `laundering-alerts backtest: ${file}:5: block_number "15100001x" is not a non-negative integer\n`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with the usage for an unknown flag', () => {
    const run = backtest('--data', FIXTURE, '--seed', SEED, '--max-hop', '3');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^laundering-alerts backtest: Unknown option '--max-hop'/);
    expect(run.stderr).toMatch(/Usage: laundering-alerts backtest --data DIR/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a seed with a wrong checksum, naming the seed file line', () => {
    const seeds = join(scratch, 'seeds.txt');
    writeFileSync(seeds, `# two seeds\n${SEED}\n0x0D043128146654C7683Fbf30ac98D7B2285DeD00\n`);
    const run = backtest('--data', FIXTURE, '--seed-file', seeds);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`${seeds.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .*wrong EIP-55 checksum`),
    );
  });
});

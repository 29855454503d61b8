import { describe, expect, it } from 'vitest';
import type { ActivityQuery, ActivitySearch } from '../../shared/chain/activity-finder.ts';
import { RpcResponseError } from '../../shared/chain/errors.ts';
import {
  type ActivitySource,
  BackfillPlanner,
  type PlanRequest,
} from '../../shared/ingest/backfill-planner.ts';

const SEED = `0x${'5e'.repeat(20)}`;
const A = `0x${'a1'.repeat(20)}`;
const B = `0x${'b2'.repeat(20)}`;
const TOKEN = `0x${'70'.repeat(20)}`;

/**
 * A chain as the planner sees it through its port: for each wallet, the blocks it is active in. Answers
 * exactly what an index would (the unit tests of the pure planning logic; the finder itself is tested
 * against a node in test/chain/activity-finder.test.ts).
 */
class IndexedChain implements ActivitySource {
  readonly queries: { from: number; to: number; wallets: string[] }[] = [];
  /** Answer a prefix: every query reaching this block stops just before it. */
  failAt: number | undefined;
  indexed = true;

  readonly activity: Record<string, number[]>;

  constructor(activity: Record<string, number[]>) {
    this.activity = activity;
  }

  async findActivity(query: ActivityQuery): Promise<ActivitySearch> {
    const wallets = [...query.wallets];
    this.queries.push({ from: query.from, to: query.to, wallets });
    if (!this.indexed) return { indexed: false, reason: 'the node has no trace_filter' };
    const searchedThrough = this.failAt !== undefined && this.failAt <= query.to ? this.failAt - 1 : query.to;
    const blocks = new Set<number>();
    for (const wallet of wallets)
      for (const block of this.activity[wallet] ?? [])
        if (block >= query.from && block <= searchedThrough) blocks.add(block);
    const error = new RpcResponseError('node', 'trace_filter', -32000, 'missing trie node');
    return {
      indexed: true,
      from: query.from,
      to: query.to,
      searchedThrough,
      activeBlocks: [...blocks].sort((a, b) => a - b),
      unsearchable:
        searchedThrough < query.to
          ? { from: searchedThrough + 1, to: query.to, reason: 'rpc-error', message: error.message, error }
          : undefined,
    };
  }
}

const request = (start: number, target: number, wallets: string[] = [SEED], run = 'run-1'): PlanRequest => ({
  caseId: 'case-1',
  run,
  start,
  target,
  wallets: new Set(wallets),
  tokens: [TOKEN],
});

describe('backfill planner: which blocks of a case history must be read', () => {
  it('records a window where no wallet of the case does anything as quiet, window by window', async () => {
    const chain = new IndexedChain({ [SEED]: [25_000] });
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20, windowBlocks: 10_000 });
    expect(await planner.plan(request(100, 30_000))).toEqual({ kind: 'quiet', through: 10_099 });
    expect(await planner.plan(request(10_100, 30_000))).toEqual({ kind: 'quiet', through: 20_099 });
    expect(await planner.plan(request(20_100, 30_000))).toEqual({
      kind: 'read',
      from: 25_000,
      to: 25_000,
      search: 'targeted',
    });
    expect(chain.queries.map((q) => [q.from, q.to])).toEqual([
      [100, 10_099],
      [10_100, 20_099],
      [20_100, 30_000],
    ]);
  });

  it('stops a window at the target (the live checkpoint)', async () => {
    const planner = new BackfillPlanner(new IndexedChain({}), { maxBlocksPerRange: 20 });
    expect(await planner.plan(request(100, 150))).toEqual({ kind: 'quiet', through: 150 });
  });

  it('reads active blocks close together as one range, within the longest range, and the next ones later without asking again', async () => {
    const chain = new IndexedChain({ [SEED]: [120, 125, 136, 150, 170, 171, 400] });
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20, mergeGapBlocks: 10 });
    // 120 and 125 are 4 quiet blocks apart, 136 is 10 apart from 125: merged; 150 would make 31 blocks.
    expect(await planner.plan(request(100, 1_000))).toMatchObject({ kind: 'read', from: 120, to: 136 });
    expect(await planner.plan(request(137, 1_000))).toMatchObject({ kind: 'read', from: 150, to: 150 });
    expect(await planner.plan(request(151, 1_000))).toMatchObject({ kind: 'read', from: 170, to: 171 });
    expect(await planner.plan(request(172, 1_000))).toMatchObject({ kind: 'read', from: 400, to: 400 });
    expect(await planner.plan(request(401, 1_000))).toEqual({ kind: 'quiet', through: 1_000 });
    expect(chain.queries).toHaveLength(1);
  });

  it('searches a newly tainted wallet from the next block on, and only it', async () => {
    const chain = new IndexedChain({ [SEED]: [120], [A]: [90, 300], [B]: [500] });
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20 });
    expect(await planner.plan(request(100, 1_000))).toMatchObject({ kind: 'read', from: 120, to: 120 });
    // Block 120 tainted A. A was active at 90, before its taint: not the case's business.
    planner.rememberTainted('case-1', 'run-1', [A]);
    expect(await planner.plan(request(121, 1_000, [SEED]))).toMatchObject({
      kind: 'read',
      from: 300,
      to: 300,
    });
    expect(chain.queries[1]).toEqual({ from: 121, to: 1_000, wallets: [A] });
    // The store's index now lists A, the planner knows it: nothing to ask. B was tainted at 300.
    planner.rememberTainted('case-1', 'run-1', [B]);
    expect(await planner.plan(request(301, 1_000, [SEED, A]))).toMatchObject({ kind: 'read', from: 500 });
    expect(chain.queries[2]).toEqual({ from: 301, to: 1_000, wallets: [B] });
    expect(planner.knownWallets('case-1', 'run-1')).toEqual(new Set([SEED, A, B]));
  });

  it('keeps wallets the store index does not show yet (it lags writes) in every later search', async () => {
    const chain = new IndexedChain({ [SEED]: [120], [A]: [12_000] });
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20, windowBlocks: 10_000 });
    await planner.plan(request(100, 50_000));
    planner.rememberTainted('case-1', 'run-1', [A]);
    expect(await planner.plan(request(121, 50_000, [SEED]))).toEqual({ kind: 'quiet', through: 10_099 });
    // A new window: the index still lags, the request only has the seed; A is searched all the same.
    expect(await planner.plan(request(10_100, 50_000, [SEED]))).toMatchObject({ kind: 'read', from: 12_000 });
    expect(new Set(chain.queries[2]?.wallets)).toEqual(new Set([SEED, A]));
  });

  it('forgets what it learned when the backfill restarts or its seeds change', async () => {
    const chain = new IndexedChain({ [SEED]: [120], [A]: [130] });
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20, mergeGapBlocks: 0 });
    await planner.plan(request(100, 1_000));
    planner.rememberTainted('case-1', 'run-1', [A]);
    expect(await planner.plan(request(100, 1_000, [SEED], 'run-2'))).toMatchObject({ from: 120, to: 120 });
    expect(chain.queries[1]?.wallets).toEqual([SEED]);
    expect(planner.knownWallets('case-1', 'run-1')).toEqual(new Set());
    planner.forget('case-1');
    expect(planner.knownWallets('case-1', 'run-2')).toEqual(new Set());
  });

  it('scans range by range when the node cannot find native value by address, or no index is wired', async () => {
    const chain = new IndexedChain({ [SEED]: [120] });
    chain.indexed = false;
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20 });
    expect(await planner.plan(request(100, 1_000))).toEqual({
      kind: 'read',
      from: 100,
      to: 119,
      search: 'scan',
      scanReason: 'the node has no trace_filter',
    });
    expect(await planner.plan(request(995, 1_000))).toMatchObject({ from: 995, to: 1_000, search: 'scan' });
    const unwired = new BackfillPlanner(undefined, { maxBlocksPerRange: 20 });
    expect(await unwired.plan(request(100, 1_000))).toMatchObject({
      kind: 'read',
      from: 100,
      to: 119,
      search: 'scan',
    });
  });

  it('uses what a failed search found, and shrinks the window; where nothing can be searched, it scans', async () => {
    const chain = new IndexedChain({ [SEED]: [150, 700] });
    chain.failAt = 600;
    const planner = new BackfillPlanner(chain, { maxBlocksPerRange: 20, windowBlocks: 1_000 });
    expect(await planner.plan(request(100, 5_000))).toMatchObject({ kind: 'read', from: 150, to: 150 });
    expect(planner.windowBlocks).toBe(500);
    expect(await planner.plan(request(151, 5_000))).toEqual({ kind: 'quiet', through: 599 });
    // Nothing searchable from 600: the window shrinks each time, then the blocks are read one by one.
    const plans = [];
    for (let i = 0; i < 6; i++) plans.push(await planner.plan(request(600, 5_000)));
    expect(plans.slice(0, 5).map((plan) => plan.kind)).toEqual(Array(5).fill('unsearchable'));
    expect(plans[0]).toMatchObject({ unreadable: { from: 600, reason: 'rpc-error' } });
    expect(plans[5]).toMatchObject({ kind: 'read', from: 600, to: 619, search: 'scan' });
    expect((plans[5] as { scanReason: string }).scanReason).toMatch(/missing trie node/);
    // Searches succeed again: the window grows back.
    chain.failAt = undefined;
    expect(await planner.plan(request(620, 5_000))).toEqual({ kind: 'quiet', through: 639 });
    expect(planner.windowBlocks).toBe(40);
    expect(await planner.plan(request(640, 5_000))).toEqual({ kind: 'quiet', through: 679 });
    expect(await planner.plan(request(680, 5_000))).toMatchObject({ kind: 'read', from: 700 });
    expect(planner.windowBlocks).toBe(160);
  });

  it('refuses a plan for nothing', async () => {
    const planner = new BackfillPlanner(new IndexedChain({}), { maxBlocksPerRange: 20 });
    await expect(planner.plan(request(101, 100))).rejects.toThrow(/nothing to plan/);
    expect(() => new BackfillPlanner(undefined, { maxBlocksPerRange: 0 })).toThrow(/maxBlocksPerRange/);
  });
});

import type { ActivityQuery, ActivitySearch } from '../chain/activity-finder.ts';
import type { UnreadableRange } from '../chain/range-read.ts';
import type { Address } from '../domain/address.ts';

/** Port: where a case's wallets were active (the chain reader answers with the node's indexes). */
export interface ActivitySource {
  findActivity(query: ActivityQuery): Promise<ActivitySearch>;
}

export interface BackfillPlannerOptions {
  /** Longest range the chain source reads at once (the ingester's maxBlocksPerRange). */
  readonly maxBlocksPerRange: number;
  /** Blocks searched for activity at once; halved after a failed search, doubled back after a good one. Default 10,000. */
  readonly windowBlocks?: number;
  /**
   * Active blocks at most this many blocks apart are read as one range: a few quiet blocks cost less to
   * read than another step (a store round trip, progress written, the cases reloaded). Default 10.
   */
  readonly mergeGapBlocks?: number;
}

export interface PlanRequest {
  readonly caseId: string;
  /**
   * One tracing of the case's history (its seeds and start block): when it changes, the backfill
   * restarted or its seeds changed, and what was learned about the previous one is dropped.
   */
  readonly run: string;
  /** First block not yet traced: the block after `doneThrough`. */
  readonly start: number;
  /** The live checkpoint: where the backfill hands over. */
  readonly target: number;
  /** The case's seeds and tainted wallets as the ingester knows them now. */
  readonly wallets: ReadonlySet<Address>;
  readonly tokens: readonly Address[];
}

/**
 * What the next backfill step does, from `start`:
 *  - quiet:  nothing of the case happens in start..through: record it as done, read nothing;
 *  - read:   read and trace from..to; start..from-1 is quiet (`targeted`), or nothing could be skipped
 *            because the node cannot find native value by address (`scan`, the fallback);
 *  - unsearchable: the activity search failed at `start`; nothing is done (the next step retries with
 *            a smaller window, and scans once the window is as small as a range).
 */
export type BackfillPlan =
  | { readonly kind: 'quiet'; readonly through: number }
  | {
      readonly kind: 'read';
      readonly from: number;
      readonly to: number;
      readonly search: 'targeted' | 'scan';
      /** Why the range is scanned rather than targeted. */
      readonly scanReason?: string;
    }
  | { readonly kind: 'unsearchable'; readonly unreadable: UnreadableRange };

/** What is known of one case's activity: its active blocks over from..through, for the wallets searched. */
interface CaseActivity {
  readonly run: string;
  /** Wallets whose activity over from..through is in `active`. */
  readonly searched: Set<Address>;
  /** Wallets known to be the case's in this run, searched or not (see `rememberTainted`). */
  readonly known: Set<Address>;
  from: number;
  through: number;
  /** Ascending, within from..through. */
  active: number[];
}

const DEFAULT_WINDOW_BLOCKS = 10_000;
const DEFAULT_MERGE_GAP_BLOCKS = 10;

/**
 * Decides which blocks of a case's history must be read. Thefts are traced back over weeks of blocks in
 * which the thief's wallets do something in a handful: the planner asks the node where the case's wallets
 * sent or received value (ActivitySource) and skips the rest, falling back to reading every block where
 * the node cannot say (no trace_filter).
 *
 * Why skipping is exact: the tracer only acts on transfers from or to a seed or a tainted wallet (see
 * traceRange), so a block where none of them sends or receives a followed asset changes nothing. The set
 * grows as the trace goes: a range that taints a new wallet is followed by a search for that wallet's
 * activity from the next block on, and that is enough: before it was tainted, its inflows are not the
 * case's (the ledger starts at the taint), and inside the range that tainted it the ingester re-reads
 * the range with it watched. Activity searched for a set stays valid for a bigger set over the same
 * blocks, so only the new wallets are searched.
 *
 * Not a pure function (it calls the source), but it holds no I/O of its own and never writes.
 */
export class BackfillPlanner {
  readonly #source: ActivitySource | undefined;
  readonly #maxBlocksPerRange: number;
  readonly #maxWindow: number;
  readonly #mergeGap: number;
  readonly #cases = new Map<string, CaseActivity>();
  #window: number;

  constructor(source: ActivitySource | undefined, options: BackfillPlannerOptions) {
    this.#source = source;
    this.#maxBlocksPerRange = positive(options.maxBlocksPerRange, 'maxBlocksPerRange');
    this.#maxWindow = positive(options.windowBlocks ?? DEFAULT_WINDOW_BLOCKS, 'windowBlocks');
    this.#mergeGap = nonNegative(options.mergeGapBlocks ?? DEFAULT_MERGE_GAP_BLOCKS, 'mergeGapBlocks');
    this.#window = this.#maxWindow;
  }

  /** Blocks searched at once now (for tests and metrics). */
  get windowBlocks(): number {
    return this.#window;
  }

  /**
   * Wallets the case tainted in this run, as traced by this ingester: the store's index of tainted
   * wallets can lag a write, and a wallet missing from the next step's set would have its activity
   * skipped. The ingester merges these into the case's tainted set (a superset is safe: wallets are
   * loaded through the session, which knows what was really stored).
   */
  knownWallets(caseId: string, run: string): ReadonlySet<Address> {
    const state = this.#cases.get(caseId);
    return state && state.run === run ? state.known : new Set();
  }

  /** Wallets a traced range tainted: their activity is searched at the next plan. */
  rememberTainted(caseId: string, run: string, wallets: Iterable<Address>): void {
    let state = this.#cases.get(caseId);
    if (!state || state.run !== run) {
      state = { run, searched: new Set(), known: new Set(), from: 0, through: -1, active: [] };
      this.#cases.set(caseId, state);
    }
    for (const wallet of wallets) state.known.add(wallet);
  }

  /** The backfill restarts (history traced again from its start): nothing known holds any more. */
  forget(caseId: string): void {
    this.#cases.delete(caseId);
  }

  async plan(request: PlanRequest): Promise<BackfillPlan> {
    const { caseId, run, start, target } = request;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(target) || start < 0 || target < start) {
      throw new RangeError(`nothing to plan: blocks ${start}..${target}`);
    }
    const previous = this.#cases.get(caseId);
    const wallets = new Set<Address>(request.wallets);
    if (previous && previous.run === run) for (const wallet of previous.known) wallets.add(wallet);
    if (!this.#source) return this.#scan(start, target, 'the chain source cannot search activity');

    let state = previous && previous.run === run ? previous : undefined;
    if (state && start >= state.from && start <= state.through) {
      const unsearched = [...wallets].filter((wallet) => !state?.searched.has(wallet));
      if (unsearched.length > 0) {
        const found = await this.#source.findActivity({
          from: start,
          to: state.through,
          wallets: unsearched,
          tokens: request.tokens,
        });
        if (!found.indexed) return this.#scan(start, target, found.reason);
        if (found.searchedThrough < start) return this.#searchFailed(start, target, found);
        state.through = found.searchedThrough;
        state.active = mergeSorted(
          state.active.filter((block) => block >= start && block <= found.searchedThrough),
          found.activeBlocks,
        );
        for (const wallet of unsearched) state.searched.add(wallet);
      }
      state.active = state.active.filter((block) => block >= start);
      state.from = start;
    } else {
      const windowEnd = Math.min(target, start + this.#window - 1);
      const found = await this.#source.findActivity({
        from: start,
        to: windowEnd,
        wallets,
        tokens: request.tokens,
      });
      if (!found.indexed) return this.#scan(start, target, found.reason);
      if (found.searchedThrough < start) return this.#searchFailed(start, target, found);
      // A window searched only in part is halved for next time; a whole one lets the window grow back.
      this.#window = found.unsearchable
        ? Math.max(1, Math.floor(this.#window / 2))
        : Math.min(this.#maxWindow, this.#window * 2);
      state = {
        run,
        searched: wallets,
        known: new Set([...wallets, ...(previous?.run === run ? previous.known : [])]),
        from: start,
        through: found.searchedThrough,
        active: [...found.activeBlocks],
      };
      this.#cases.set(caseId, state);
    }
    for (const wallet of wallets) state.known.add(wallet);

    const first = state.active[0];
    if (first === undefined) return { kind: 'quiet', through: state.through };
    let to = first;
    for (const block of state.active) {
      if (block - to > this.#mergeGap + 1 || block - first + 1 > this.#maxBlocksPerRange) break;
      to = block;
    }
    return { kind: 'read', from: first, to, search: 'targeted' };
  }

  #scan(start: number, target: number, reason: string): BackfillPlan {
    return {
      kind: 'read',
      from: start,
      to: Math.min(target, start + this.#maxBlocksPerRange - 1),
      search: 'scan',
      scanReason: reason,
    };
  }

  /**
   * Nothing could be searched from `start`. Maybe the query was too heavy for the node (trace_filter over
   * a busy span can time out): the window is halved and the next step retries. Once it is no bigger than
   * a range, the range is read block by block instead, which does not depend on the node's indexes.
   */
  #searchFailed(start: number, target: number, found: ActivitySearch & { indexed: true }): BackfillPlan {
    if (this.#window <= this.#maxBlocksPerRange) {
      return this.#scan(
        start,
        target,
        `the activity search failed: ${found.unsearchable?.message ?? 'unknown'}`,
      );
    }
    this.#window = Math.max(this.#maxBlocksPerRange, Math.floor(this.#window / 2));
    return { kind: 'unsearchable', unreadable: found.unsearchable as UnreadableRange };
  }
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}

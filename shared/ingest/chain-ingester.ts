import type { ActivityQuery, ActivitySearch } from '../chain/activity-finder.ts';
import type { HeadTag } from '../chain/block-reader.ts';
import type { BlockHeader, RangeRead, ReadScope, UnreadableRange } from '../chain/range-read.ts';
import type { Address } from '../domain/address.ts';
import type { Case } from '../domain/case.ts';
import type { ChainInfo } from '../domain/chain.ts';
import type { LabelDirectory } from '../domain/label.ts';
import { depositAddressLabel } from '../domain/tracer.ts';
import type { TokenAllowList } from '../labels/tokens.ts';
import { BackfillChangedError, CheckpointConflictError } from '../store/errors.ts';
import { type BackfillProgress, type Checkpoint, type Store, toDomainCase } from '../store/repository.ts';
import { type RangeOutcome, saveRangeWallets, type TrackedCase, traceRange } from './apply-range.ts';
import { type ActivitySource, BackfillPlanner } from './backfill-planner.ts';
import { ChainWentBackwardsError, DeepReorgError } from './errors.ts';
import { LearnedLabels, type RangeLabelView } from './range-labels.ts';

/** What the ingester reads a chain through (the chain reader implements it). */
export interface ChainSource {
  headBlock(tag?: HeadTag): Promise<BlockHeader>;
  readRange(from: number, to: number, scope: ReadScope): Promise<RangeRead>;
  /** Where wallets were active, from the node's indexes; absent: backfills read every block. */
  findActivity?(query: ActivityQuery): Promise<ActivitySearch>;
}

/**
 * How deep a block must be before it is processed (DESIGN invariant 3): a number of confirmations,
 * or the chain's own `safe`/`finalized` tag.
 */
export type Finality = { readonly confirmations: number } | { readonly tag: 'safe' | 'finalized' };

export interface ChainIngesterOptions {
  readonly chain: ChainInfo;
  readonly source: ChainSource;
  readonly store: Store;
  /** Built-in labels; learned and agency labels from the store are layered over them. */
  readonly labels: LabelDirectory;
  readonly tokens: TokenAllowList;
  /** EIP-55 checksumming for alerts. */
  readonly formatAddress: (address: Address) => string;
  readonly finality: Finality;
  readonly maxBlocksPerRange: number;
  /** Where a chain never processed starts; default: its current safe head (history is backfill's job). */
  readonly startBlock?: number;
}

export type IngestStep =
  | { readonly status: 'caught-up'; readonly checkpoint: number | null; readonly lagBlocks: number }
  | {
      readonly status: 'processed';
      readonly from: number;
      readonly to: number;
      /** Fewer than asked when the reader stopped early; the rest is retried next step. */
      readonly requestedTo: number;
      readonly transfers: number;
      readonly alertsStored: number;
      readonly alertsReplayed: number;
      readonly walletsRead: number;
      readonly walletsWritten: number;
      readonly lagBlocks: number;
      readonly unreadable: UnreadableRange | undefined;
    }
  | {
      readonly status: 'unreadable';
      readonly from: number;
      readonly unreadable: UnreadableRange;
      readonly lagBlocks: number;
    };

export type BackfillStep =
  | { readonly status: 'idle' }
  | {
      readonly status: 'backfilled';
      readonly caseId: string;
      readonly from: number;
      readonly to: number;
      readonly target: number;
      readonly complete: boolean;
      readonly alertsStored: number;
      /** Blocks read this step: 0 when the whole span was found quiet. */
      readonly blocksRead: number;
      /** How the blocks to read were chosen: by the node's indexes, or every block (the fallback). */
      readonly search: 'targeted' | 'scan';
    }
  | { readonly status: 'unreadable'; readonly caseId: string; readonly unreadable: UnreadableRange };

/** A case tracing its history, with its progress as last stored. */
interface BackfillEntry {
  readonly tracked: TrackedCase;
  progress: BackfillProgress;
}

interface TrackedCases {
  readonly epoch: number;
  /** Cases traced live on this chain, and those still tracing their history (excluded from live). */
  readonly live: TrackedCase[];
  readonly backfilling: BackfillEntry[];
  /** Every address any live case follows: the chain reader's scope. */
  readonly watched: Set<Address>;
}

/**
 * Follows one chain: from the checkpoint to the confirmed head in ranges, each range read, traced for
 * every open case, stored, and only then checkpointed (invariants 1-3). It is the chain's only writer
 * (reserved concurrency 1 in AWS, one loop locally), and also runs the chain's backfills, so that live
 * ranges and history ranges of the same case never overlap.
 */
export class ChainIngester {
  readonly #options: ChainIngesterOptions;
  readonly #learned: LearnedLabels;
  #cases: TrackedCases | undefined;
  #planner: BackfillPlanner | undefined;

  constructor(options: ChainIngesterOptions) {
    this.#options = options;
    this.#learned = new LearnedLabels(options.labels);
  }

  get chainName(): string {
    return this.#options.chain.name;
  }

  /** The block the chain may be processed up to now. */
  async confirmedHead(): Promise<number> {
    const { source, finality } = this.#options;
    if ('tag' in finality) return (await source.headBlock(finality.tag)).number;
    return Math.max(0, (await source.headBlock('latest')).number - finality.confirmations);
  }

  /** Processes at most one range of live blocks. */
  async step(): Promise<IngestStep> {
    const { store, chain, maxBlocksPerRange } = this.#options;
    const checkpoint = await store.getCheckpoint(chain.name);
    const cases = await this.#trackedCases(checkpoint);
    const head = await this.confirmedHead();
    if (checkpoint.block !== null && head < checkpoint.block && checkpoint.inFlightTo === null) {
      throw new ChainWentBackwardsError(chain.name, checkpoint.block, head);
    }
    let from: number;
    let to: number;
    if (checkpoint.block === null) {
      // The very first range is a single block: recorded as in flight, it is redone exactly after a
      // crash, even though the head (and so a default start) has moved on since.
      from = checkpoint.inFlightTo ?? this.#options.startBlock ?? head;
      to = checkpoint.inFlightTo ?? (from <= head ? from : from - 1);
    } else {
      from = checkpoint.block + 1;
      // After a crash, redo exactly the range that was in flight (see the store's wallet protocol).
      to = checkpoint.inFlightTo ?? Math.min(from + maxBlocksPerRange - 1, head);
    }
    if (to < from) {
      return {
        status: 'caught-up',
        checkpoint: checkpoint.block,
        lagBlocks: Math.max(0, head - (checkpoint.block ?? head)),
      };
    }
    if (checkpoint.inFlightTo === null) await store.startRange(chain.name, checkpoint.block, to);

    const read = await this.#options.source.readRange(from, to, this.#scope(cases.live, cases.watched));
    const lagBlocks = Math.max(0, head - Math.max(from - 1, read.readThrough));
    if (read.readThrough < from) {
      return { status: 'unreadable', from, unreadable: read.unreadable as UnreadableRange, lagBlocks };
    }
    this.#checkContinuity(checkpoint, read);

    const result = await this.#traceAndStore(from, read, cases.live, cases.watched);
    if (result.kind === 'unreadable')
      return { status: 'unreadable', from, unreadable: result.unreadable, lagBlocks };
    const { outcome, saved } = result;
    const final = result.read;
    const last = final.blocks[final.blocks.length - 1] as BlockHeader;
    // What the range taught (new wallets, learned labels) is kept before the checkpoint moves: if the
    // write's answer is lost, the next step must still follow them. Should the range be redone instead,
    // knowing them early is harmless (absent wallets load as absent; labels stay hidden for the range).
    this.#commit(outcome, cases.live, cases.watched);
    await this.#advanceCheckpoint(checkpoint.block, final.readThrough, last.hash);
    return {
      status: 'processed',
      from,
      to: final.readThrough,
      requestedTo: to,
      transfers: final.transfers.length,
      alertsStored: saved.stored.length,
      alertsReplayed: saved.existing.length,
      walletsRead: outcome.walletsRead,
      walletsWritten: outcome.walletsWritten,
      lagBlocks,
      unreadable: final.unreadable,
    };
  }

  /**
   * Traces history for one case that asked for it (a seed added with `fromBlock`), chasing the live
   * checkpoint. When it reaches it, the case joins live ingestion at the very next block: no gap, and no
   * block counted twice, because live ranges skip the case until then.
   *
   * Each step does one of: records a span where none of the case's wallets does anything as done (the
   * node's indexes said so, see BackfillPlanner); reads and traces the next active blocks as one range,
   * recording the quiet blocks before them as done too; or, where the node cannot find native transfers
   * by address, reads the next range block by block (the fallback). Ranges move forward and start after
   * `doneThrough`, which is all the wallet protocol needs: skipped blocks hold no write.
   */
  async backfillStep(): Promise<BackfillStep> {
    try {
      return await this.#backfillStep();
    } catch (error) {
      // Another writer (the API) restarted the backfill: the next step takes it from the store.
      if (error instanceof BackfillChangedError) return { status: 'idle' };
      throw error;
    }
  }

  async #backfillStep(): Promise<BackfillStep> {
    const { store, chain } = this.#options;
    const checkpoint = await store.getCheckpoint(chain.name);
    const cases = await this.#trackedCases(checkpoint);
    const next = cases.backfilling[0];
    if (!next || checkpoint.block === null) return { status: 'idle' };
    const { tracked, progress } = next;
    const caseId = tracked.caseDef.id;
    const target = checkpoint.block;
    const planner = this.#backfillPlanner();

    if (progress.doneThrough === null) {
      // History changes everything the case found since: it is traced again from the start.
      await store.resetCaseWallets(caseId, chain.name);
      tracked.tainted.clear();
      planner.forget(caseId);
    }
    const start = progress.doneThrough === null ? progress.fromBlock : progress.doneThrough + 1;
    const done = (doneThrough: number) =>
      this.#recordBackfill(next, { ...progress, toBlock: target, doneThrough });
    if (target < start) {
      await done(target);
      return {
        status: 'backfilled',
        caseId,
        from: start,
        to: target,
        target,
        complete: true,
        alertsStored: 0,
        blocksRead: 0,
        search: 'targeted',
      };
    }

    const seeds = new Set(
      tracked.caseDef.seeds.filter((seed) => seed.chain === chain.name).map((seed) => seed.address),
    );
    const run = `${progress.fromBlock}:${[...seeds].sort().join(',')}`;
    // The store's index of tainted wallets may not show what the last steps wrote yet: add what this
    // ingester traced itself, or a wallet tainted a moment ago would have its next moves skipped.
    for (const wallet of planner.knownWallets(caseId, run))
      if (!seeds.has(wallet)) tracked.tainted.add(wallet);
    const watched = this.#watchedBy([tracked]);
    const scope = this.#scope([tracked], watched);
    const plan = await planner.plan({ caseId, run, start, target, wallets: watched, tokens: scope.tokens });
    if (plan.kind === 'unsearchable') return { status: 'unreadable', caseId, unreadable: plan.unreadable };
    if (plan.kind === 'quiet') {
      await done(plan.through);
      return {
        status: 'backfilled',
        caseId,
        from: start,
        to: plan.through,
        target,
        complete: plan.through === target,
        alertsStored: 0,
        blocksRead: 0,
        search: 'targeted',
      };
    }

    // Blocks before plan.from are quiet: done even when the range itself cannot be read this time.
    const quietPrefixDone = async () => {
      if (plan.from > start) await done(plan.from - 1);
    };
    const first = await this.#options.source.readRange(plan.from, plan.to, scope);
    if (first.readThrough < plan.from) {
      await quietPrefixDone();
      return { status: 'unreadable', caseId, unreadable: first.unreadable as UnreadableRange };
    }
    const result = await this.#traceAndStore(plan.from, first, [tracked], watched);
    if (result.kind === 'unreadable') {
      await quietPrefixDone();
      return { status: 'unreadable', caseId, unreadable: result.unreadable };
    }
    const { outcome, saved, read } = result;
    this.#commit(outcome, [tracked], undefined);
    planner.rememberTainted(
      caseId,
      run,
      outcome.newlyTainted.filter((entry) => entry.caseId === caseId).map((entry) => entry.address),
    );
    await done(read.readThrough);
    return {
      status: 'backfilled',
      caseId,
      from: start,
      to: read.readThrough,
      target,
      complete: read.readThrough === target,
      alertsStored: saved.stored.length,
      blocksRead: read.readThrough - plan.from + 1,
      search: plan.search,
    };
  }

  /** One planner per ingester: it remembers, per case, where the case's wallets were found active. */
  #backfillPlanner(): BackfillPlanner {
    if (!this.#planner) {
      const { source, maxBlocksPerRange } = this.#options;
      this.#planner = new BackfillPlanner(source.findActivity ? (source as ActivitySource) : undefined, {
        maxBlocksPerRange,
      });
    }
    return this.#planner;
  }

  /**
   * A conflict can be this very write, retried by the SDK after its first attempt landed and the
   * answer was lost: then the checkpoint already says exactly what was asked, and that is success.
   */
  async #advanceCheckpoint(expected: number | null, block: number, hash: string): Promise<void> {
    const { store, chain } = this.#options;
    try {
      await store.advanceCheckpoint(chain.name, expected, block, hash);
    } catch (error) {
      if (error instanceof CheckpointConflictError) {
        const now = await store.getCheckpoint(chain.name);
        if (now.block === block && now.blockHash === hash && now.inFlightTo === null) return;
      }
      throw error;
    }
  }

  /**
   * Stores the progress, unless the backfill was changed meanwhile (a seed added with an earlier
   * block restarts it): then the cache is dropped and the next step starts over from the store. A
   * backfill that reached the live checkpoint joins live ingestion at once, in this ingester's cache:
   * its next block is the next live range's first.
   */
  async #recordBackfill(entry: BackfillEntry, progress: BackfillProgress): Promise<void> {
    const { store, chain } = this.#options;
    const next: BackfillProgress = { ...progress, updatedAt: new Date().toISOString() };
    try {
      await store.setBackfillProgress(entry.tracked.caseDef.id, chain.name, next, entry.progress);
    } catch (error) {
      if (error instanceof BackfillChangedError) this.#cases = undefined;
      throw error;
    }
    entry.progress = next;
    const cases = this.#cases;
    if (cases && isBackfillComplete(next)) {
      const at = cases.backfilling.indexOf(entry);
      if (at >= 0) cases.backfilling.splice(at, 1);
      cases.live.push(entry.tracked);
      for (const address of this.#watchedBy([entry.tracked])) cases.watched.add(address);
    }
  }

  /**
   * Traces the range and stores what it found. The reader only reads native and internal transfers of
   * transactions that touch a watched wallet; when the range taints a new wallet that is itself active
   * later in the range (a peel chain inside a few blocks), the range is read again with it watched and
   * traced again from the stored state, until no new wallet appears. Then everything is written: wallets,
   * evidence, learned labels, alerts; the caller advances the checkpoint last.
   */
  async #traceAndStore(
    from: number,
    firstRead: RangeRead,
    cases: readonly TrackedCase[],
    watched: Set<Address>,
  ) {
    const { store, chain, tokens, formatAddress } = this.#options;
    let read = firstRead;
    let traced: Awaited<ReturnType<typeof traceRange>>;
    let labels: RangeLabelView;
    const scope = this.#scope(cases, new Set(watched));
    const growing = scope.watched as Set<Address>;
    for (;;) {
      labels = this.#learned.asOfRange(from);
      traced = await traceRange({
        store,
        chain,
        range: { from, to: read.readThrough },
        transfers: read.transfers,
        cases,
        labels,
        tokensOf: (caseDef: Case) => tokens.withCaseTokens(caseDef.extraTokens),
        formatAddress,
      });
      const unseen = traced.newlyTainted.filter(({ address }) => !growing.has(address));
      if (unseen.length === 0) break;
      for (const { address } of unseen) growing.add(address);
      const again = await this.#options.source.readRange(from, read.readThrough, scope);
      if (again.readThrough < from)
        return { kind: 'unreadable' as const, unreadable: again.unreadable as UnreadableRange };
      read = again;
    }
    // Evidence before alerts, alerts before the checkpoint: a crash anywhere replays the range.
    await saveRangeWallets(traced);
    await store.saveEdges(traced.edges);
    for (const learned of traced.learned) await store.saveLearnedDepositAddress(learned);
    const saved = await store.saveAlerts(traced.alerts);
    return { kind: 'stored' as const, outcome: traced, saved, read };
  }

  #commit(outcome: RangeOutcome, cases: readonly TrackedCase[], watched: Set<Address> | undefined): void {
    for (const learned of outcome.learned) {
      this.#learned.remember(
        learned.chain,
        learned.address,
        depositAddressLabel(learned),
        learned.blockNumber,
      );
    }
    const byId = new Map(cases.map((tracked) => [tracked.caseDef.id, tracked]));
    for (const { caseId, address } of outcome.newlyTainted) {
      byId.get(caseId)?.tainted.add(address);
      watched?.add(address);
    }
  }

  #scope(cases: readonly TrackedCase[], watched: Set<Address>): ReadScope {
    const { tokens, chain } = this.#options;
    const addresses = new Set<Address>(tokens.tokensOf(chain.name).map((token) => token.address));
    for (const tracked of cases) {
      for (const token of tracked.caseDef.extraTokens[chain.name] ?? []) addresses.add(token.address);
    }
    return { tokens: [...addresses], watched };
  }

  #watchedBy(cases: readonly TrackedCase[]): Set<Address> {
    const watched = new Set<Address>();
    for (const tracked of cases) {
      for (const address of tracked.tainted) watched.add(address);
      for (const seed of tracked.caseDef.seeds)
        if (seed.chain === this.#options.chain.name) watched.add(seed.address);
    }
    return watched;
  }

  /** Confirmed blocks cannot reorganize; if they did, the chain forked deeper than the finality setting. */
  #checkContinuity(checkpoint: Checkpoint, read: RangeRead): void {
    const first = read.blocks[0];
    if (checkpoint.blockHash && first && first.number === (checkpoint.block ?? -1) + 1) {
      if (first.parentHash !== checkpoint.blockHash) {
        throw new DeepReorgError(
          this.#options.chain.name,
          checkpoint.block as number,
          checkpoint.blockHash,
          first.parentHash,
        );
      }
    }
  }

  /**
   * Cases and their tainted sets, cached until the chain's taint epoch moves (the API bumps it when
   * seeds change; backfills bump it on progress). One read per step keeps the cache fresh.
   */
  async #trackedCases(checkpoint: Checkpoint): Promise<TrackedCases> {
    if (this.#cases && this.#cases.epoch === checkpoint.taintEpoch) return this.#cases;
    const { store, chain } = this.#options;
    const open = (await store.loadOpenCases()).filter((entry) =>
      entry.seeds.some((seed) => seed.chain === chain.name),
    );
    const tainted = await store.loadTaintedAddresses(
      chain.name,
      open.map((entry) => entry.record.id),
    );
    // The index lags writes: a wallet this ingester tainted a moment ago may not be in it yet, and
    // missing it would hide its next outflow. What was known before the reload is kept.
    const known = new Map<string, Set<Address>>();
    for (const tracked of [
      ...(this.#cases?.live ?? []),
      ...(this.#cases?.backfilling ?? []).map((entry) => entry.tracked),
    ]) {
      known.set(tracked.caseDef.id, tracked.tainted);
    }
    const live: TrackedCase[] = [];
    const backfilling: TrackedCases['backfilling'] = [];
    for (const entry of open) {
      const fromIndex = tainted.get(entry.record.id) ?? new Set<Address>();
      for (const address of known.get(entry.record.id) ?? []) fromIndex.add(address);
      const tracked: TrackedCase = { caseDef: toDomainCase(entry), tainted: fromIndex };
      const progress = entry.record.backfill[chain.name];
      if (progress && !isBackfillComplete(progress)) backfilling.push({ tracked, progress });
      else live.push(tracked);
    }
    await this.#loadStoredLabels();
    this.#cases = {
      epoch: checkpoint.taintEpoch,
      live,
      backfilling: backfilling.sort((a, b) => (a.progress.updatedAt < b.progress.updatedAt ? -1 : 1)),
      watched: this.#watchedBy(live),
    };
    return this.#cases;
  }

  /** Adds what the store knows; labels learned here stay, even if the index has not caught up. */
  async #loadStoredLabels(): Promise<void> {
    const { store, chain } = this.#options;
    for (const stored of await store.loadLabels(chain.name)) {
      // Agency labels hold from the start; learned ones from the block that revealed them.
      const since = stored.origin === 'agency' ? -1 : (stored.blockNumber ?? -1);
      this.#learned.remember(stored.chain, stored.address, stored.label, since);
    }
  }
}

export function isBackfillComplete(progress: BackfillProgress): boolean {
  return progress.doneThrough !== null && progress.doneThrough >= progress.toBlock;
}

/**
 * The store port: what the ingester, the publisher and the API ask of persistent state, in the
 * investigator's terms. Plain types only; the DynamoDB adapter (`dynamodb-store.ts`) implements it.
 */
import type { Address } from '../domain/address.ts';
import type { Alert, AlertKind, Severity } from '../domain/alert.ts';
import type { Case, TaintModel } from '../domain/case.ts';
import type { TokenInfo } from '../domain/chain.ts';
import type { Label } from '../domain/label.ts';
import type { TaintedWallet } from '../domain/taint-ledger.ts';
import type { FlowEdge, LearnedDepositAddress } from '../domain/tracer.ts';

/** One page of a list; `cursor` is opaque (base64url) and absent on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

export interface PageRequest {
  /** From a previous page; validated (a cursor of another list or another case is rejected). */
  readonly cursor?: string;
  /** 1..1000; the default is 100. A page may hold fewer items when a filter drops some. */
  readonly limit?: number;
}

/** Who did something, and when (ISO-8601): recorded on every change (audit trail). */
export interface Actor {
  readonly by: string;
  readonly at: string;
}

// ---------------------------------------------------------------------------------------------- cases

export type CaseStatus = 'open' | 'closed';

/** What an agency can set on a case; seeds are separate records. */
export interface CaseDefinition {
  readonly name: string;
  readonly model: TaintModel;
  readonly maxHops: number;
  readonly minAmounts: Readonly<Record<string, bigint>>;
  readonly extraTokens: Readonly<Record<string, readonly TokenInfo[]>>;
}

/** Tracing of a seed's history, per chain: blocks [fromBlock, toBlock], done through `doneThrough`. */
export interface BackfillProgress {
  readonly fromBlock: number;
  readonly toBlock: number;
  /** Last block fully traced; null before the first range is done. */
  readonly doneThrough: number | null;
  readonly updatedAt: string;
}

export interface StoredCase extends CaseDefinition {
  readonly id: string;
  readonly status: CaseStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Per chain name. */
  readonly backfill: Readonly<Record<string, BackfillProgress>>;
}

export type CaseChanges = Partial<CaseDefinition & { readonly status: CaseStatus }>;

export interface SeedRecord {
  readonly caseId: string;
  readonly chain: string;
  readonly address: Address;
  readonly note: string | null;
  /** Trace history from this block (backfill); null: from the live checkpoint on. */
  readonly fromBlock: number | null;
  readonly addedBy: string;
  readonly addedAt: string;
}

export interface NewSeed {
  readonly chain: string;
  readonly address: Address;
  readonly note?: string | null;
  readonly fromBlock?: number | null;
}

export interface CaseWithSeeds {
  readonly record: StoredCase;
  readonly seeds: readonly SeedRecord[];
}

export interface CaseRepository {
  /** Throws CaseExistsError when the id is taken. */
  createCase(id: string, definition: CaseDefinition, actor: Actor): Promise<StoredCase>;
  getCase(id: string): Promise<StoredCase | undefined>;
  /** Newest first. */
  listCases(options?: PageRequest & { readonly status?: CaseStatus }): Promise<Page<StoredCase>>;
  /** Throws CaseNotFoundError. Returns the case as stored after the change. */
  updateCase(id: string, changes: CaseChanges, actor: Actor): Promise<StoredCase>;
  /** Throws CaseNotFoundError. */
  /**
   * With `expected`, only if the stored progress is still that one (same fromBlock and updatedAt):
   * a seed added meanwhile restarts the backfill, and the worker must not overwrite that. Throws
   * BackfillChangedError then.
   */
  setBackfillProgress(
    caseId: string,
    chain: string,
    progress: BackfillProgress,
    expected?: BackfillProgress,
  ): Promise<void>;
  /**
   * Every open case with all its seeds: what the ingester traces. Cases come from the index, which
   * can lag a write by a moment (seeds are read consistently): reload on a timer as well as when the
   * taint epoch moves.
   */
  loadOpenCases(): Promise<CaseWithSeeds[]>;

  /**
   * Throws CaseNotFoundError, SeedExistsError. Bumps the chain's taint epoch after the seed is stored,
   * so the chain's ingester reloads its cases and tainted set.
   */
  addSeed(caseId: string, seed: NewSeed, actor: Actor): Promise<SeedRecord>;
  /** Throws SeedNotFoundError. Bumps the chain's taint epoch. */
  removeSeed(caseId: string, chain: string, address: Address, actor: Actor): Promise<void>;
  getSeed(caseId: string, chain: string, address: Address): Promise<SeedRecord | undefined>;
  listSeeds(caseId: string, options?: PageRequest): Promise<Page<SeedRecord>>;
}

/** The domain's Case built from what is stored. */
export function toDomainCase({ record, seeds }: CaseWithSeeds): Case {
  return {
    id: record.id,
    name: record.name,
    seeds: seeds.map((seed) => ({ chain: seed.chain, address: seed.address })),
    model: record.model,
    maxHops: record.maxHops,
    minAmounts: record.minAmounts,
    extraTokens: record.extraTokens,
  };
}

// ------------------------------------------------------------------------------------- audit trail

export interface AuditEntry {
  readonly caseId: string;
  readonly at: string;
  readonly by: string;
  /** What happened, e.g. "case.created", "seed.added". */
  readonly action: string;
  /** What changed, as plain JSON (no bigints). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditRepository {
  /** Called by the case and seed methods themselves; exposed for changes made elsewhere (labels...). */
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Oldest first. */
  listAudit(caseId: string, options?: PageRequest): Promise<Page<AuditEntry>>;
}

// --------------------------------------------------------------------------------- tainted wallets

/** Inclusive block range of one ingestion step on one chain. */
export interface BlockRange {
  readonly from: number;
  readonly to: number;
}

export interface WalletKey {
  readonly caseId: string;
  readonly address: Address;
}

/**
 * The replay-safe way to read and write tainted wallets for one block range of one chain (see
 * `dynamodb-store.ts` for the protocol). `load` answers each wallet as it was before the range, even
 * if a crashed attempt of the range already wrote a newer state; `save` writes the range's result.
 * A wallet may only be saved if it was loaded in this session (absent or not): that is how the store
 * knows what the range started from. Load both ends of every transfer that can move taint.
 */
export interface WalletRangeSession {
  readonly chain: string;
  readonly range: BlockRange;
  /**
   * Strongly consistent; keyed by `walletMapKey`. Wallets that were not tainted before the range are
   * absent from the map. Each call answers fresh objects in their pre-range state: ask for a key once
   * per session (loading it again would discard what the tracer has made of it since).
   */
  load(keys: readonly WalletKey[]): Promise<Map<string, TaintedWallet>>;
  /** Throws WalletNotLoadedError for a wallet that was not loaded in this session. */
  save(wallets: readonly { readonly caseId: string; readonly wallet: TaintedWallet }[]): Promise<void>;
}

/** `${caseId}\u0000${address}`: the key of `WalletRangeSession.load`'s map. */
export function walletMapKey(caseId: string, address: Address): string {
  return `${caseId}\u0000${address}`;
}

export interface StoredWallet {
  readonly caseId: string;
  readonly chain: string;
  readonly wallet: TaintedWallet;
  /** Last block of the range that produced this state. */
  readonly asOfBlock: number;
}

export interface WalletRepository {
  walletRange(chain: string, range: BlockRange): WalletRangeSession;
  /**
   * Addresses tainted in each case on a chain, from the index (eventually consistent: a superset
   * check must still load wallets through a session). For the ingester's cache of the tainted set.
   */
  loadTaintedAddresses(chain: string, caseIds: readonly string[]): Promise<Map<string, Set<Address>>>;
  /** By chain, then hop, then address. The latest state written (see the module notes). */
  listWallets(
    caseId: string,
    options?: PageRequest & { readonly chain?: string; readonly hop?: number },
  ): Promise<Page<StoredWallet>>;
  getWallet(caseId: string, chain: string, address: Address): Promise<StoredWallet | undefined>;
  /**
   * Deletes every tainted wallet of a case on a chain (a backfill traces the case again from its
   * start). Answers how many were deleted. Found through the index, which can lag a write by a
   * moment: a wallet written just before can survive, and the next session that loads it fails with
   * WalletAheadOfRangeError rather than mixing the two traces. Flow edges and alerts are kept.
   */
  resetCaseWallets(caseId: string, chain: string): Promise<number>;
}

// -------------------------------------------------------------------------------------- flow edges

export interface CaseFlowEdge {
  readonly caseId: string;
  readonly edge: FlowEdge;
}

export interface EdgeRepository {
  /** Idempotent: an edge's key is its transfer's identity, so a replay rewrites the same item. */
  saveEdges(edges: readonly CaseFlowEdge[]): Promise<void>;
  /** By chain, block, tx hash, position. */
  listEdges(caseId: string, options?: PageRequest & { readonly chain?: string }): Promise<Page<FlowEdge>>;
}

// ------------------------------------------------------------------------------------------ alerts

export type OutboxState = 'pending' | 'published';

export interface StoredAlert {
  readonly alert: Alert;
  readonly outbox: OutboxState;
  readonly storedAt: string;
  readonly publishedAt: string | null;
}

export interface AlertQuery extends PageRequest {
  /** ISO-8601: alerts whose block time is at or after it (alerts without a block time are left out). */
  readonly since?: string;
  readonly kind?: AlertKind;
  readonly severity?: Severity;
  readonly newestFirst?: boolean;
}

/** The outbox half of the alert repository: what the publisher needs. */
export interface AlertOutbox {
  /** Up to `limit` pending alerts, oldest block time first. */
  pendingAlerts(limit: number): Promise<StoredAlert[]>;
  /** Pending -> published. False when it was already published; throws AlertNotFoundError. */
  markPublished(alertId: string): Promise<boolean>;
}

export interface AlertRepository extends AlertOutbox {
  /**
   * Stores new alerts as pending. An alert already stored (same id: a replay) is left as it is and
   * counted in `existing`.
   */
  saveAlerts(alerts: readonly Alert[]): Promise<{ stored: string[]; existing: string[] }>;
  getAlert(alertId: string): Promise<StoredAlert | undefined>;
  listAlerts(caseId: string, query?: AlertQuery): Promise<Page<StoredAlert>>;
}

// ------------------------------------------------------------------------------------------ labels

/** learned: found by the tracer (deposit addresses); agency: set by the agency through the API. */
export type LabelOrigin = 'learned' | 'agency';

export interface StoredLabel {
  readonly chain: string;
  readonly address: Address;
  readonly origin: LabelOrigin;
  readonly label: Label;
  /** For learned labels: the transaction and block that revealed it. */
  readonly txHash: string | null;
  readonly blockNumber: number | null;
  readonly at: string;
  readonly by: string;
}

export interface LabelRepository {
  /** Conditional: true when new, false when that address already had that learned label. */
  saveLearnedDepositAddress(learned: LearnedDepositAddress): Promise<boolean>;
  /** An agency's own label; replaces its earlier label of the same category on the address. */
  putAgencyLabel(chain: string, address: Address, label: Label, actor: Actor): Promise<StoredLabel>;
  getLabels(chain: string, address: Address): Promise<StoredLabel[]>;
  /** All stored labels of a chain (learned and agency), for the label book at start. */
  loadLabels(chain: string): Promise<StoredLabel[]>;
}

// ------------------------------------------------------------------------------------- checkpoints

export interface Checkpoint {
  readonly chain: string;
  /** Last block fully processed; null before the first range. */
  readonly block: number | null;
  readonly blockHash: string | null;
  /** Bumped whenever cases or seeds of this chain change: the ingester reloads when it moves. */
  readonly taintEpoch: number;
  /**
   * End of the range an ingester started and has not finished (a crash): the next run should
   * process exactly [block + 1, inFlightTo] first, so it rewrites everything the crashed run wrote.
   */
  readonly inFlightTo: number | null;
}

export interface CheckpointRepository {
  /** Strongly consistent; a chain never processed answers block null, epoch 0. */
  getCheckpoint(chain: string): Promise<Checkpoint>;
  /** Records the range about to be processed. Throws CheckpointConflictError if block != expected. */
  startRange(chain: string, expectedBlock: number | null, to: number): Promise<void>;
  /**
   * Moves the checkpoint from `expectedBlock` (null: none yet) to `newBlock` and clears `inFlightTo`.
   * Throws CheckpointConflictError when another writer moved it first.
   */
  advanceCheckpoint(
    chain: string,
    expectedBlock: number | null,
    newBlock: number,
    blockHash: string,
  ): Promise<void>;
  /** Returns the new epoch. */
  bumpTaintEpoch(chain: string): Promise<number>;
}

/** Everything persistent. */
export interface Store
  extends CaseRepository,
    AuditRepository,
    WalletRepository,
    EdgeRepository,
    AlertRepository,
    LabelRepository,
    CheckpointRepository {}

/**
 * The store on DynamoDB, one table per agency (key layout in `keys.ts`). Every write that can race is
 * conditional; no transactions and no streams are needed (the embedded server has neither):
 *   - checkpoints: `block = :expected` (or no block yet), a lost race is CheckpointConflictError;
 *   - alerts: `attribute_not_exists(pk)`, so an alert stored twice is one item;
 *   - outbox: an `OUTBOX` marker per pending alert, written before the alert (a pending alert always
 *     has one), deleted after `markPublished` (`outbox = pending`): the publisher finds pending alerts
 *     with one Query, never a Scan;
 *   - learned labels: `attribute_not_exists(pk)`;
 *   - tainted wallets: the versioned protocol of `wallet-range-session.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Address } from '../domain/address.ts';
import type { Alert } from '../domain/alert.ts';
import type { Label } from '../domain/label.ts';
import { depositAddressLabel, type FlowEdge, type LearnedDepositAddress } from '../domain/tracer.ts';
import { alertFromItem, alertToItem, outboxMarkerKey, outboxMarkerToItem } from './alert-item.ts';
import {
  readNullableNumber,
  readNullableString,
  readNumber,
  readString,
  type StoredItem,
} from './attributes.ts';
import type { BatchRetryPolicy } from './batch.ts';
import { inParallel } from './batch.ts';
import {
  backfillToAttributes,
  caseDefinitionAttributes,
  caseFromItem,
  caseToItem,
  seedFromItem,
  seedToItem,
} from './case-item.ts';
import { type CursorExpectation, decodeCursor, encodeCursor } from './cursor.ts';
import { edgeFromItem, edgeToItem } from './edge-item.ts';
import {
  AlertNotFoundError,
  BackfillChangedError,
  CaseExistsError,
  CaseNotFoundError,
  CheckpointConflictError,
  ConditionFailedError,
  CorruptItemError,
  InvalidStoreInputError,
  SeedExistsError,
  SeedNotFoundError,
} from './errors.ts';
import {
  ALERT_SK,
  AUDIT_PREFIX,
  alertPk,
  CASE_SK,
  CASES_INDEX_PK,
  CHECKPOINT_SK,
  caseAlertsIndexPk,
  casePk,
  caseWalletsIndexPk,
  checkAddress,
  checkBlock,
  checkCaseId,
  checkChain,
  checkHop,
  checkpointPk,
  EDGE_PREFIX,
  edgeChainPrefix,
  labelPk,
  labelsIndexPk,
  OUTBOX_PK,
  SEED_PREFIX,
  seedSk,
  walletChainPrefix,
  walletHopPrefix,
  walletPk,
  walletSk,
} from './keys.ts';
import { labelFromItem, labelToItem } from './label-item.ts';
import type { StoreMetrics } from './metrics.ts';
import type {
  Actor,
  AlertQuery,
  AuditEntry,
  BackfillProgress,
  BlockRange,
  CaseChanges,
  CaseDefinition,
  CaseFlowEdge,
  CaseStatus,
  CaseWithSeeds,
  Checkpoint,
  NewSeed,
  Page,
  PageRequest,
  SeedRecord,
  Store,
  StoredAlert,
  StoredCase,
  StoredLabel,
  StoredWallet,
  WalletRangeSession,
} from './repository.ts';
import { TableGateway } from './table-gateway.ts';
import { readVersion, walletFromState, walletIdentity } from './wallet-item.ts';
import { DynamoDbWalletRangeSession } from './wallet-range-session.ts';

export interface DynamoDbStoreOptions {
  /** Configure it with `retryMode: 'standard'` (the SDK default) so throttling is retried. */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly metrics?: StoreMetrics;
  /** Time of storage for `storedAt`, `publishedAt` and the like. */
  readonly now?: () => Date;
  readonly batchRetry?: Partial<BatchRetryPolicy>;
  /**
   * An outbox marker whose alert was never written (a crash between the two writes, and a replay that
   * did not produce the alert again) is removed after this long. Default one hour.
   */
  readonly orphanMarkerGraceMs?: number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const MAX_HOPS_STORABLE = 999;
const PARALLEL_REQUESTS = 8;

const MAIN_KEYS = ['pk', 'sk'] as const;
const INDEX_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new InvalidStoreInputError('limit', `expected an integer 1..${MAX_PAGE}`);
  }
  return limit;
}

function startKey(
  cursor: string | undefined,
  expected: CursorExpectation,
): Record<string, string> | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, expected);
}

function checkDefinition(definition: Partial<CaseDefinition>): void {
  if (
    definition.name !== undefined &&
    (typeof definition.name !== 'string' || definition.name.length === 0)
  ) {
    throw new InvalidStoreInputError('name', 'expected a non-empty string');
  }
  if (definition.model !== undefined && definition.model !== 'haircut' && definition.model !== 'poison') {
    throw new InvalidStoreInputError('model', 'expected haircut or poison');
  }
  if (
    definition.maxHops !== undefined &&
    (!Number.isSafeInteger(definition.maxHops) ||
      definition.maxHops < 0 ||
      definition.maxHops > MAX_HOPS_STORABLE)
  ) {
    throw new InvalidStoreInputError('maxHops', `expected an integer 0..${MAX_HOPS_STORABLE}`);
  }
  for (const chain of Object.keys(definition.extraTokens ?? {})) checkChain(chain);
}

function normalizedSince(since: string): string {
  const time = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(time)) {
    throw new InvalidStoreInputError('since', 'expected an ISO-8601 date or time');
  }
  return new Date(time).toISOString();
}

function plainJson(value: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner)),
  );
}

export class DynamoDbStore implements Store {
  readonly #table: TableGateway;
  readonly #now: () => Date;
  readonly #orphanGraceMs: number;

  constructor(options: DynamoDbStoreOptions) {
    this.#table = new TableGateway(options);
    this.#now = options.now ?? (() => new Date());
    this.#orphanGraceMs = options.orphanMarkerGraceMs ?? 3_600_000;
  }

  get tableName(): string {
    return this.#table.tableName;
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  // ------------------------------------------------------------------------------------------ cases

  async createCase(id: string, definition: CaseDefinition, actor: Actor): Promise<StoredCase> {
    checkCaseId(id);
    checkDefinition(definition);
    const stored: StoredCase = {
      id,
      name: definition.name,
      model: definition.model,
      maxHops: definition.maxHops,
      minAmounts: definition.minAmounts,
      extraTokens: definition.extraTokens,
      status: 'open',
      createdAt: actor.at,
      createdBy: actor.by,
      updatedAt: actor.at,
      updatedBy: actor.by,
      backfill: {},
    };
    try {
      await this.#table.put('createCase', caseToItem(stored), 'attribute_not_exists(pk)');
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new CaseExistsError(id, { cause: error });
      throw error;
    }
    await this.recordAudit({
      caseId: id,
      at: actor.at,
      by: actor.by,
      action: 'case.created',
      details: plainJson(definition),
    });
    return stored;
  }

  async getCase(id: string): Promise<StoredCase | undefined> {
    const item = await this.#table.get('getCase', { pk: casePk(id), sk: CASE_SK });
    return item ? caseFromItem(item) : undefined;
  }

  async listCases(options: PageRequest & { readonly status?: CaseStatus } = {}): Promise<Page<StoredCase>> {
    const page = await this.#table.query('listCases', {
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': CASES_INDEX_PK, ...(options.status ? { ':status': options.status } : {}) },
      ...(options.status ? { filter: '#status = :status', names: { '#status': 'status' } } : {}),
      limit: pageSize(options.limit),
      forward: false,
      startKey: startKey(options.cursor, { attributes: INDEX_KEYS, equals: { gsi1pk: CASES_INDEX_PK } }),
    });
    return { items: page.items.map(caseFromItem), cursor: encodeCursor(page.lastKey) };
  }

  async updateCase(id: string, changes: CaseChanges, actor: Actor): Promise<StoredCase> {
    checkCaseId(id);
    checkDefinition(changes);
    if (changes.status !== undefined && changes.status !== 'open' && changes.status !== 'closed') {
      throw new InvalidStoreInputError('status', 'expected open or closed');
    }
    const attributes: StoredItem = {
      ...caseDefinitionAttributes(changes),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      updatedAt: actor.at,
      updatedBy: actor.by,
    };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const assignments = Object.entries(attributes).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:v${i}`] = value;
      return `#a${i} = :v${i}`;
    });
    let item: StoredItem;
    try {
      item = await this.#table.update(
        'updateCase',
        { pk: casePk(id), sk: CASE_SK },
        `SET ${assignments.join(', ')}`,
        {
          condition: 'attribute_exists(pk)',
          names,
          values,
        },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new CaseNotFoundError(id, { cause: error });
      throw error;
    }
    await this.recordAudit({
      caseId: id,
      at: actor.at,
      by: actor.by,
      action: 'case.updated',
      details: plainJson(changes),
    });
    return caseFromItem(item);
  }

  async setBackfillProgress(
    caseId: string,
    chain: string,
    progress: BackfillProgress,
    expected?: BackfillProgress,
  ): Promise<void> {
    checkChain(chain);
    try {
      await this.#table.update(
        'setBackfillProgress',
        { pk: casePk(caseId), sk: CASE_SK },
        'SET #backfill.#chain = :progress',
        expected
          ? {
              condition:
                'attribute_exists(pk) AND #backfill.#chain.#fromBlock = :fromBlock AND #backfill.#chain.#updatedAt = :updatedAt',
              names: {
                '#backfill': 'backfill',
                '#chain': chain,
                '#fromBlock': 'fromBlock',
                '#updatedAt': 'updatedAt',
              },
              values: {
                ':progress': backfillToAttributes({ [chain]: progress })[chain],
                ':fromBlock': expected.fromBlock,
                ':updatedAt': expected.updatedAt,
              },
            }
          : {
              condition: 'attribute_exists(pk)',
              names: { '#backfill': 'backfill', '#chain': chain },
              values: { ':progress': backfillToAttributes({ [chain]: progress })[chain] },
            },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        if (expected && (await this.getCase(caseId)))
          throw new BackfillChangedError(caseId, chain, { cause: error });
        throw new CaseNotFoundError(caseId, { cause: error });
      }
      throw error;
    }
  }

  async loadOpenCases(): Promise<CaseWithSeeds[]> {
    const items = await this.#table.queryAll('loadOpenCases', {
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      filter: '#status = :open',
      names: { '#status': 'status' },
      values: { ':pk': CASES_INDEX_PK, ':open': 'open' },
    });
    const cases = items.map(caseFromItem);
    return inParallel(
      cases.map((record) => async () => ({ record, seeds: await this.#allSeeds(record.id) })),
      PARALLEL_REQUESTS,
    );
  }

  async #allSeeds(caseId: string): Promise<SeedRecord[]> {
    const items = await this.#table.queryAll('loadOpenCases.seeds', {
      keyCondition: 'pk = :pk AND begins_with(sk, :seed)',
      values: { ':pk': casePk(caseId), ':seed': SEED_PREFIX },
      consistent: true,
    });
    return items.map(seedFromItem);
  }

  // ------------------------------------------------------------------------------------------ seeds

  async addSeed(caseId: string, seed: NewSeed, actor: Actor): Promise<SeedRecord> {
    checkChain(seed.chain);
    checkAddress(seed.address);
    if (seed.fromBlock !== undefined && seed.fromBlock !== null) checkBlock(seed.fromBlock, 'fromBlock');
    if (!(await this.getCase(caseId))) throw new CaseNotFoundError(caseId);
    const record: SeedRecord = {
      caseId,
      chain: seed.chain,
      address: seed.address,
      note: seed.note ?? null,
      fromBlock: seed.fromBlock ?? null,
      addedBy: actor.by,
      addedAt: actor.at,
    };
    try {
      await this.#table.put('addSeed', seedToItem(record), 'attribute_not_exists(pk)');
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        throw new SeedExistsError(caseId, seed.chain, seed.address, { cause: error });
      }
      throw error;
    }
    // After the seed is stored, so an ingester that sees the new epoch also sees the seed.
    await this.bumpTaintEpoch(seed.chain);
    await this.recordAudit({
      caseId,
      at: actor.at,
      by: actor.by,
      action: 'seed.added',
      details: {
        chain: record.chain,
        address: record.address,
        note: record.note,
        fromBlock: record.fromBlock,
      },
    });
    return record;
  }

  async removeSeed(caseId: string, chain: string, address: Address, actor: Actor): Promise<void> {
    try {
      await this.#table.delete(
        'removeSeed',
        { pk: casePk(caseId), sk: seedSk(chain, address) },
        'attribute_exists(pk)',
      );
    } catch (error) {
      if (error instanceof ConditionFailedError)
        throw new SeedNotFoundError(caseId, chain, address, { cause: error });
      throw error;
    }
    await this.bumpTaintEpoch(chain);
    await this.recordAudit({
      caseId,
      at: actor.at,
      by: actor.by,
      action: 'seed.removed',
      details: { chain, address },
    });
  }

  async getSeed(caseId: string, chain: string, address: Address): Promise<SeedRecord | undefined> {
    const item = await this.#table.get('getSeed', { pk: casePk(caseId), sk: seedSk(chain, address) });
    return item ? seedFromItem(item) : undefined;
  }

  async listSeeds(caseId: string, options: PageRequest = {}): Promise<Page<SeedRecord>> {
    const pk = casePk(caseId);
    const page = await this.#table.query('listSeeds', {
      keyCondition: 'pk = :pk AND begins_with(sk, :seed)',
      values: { ':pk': pk, ':seed': SEED_PREFIX },
      limit: pageSize(options.limit),
      consistent: true,
      startKey: startKey(options.cursor, {
        attributes: MAIN_KEYS,
        equals: { pk },
        startsWith: { sk: SEED_PREFIX },
      }),
    });
    return { items: page.items.map(seedFromItem), cursor: encodeCursor(page.lastKey) };
  }

  // ------------------------------------------------------------------------------------------ audit

  async recordAudit(entry: AuditEntry): Promise<void> {
    // The random suffix keeps two changes in the same millisecond apart; order within it is arbitrary.
    await this.#table.put('recordAudit', {
      pk: casePk(entry.caseId),
      sk: `${AUDIT_PREFIX}${entry.at}#${randomUUID().slice(0, 8)}`,
      entity: 'audit',
      caseId: entry.caseId,
      at: entry.at,
      by: entry.by,
      action: entry.action,
      details: plainJson(entry.details),
    });
  }

  async listAudit(caseId: string, options: PageRequest = {}): Promise<Page<AuditEntry>> {
    const pk = casePk(caseId);
    const page = await this.#table.query('listAudit', {
      keyCondition: 'pk = :pk AND begins_with(sk, :audit)',
      values: { ':pk': pk, ':audit': AUDIT_PREFIX },
      limit: pageSize(options.limit),
      startKey: startKey(options.cursor, {
        attributes: MAIN_KEYS,
        equals: { pk },
        startsWith: { sk: AUDIT_PREFIX },
      }),
    });
    return {
      items: page.items.map((item) => ({
        caseId: readString(item, 'caseId', 'audit entry'),
        at: readString(item, 'at', 'audit entry'),
        by: readString(item, 'by', 'audit entry'),
        action: readString(item, 'action', 'audit entry'),
        details: (item.details ?? {}) as Record<string, unknown>,
      })),
      cursor: encodeCursor(page.lastKey),
    };
  }

  // ------------------------------------------------------------------------------- tainted wallets

  walletRange(chain: string, range: BlockRange): WalletRangeSession {
    return new DynamoDbWalletRangeSession(this.#table, chain, range);
  }

  async loadTaintedAddresses(chain: string, caseIds: readonly string[]): Promise<Map<string, Set<Address>>> {
    const prefix = walletChainPrefix(chain);
    const sets = await inParallel(
      caseIds.map((caseId) => async () => {
        const items = await this.#table.queryAll('loadTaintedAddresses', {
          index: 'gsi1',
          keyCondition: 'gsi1pk = :pk AND begins_with(gsi1sk, :chain)',
          values: { ':pk': caseWalletsIndexPk(caseId), ':chain': prefix },
          projection: '#address',
          names: { '#address': 'address' },
        });
        return [caseId, new Set(items.map((item) => readString(item, 'address', 'tainted wallet')))] as const;
      }),
      PARALLEL_REQUESTS,
    );
    return new Map(sets);
  }

  async listWallets(
    caseId: string,
    options: PageRequest & { readonly chain?: string; readonly hop?: number } = {},
  ): Promise<Page<StoredWallet>> {
    if (options.hop !== undefined && options.chain === undefined) {
      throw new InvalidStoreInputError('hop', 'filtering by hop needs a chain');
    }
    const pk = caseWalletsIndexPk(caseId);
    const prefix =
      options.chain === undefined
        ? ''
        : options.hop === undefined
          ? walletChainPrefix(options.chain)
          : walletHopPrefix(options.chain, checkHop(options.hop));
    const page = await this.#table.query('listWallets', {
      index: 'gsi1',
      keyCondition: prefix ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
      values: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
      limit: pageSize(options.limit),
      startKey: startKey(options.cursor, {
        attributes: INDEX_KEYS,
        equals: { gsi1pk: pk },
        startsWith: { gsi1sk: prefix },
      }),
    });
    return { items: page.items.map(storedWalletOf), cursor: encodeCursor(page.lastKey) };
  }

  async getWallet(caseId: string, chain: string, address: Address): Promise<StoredWallet | undefined> {
    const item = await this.#table.get(
      'getWallet',
      { pk: walletPk(chain, address), sk: walletSk(caseId) },
      false,
    );
    return item ? storedWalletOf(item) : undefined;
  }

  async resetCaseWallets(caseId: string, chain: string): Promise<number> {
    const items = await this.#table.queryAll('resetCaseWallets.find', {
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk AND begins_with(gsi1sk, :chain)',
      values: { ':pk': caseWalletsIndexPk(caseId), ':chain': walletChainPrefix(chain) },
      projection: 'pk, sk',
    });
    const keys = items.map((item) => ({
      pk: readString(item, 'pk', 'tainted wallet'),
      sk: readString(item, 'sk', 'tainted wallet'),
    }));
    await this.#table.batchDelete('resetCaseWallets', keys);
    return keys.length;
  }

  // ------------------------------------------------------------------------------------ flow edges

  async saveEdges(edges: readonly CaseFlowEdge[]): Promise<void> {
    await this.#table.batchPut(
      'saveEdges',
      edges.map(({ caseId, edge }) => edgeToItem(caseId, edge)),
    );
  }

  async listEdges(
    caseId: string,
    options: PageRequest & { readonly chain?: string } = {},
  ): Promise<Page<FlowEdge>> {
    const pk = casePk(caseId);
    const prefix = options.chain === undefined ? EDGE_PREFIX : edgeChainPrefix(options.chain);
    const page = await this.#table.query('listEdges', {
      keyCondition: 'pk = :pk AND begins_with(sk, :edge)',
      values: { ':pk': pk, ':edge': prefix },
      limit: pageSize(options.limit),
      startKey: startKey(options.cursor, {
        attributes: MAIN_KEYS,
        equals: { pk },
        startsWith: { sk: prefix },
      }),
    });
    return { items: page.items.map(edgeFromItem), cursor: encodeCursor(page.lastKey) };
  }

  // ---------------------------------------------------------------------------------------- alerts

  async saveAlerts(alerts: readonly Alert[]): Promise<{ stored: string[]; existing: string[] }> {
    const storedAt = this.#timestamp();
    // Keys are checked before anything is written, so a bad alert cannot leave half a batch behind.
    const items = alerts.map((alert) => alertToItem(alert, storedAt));
    // Markers first: then every pending alert has a marker, whatever crash comes between the writes.
    // A marker is keyed by the alert's block time and id, so a replay rewrites the same marker.
    await this.#table.batchPut(
      'saveAlerts.outbox',
      alerts.map((alert) => outboxMarkerToItem(alert, storedAt)),
    );
    const outcomes = await inParallel(
      items.map((item, i) => async () => {
        const id = (alerts[i] as Alert).id;
        try {
          await this.#table.put('saveAlerts', item, 'attribute_not_exists(pk)');
          return { id, stored: true };
        } catch (error) {
          if (error instanceof ConditionFailedError) return { id, stored: false };
          throw error;
        }
      }),
      PARALLEL_REQUESTS,
    );
    return {
      stored: outcomes.filter((outcome) => outcome.stored).map((outcome) => outcome.id),
      existing: outcomes.filter((outcome) => !outcome.stored).map((outcome) => outcome.id),
    };
  }

  async getAlert(alertId: string): Promise<StoredAlert | undefined> {
    const item = await this.#table.get('getAlert', { pk: alertPk(alertId), sk: ALERT_SK });
    return item ? alertFromItem(item) : undefined;
  }

  async listAlerts(caseId: string, query: AlertQuery = {}): Promise<Page<StoredAlert>> {
    const pk = caseAlertsIndexPk(caseId);
    const values: Record<string, unknown> = { ':pk': pk };
    const names: Record<string, string> = {};
    let keyCondition = 'gsi1pk = :pk';
    if (query.since !== undefined) {
      keyCondition += ' AND gsi1sk >= :since';
      values[':since'] = normalizedSince(query.since);
    }
    const filters: string[] = [];
    if (query.kind !== undefined) {
      filters.push('#kind = :kind');
      names['#kind'] = 'kind';
      values[':kind'] = query.kind;
    }
    if (query.severity !== undefined) {
      filters.push('#severity = :severity');
      names['#severity'] = 'severity';
      values[':severity'] = query.severity;
    }
    const page = await this.#table.query('listAlerts', {
      index: 'gsi1',
      keyCondition,
      values,
      ...(filters.length > 0 ? { filter: filters.join(' AND '), names } : {}),
      limit: pageSize(query.limit),
      forward: !query.newestFirst,
      startKey: startKey(query.cursor, { attributes: INDEX_KEYS, equals: { gsi1pk: pk } }),
    });
    return { items: page.items.map(alertFromItem), cursor: encodeCursor(page.lastKey) };
  }

  async pendingAlerts(limit: number): Promise<StoredAlert[]> {
    const markers = await this.#table.query('pendingAlerts.outbox', {
      keyCondition: 'pk = :pk',
      values: { ':pk': OUTBOX_PK },
      limit: pageSize(limit),
      consistent: true,
    });
    if (markers.items.length === 0) return [];
    const alertIds = markers.items.map((marker) => readString(marker, 'alertId', 'outbox marker'));
    const alerts = await this.#table.batchGet(
      'pendingAlerts',
      alertIds.map((id) => ({ pk: alertPk(id), sk: ALERT_SK })),
    );
    const byId = new Map(alerts.map((item) => [readString(item, 'alertId', 'alert'), alertFromItem(item)]));
    const pending: StoredAlert[] = [];
    const now = this.#now().getTime();
    for (const marker of markers.items) {
      const stored = byId.get(readString(marker, 'alertId', 'outbox marker'));
      const markerKey = { pk: OUTBOX_PK, sk: readString(marker, 'sk', 'outbox marker') };
      if (stored?.outbox === 'pending') {
        pending.push(stored);
      } else if (stored) {
        // Published, and the marker outlived it (a crash inside markPublished, or a replay).
        await this.#table.delete('pendingAlerts.cleanup', markerKey);
      } else if (now - Date.parse(readString(marker, 'storedAt', 'outbox marker')) > this.#orphanGraceMs) {
        await this.#table.delete('pendingAlerts.cleanup', markerKey);
      }
    }
    return pending;
  }

  async markPublished(alertId: string): Promise<boolean> {
    const key = { pk: alertPk(alertId), sk: ALERT_SK };
    let transitioned = true;
    let item: StoredItem | undefined;
    try {
      item = await this.#table.update('markPublished', key, 'SET #outbox = :published, publishedAt = :at', {
        condition: '#outbox = :pending',
        names: { '#outbox': 'outbox' },
        values: { ':published': 'published', ':pending': 'pending', ':at': this.#timestamp() },
      });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      transitioned = false;
      item = await this.#table.get('markPublished.check', key);
      if (!item) throw new AlertNotFoundError(alertId, { cause: error });
    }
    const { alert } = alertFromItem(item);
    await this.#table.delete('markPublished.outbox', outboxMarkerKey(alert));
    return transitioned;
  }

  // ---------------------------------------------------------------------------------------- labels

  async saveLearnedDepositAddress(learned: LearnedDepositAddress): Promise<boolean> {
    checkAddress(learned.hotWallet, 'hotWallet');
    const stored: StoredLabel = {
      chain: learned.chain,
      address: learned.address,
      origin: 'learned',
      label: depositAddressLabel(learned),
      txHash: learned.txHash,
      blockNumber: learned.blockNumber,
      at: this.#timestamp(),
      by: 'ingester',
    };
    try {
      await this.#table.put('saveLearnedDepositAddress', labelToItem(stored), 'attribute_not_exists(pk)');
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async putAgencyLabel(chain: string, address: Address, label: Label, actor: Actor): Promise<StoredLabel> {
    if (typeof label.name !== 'string' || label.name.length === 0) {
      throw new InvalidStoreInputError('label.name', 'expected a non-empty string');
    }
    if (label.depositOf !== undefined) checkAddress(label.depositOf, 'label.depositOf');
    const stored: StoredLabel = {
      chain,
      address,
      origin: 'agency',
      label,
      txHash: null,
      blockNumber: null,
      at: actor.at,
      by: actor.by,
    };
    await this.#table.put('putAgencyLabel', labelToItem(stored));
    return stored;
  }

  async getLabels(chain: string, address: Address): Promise<StoredLabel[]> {
    const items = await this.#table.queryAll('getLabels', {
      keyCondition: 'pk = :pk',
      values: { ':pk': labelPk(chain, address) },
      consistent: true,
    });
    return items.map(labelFromItem);
  }

  async loadLabels(chain: string): Promise<StoredLabel[]> {
    const items = await this.#table.queryAll('loadLabels', {
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': labelsIndexPk(chain) },
    });
    return items.map(labelFromItem);
  }

  // ----------------------------------------------------------------------------------- checkpoints

  async getCheckpoint(chain: string): Promise<Checkpoint> {
    const item = await this.#table.get('getCheckpoint', { pk: checkpointPk(chain), sk: CHECKPOINT_SK });
    const what = 'checkpoint';
    return {
      chain,
      block: item ? readNullableNumber(item, 'block', what) : null,
      blockHash: item ? readNullableString(item, 'blockHash', what) : null,
      taintEpoch: item && item.taintEpoch !== undefined ? readNumber(item, 'taintEpoch', what) : 0,
      inFlightTo: item ? readNullableNumber(item, 'inFlightTo', what) : null,
    };
  }

  #expectation(expectedBlock: number | null): { condition: string; values: Record<string, unknown> } {
    if (expectedBlock === null) return { condition: 'attribute_not_exists(#block)', values: {} };
    return {
      condition: '#block = :expected',
      values: { ':expected': checkBlock(expectedBlock, 'expectedBlock') },
    };
  }

  async startRange(chain: string, expectedBlock: number | null, to: number): Promise<void> {
    checkBlock(to, 'to');
    if (expectedBlock !== null && to <= expectedBlock) {
      throw new InvalidStoreInputError('to', `the range must end after the checkpoint ${expectedBlock}`);
    }
    const { condition, values } = this.#expectation(expectedBlock);
    try {
      await this.#table.update(
        'startRange',
        { pk: checkpointPk(chain), sk: CHECKPOINT_SK },
        'SET inFlightTo = :to, #entity = :entity, #chain = :chain',
        {
          condition,
          names: { '#block': 'block', '#entity': 'entity', '#chain': 'chain' },
          values: { ...values, ':to': to, ':entity': 'checkpoint', ':chain': chain },
        },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError)
        throw new CheckpointConflictError(chain, expectedBlock, { cause: error });
      throw error;
    }
  }

  async advanceCheckpoint(
    chain: string,
    expectedBlock: number | null,
    newBlock: number,
    blockHash: string,
  ): Promise<void> {
    checkBlock(newBlock, 'newBlock');
    if (expectedBlock !== null && newBlock <= expectedBlock) {
      throw new InvalidStoreInputError('newBlock', `a checkpoint only moves forward (from ${expectedBlock})`);
    }
    if (typeof blockHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(blockHash)) {
      throw new InvalidStoreInputError('blockHash', 'expected a lowercase 0x hash of 64 hex digits');
    }
    const { condition, values } = this.#expectation(expectedBlock);
    try {
      await this.#table.update(
        'advanceCheckpoint',
        { pk: checkpointPk(chain), sk: CHECKPOINT_SK },
        'SET #block = :block, blockHash = :hash, updatedAt = :at, #entity = :entity, #chain = :chain REMOVE inFlightTo',
        {
          condition,
          names: { '#block': 'block', '#entity': 'entity', '#chain': 'chain' },
          values: {
            ...values,
            ':block': newBlock,
            ':hash': blockHash,
            ':at': this.#timestamp(),
            ':entity': 'checkpoint',
            ':chain': chain,
          },
        },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError)
        throw new CheckpointConflictError(chain, expectedBlock, { cause: error });
      throw error;
    }
  }

  async bumpTaintEpoch(chain: string): Promise<number> {
    const item = await this.#table.update(
      'bumpTaintEpoch',
      { pk: checkpointPk(chain), sk: CHECKPOINT_SK },
      'ADD taintEpoch :one SET #entity = :entity, #chain = :chain',
      {
        names: { '#entity': 'entity', '#chain': 'chain' },
        values: { ':one': 1, ':entity': 'checkpoint', ':chain': chain },
      },
    );
    return readNumber(item, 'taintEpoch', 'checkpoint');
  }
}

function storedWalletOf(item: StoredItem): StoredWallet {
  const { caseId, chain, address } = walletIdentity(item);
  const cur = readVersion(item, 'cur');
  if (!cur) throw new CorruptItemError('tainted wallet', `${address} of case ${caseId} has no state`);
  return { caseId, chain, wallet: walletFromState(address, cur.state), asOfBlock: cur.v };
}

import type { TokenInfo } from '../domain/chain.ts';
import {
  bigintsToStrings,
  readBigInt,
  readMap,
  readNullableNumber,
  readNullableString,
  readNumber,
  readString,
  type StoredItem,
  stringsToBigints,
} from './attributes.ts';
import { CorruptItemError } from './errors.ts';
import { CASE_SK, CASES_INDEX_PK, caseIndexSk, casePk, SEED_PREFIX, seedSk } from './keys.ts';
import type { BackfillProgress, CaseDefinition, CaseStatus, SeedRecord, StoredCase } from './repository.ts';

const WHAT = 'case';

export function tokensToAttributes(tokens: CaseDefinition['extraTokens']): StoredItem {
  return Object.fromEntries(
    Object.entries(tokens).map(([chain, list]) => [
      chain,
      list.map((token) => ({
        address: token.address,
        symbol: token.symbol,
        decimals: token.decimals,
        minAmount: token.minAmount.toString(),
      })),
    ]),
  );
}

function tokensFromAttributes(stored: StoredItem): Record<string, TokenInfo[]> {
  return Object.fromEntries(
    Object.entries(stored).map(([chain, list]) => {
      if (!Array.isArray(list)) throw new CorruptItemError(WHAT, `extraTokens.${chain} is not a list`);
      return [
        chain,
        list.map((token: StoredItem) => ({
          address: readString(token, 'address', WHAT),
          symbol: readString(token, 'symbol', WHAT),
          decimals: readNumber(token, 'decimals', WHAT),
          minAmount: readBigInt(token, 'minAmount', WHAT),
        })),
      ];
    }),
  );
}

export function caseDefinitionAttributes(definition: Partial<CaseDefinition>): StoredItem {
  const attributes: StoredItem = {};
  if (definition.name !== undefined) attributes.name = definition.name;
  if (definition.model !== undefined) attributes.model = definition.model;
  if (definition.maxHops !== undefined) attributes.maxHops = definition.maxHops;
  if (definition.minAmounts !== undefined) attributes.minAmounts = bigintsToStrings(definition.minAmounts);
  if (definition.extraTokens !== undefined)
    attributes.extraTokens = tokensToAttributes(definition.extraTokens);
  return attributes;
}

export function caseToItem(stored: StoredCase): StoredItem {
  return {
    pk: casePk(stored.id),
    sk: CASE_SK,
    gsi1pk: CASES_INDEX_PK,
    gsi1sk: caseIndexSk(stored.createdAt, stored.id),
    entity: 'case',
    id: stored.id,
    ...caseDefinitionAttributes(stored),
    status: stored.status,
    createdAt: stored.createdAt,
    createdBy: stored.createdBy,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
    backfill: backfillToAttributes(stored.backfill),
  };
}

export function backfillToAttributes(backfill: Readonly<Record<string, BackfillProgress>>): StoredItem {
  return Object.fromEntries(Object.entries(backfill).map(([chain, progress]) => [chain, { ...progress }]));
}

function backfillFromAttributes(stored: StoredItem): Record<string, BackfillProgress> {
  return Object.fromEntries(
    Object.entries(stored).map(([chain, progress]) => {
      const entry = progress as StoredItem;
      return [
        chain,
        {
          fromBlock: readNumber(entry, 'fromBlock', WHAT),
          toBlock: readNumber(entry, 'toBlock', WHAT),
          doneThrough: readNullableNumber(entry, 'doneThrough', WHAT),
          updatedAt: readString(entry, 'updatedAt', WHAT),
        },
      ];
    }),
  );
}

function readStatus(item: StoredItem): CaseStatus {
  const status = readString(item, 'status', WHAT);
  if (status !== 'open' && status !== 'closed') throw new CorruptItemError(WHAT, `status ${status}`);
  return status;
}

export function caseFromItem(item: StoredItem): StoredCase {
  const model = readString(item, 'model', WHAT);
  if (model !== 'haircut' && model !== 'poison') throw new CorruptItemError(WHAT, `model ${model}`);
  return {
    id: readString(item, 'id', WHAT),
    name: readString(item, 'name', WHAT),
    model,
    maxHops: readNumber(item, 'maxHops', WHAT),
    minAmounts: stringsToBigints(readMap(item, 'minAmounts', WHAT), WHAT),
    extraTokens: tokensFromAttributes(readMap(item, 'extraTokens', WHAT)),
    status: readStatus(item),
    createdAt: readString(item, 'createdAt', WHAT),
    createdBy: readString(item, 'createdBy', WHAT),
    updatedAt: readString(item, 'updatedAt', WHAT),
    updatedBy: readString(item, 'updatedBy', WHAT),
    backfill: backfillFromAttributes(readMap(item, 'backfill', WHAT)),
  };
}

export function seedToItem(seed: SeedRecord): StoredItem {
  return {
    pk: casePk(seed.caseId),
    sk: seedSk(seed.chain, seed.address),
    entity: 'seed',
    caseId: seed.caseId,
    chain: seed.chain,
    address: seed.address,
    note: seed.note,
    fromBlock: seed.fromBlock,
    addedBy: seed.addedBy,
    addedAt: seed.addedAt,
  };
}

export function seedFromItem(item: StoredItem): SeedRecord {
  const what = 'seed';
  if (!readString(item, 'sk', what).startsWith(SEED_PREFIX)) throw new CorruptItemError(what, 'not a seed');
  return {
    caseId: readString(item, 'caseId', what),
    chain: readString(item, 'chain', what),
    address: readString(item, 'address', what),
    note: readNullableString(item, 'note', what),
    fromBlock: readNullableNumber(item, 'fromBlock', what),
    addedBy: readString(item, 'addedBy', what),
    addedAt: readString(item, 'addedAt', what),
  };
}

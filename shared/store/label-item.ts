import type { Address } from '../domain/address.ts';
import type { Label } from '../domain/label.ts';
import { readNullableNumber, readNullableString, readString, type StoredItem } from './attributes.ts';
import { CorruptItemError } from './errors.ts';
import { checkCategory, labelIndexSk, labelPk, labelSk, labelsIndexPk } from './keys.ts';
import type { LabelOrigin, StoredLabel } from './repository.ts';

const WHAT = 'label';

export function labelToItem(stored: StoredLabel): StoredItem {
  const category = checkCategory(stored.label.category);
  return {
    pk: labelPk(stored.chain, stored.address),
    sk: labelSk(stored.origin, category),
    gsi1pk: labelsIndexPk(stored.chain),
    gsi1sk: labelIndexSk(stored.address, stored.origin, category),
    entity: 'label',
    chain: stored.chain,
    address: stored.address,
    origin: stored.origin,
    category,
    name: stored.label.name,
    source: stored.label.source,
    depositOf: stored.label.depositOf ?? null,
    txHash: stored.txHash,
    blockNumber: stored.blockNumber,
    at: stored.at,
    by: stored.by,
  };
}

export function labelFromItem(item: StoredItem): StoredLabel {
  const origin = readString(item, 'origin', WHAT);
  if (origin !== 'learned' && origin !== 'agency') throw new CorruptItemError(WHAT, `origin ${origin}`);
  const depositOf = readNullableString(item, 'depositOf', WHAT);
  const label: Label = {
    category: checkCategory(readString(item, 'category', WHAT)),
    name: readString(item, 'name', WHAT),
    source: readString(item, 'source', WHAT),
    ...(depositOf ? { depositOf: depositOf as Address } : {}),
  };
  return {
    chain: readString(item, 'chain', WHAT),
    address: readString(item, 'address', WHAT),
    origin: origin as LabelOrigin,
    label,
    txHash: readNullableString(item, 'txHash', WHAT),
    blockNumber: readNullableNumber(item, 'blockNumber', WHAT),
    at: readString(item, 'at', WHAT),
    by: readString(item, 'by', WHAT),
  };
}

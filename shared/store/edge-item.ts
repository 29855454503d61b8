import type { Label, LabelCategory } from '../domain/label.ts';
import type { FlowEdge } from '../domain/tracer.ts';
import { readBigInt, readNullableString, readNumber, readString, type StoredItem } from './attributes.ts';
import { CorruptItemError } from './errors.ts';
import { casePk, checkAddress, checkCategory, edgeSk } from './keys.ts';

const WHAT = 'flow edge';

export function edgeToItem(caseId: string, edge: FlowEdge): StoredItem {
  return {
    pk: casePk(caseId),
    sk: edgeSk(edge.chain, edge.blockNumber, edge.txHash, edge.position),
    entity: 'edge',
    chain: edge.chain,
    txHash: edge.txHash,
    position: edge.position,
    blockNumber: edge.blockNumber,
    blockTime: edge.blockTime,
    from: checkAddress(edge.from, 'from'),
    to: checkAddress(edge.to, 'to'),
    asset: edge.asset === 'native' ? 'native' : checkAddress(edge.asset, 'asset'),
    amount: edge.amount.toString(),
    taintedAmount: edge.taintedAmount.toString(),
    hop: edge.hop,
    stop: edge.stop === null ? null : checkCategory(edge.stop),
    counterparty: edge.counterparty ? { ...edge.counterparty } : null,
  };
}

function readLabel(value: unknown): Label | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CorruptItemError(WHAT, 'counterparty');
  const stored = value as StoredItem;
  const depositOf = readNullableString(stored, 'depositOf', WHAT);
  return {
    category: readString(stored, 'category', WHAT) as LabelCategory,
    name: readString(stored, 'name', WHAT),
    source: readString(stored, 'source', WHAT),
    ...(depositOf ? { depositOf } : {}),
  };
}

export function edgeFromItem(item: StoredItem): FlowEdge {
  return {
    chain: readString(item, 'chain', WHAT),
    txHash: readString(item, 'txHash', WHAT),
    position: readString(item, 'position', WHAT),
    blockNumber: readNumber(item, 'blockNumber', WHAT),
    blockTime: readNumber(item, 'blockTime', WHAT),
    from: readString(item, 'from', WHAT),
    to: readString(item, 'to', WHAT),
    asset: readString(item, 'asset', WHAT),
    amount: readBigInt(item, 'amount', WHAT),
    taintedAmount: readBigInt(item, 'taintedAmount', WHAT),
    hop: readNumber(item, 'hop', WHAT),
    stop: readNullableString(item, 'stop', WHAT) as LabelCategory | null,
    counterparty: readLabel(item.counterparty),
  };
}

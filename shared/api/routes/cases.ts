import { z } from 'zod';
import { minAmountKey, type TaintModel } from '../../domain/case.ts';
import type { TokenInfo } from '../../domain/chain.ts';
import type { Actor, CaseChanges, CaseDefinition } from '../../store/repository.ts';
import type { ApiDeps } from '../deps.ts';
import { caseViewOf } from '../presenters.ts';
import { type FieldError, invalidRequest } from '../problem.ts';
import { defineRoute, type Route } from '../route.ts';
import { caseCreateBody, caseListQuery, casePage, caseUpdateBody, caseView } from '../schemas/cases.ts';
import { caseIdInput, DEFAULT_PAGE_SIZE } from '../schemas/common.ts';
import { collectPages, requireCase } from './case-lookup.ts';

export const caseParams = z.strictObject({ caseId: caseIdInput });

interface MinAmountInput {
  readonly chain: string;
  readonly asset: string;
  readonly baseUnits: string;
}

interface FollowedTokenInput {
  readonly chain: string;
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
  readonly minAmount: string;
}

function minAmountsOf(entries: readonly MinAmountInput[]): Record<string, bigint> {
  const amounts: Record<string, bigint> = {};
  const errors: FieldError[] = [];
  entries.forEach((entry, i) => {
    const key = minAmountKey(entry.chain, entry.asset);
    if (key in amounts) errors.push({ in: 'body', pointer: `#/minAmounts/${i}`, detail: `repeats ${key}` });
    amounts[key] = BigInt(entry.baseUnits);
  });
  if (errors.length > 0) throw invalidRequest('minAmounts lists an asset twice', errors);
  return amounts;
}

/**
 * A case's own token must not contradict the allow-list: with other decimals every amount of it would
 * be misread by a power of ten (shared/labels TokenConflictError says the same at trace time).
 */
function followedTokensOf(
  deps: ApiDeps,
  entries: readonly FollowedTokenInput[],
): Record<string, TokenInfo[]> {
  const byChain: Record<string, TokenInfo[]> = {};
  const errors: FieldError[] = [];
  entries.forEach((entry, i) => {
    const list = byChain[entry.chain] ?? [];
    if (list.some((token) => token.address === entry.address)) {
      errors.push({ in: 'body', pointer: `#/followedTokens/${i}`, detail: 'lists this token twice' });
    }
    const known = deps.tokens.tokenOf(entry.chain, entry.address);
    if (known && known.decimals !== entry.decimals) {
      errors.push({
        in: 'body',
        pointer: `#/followedTokens/${i}/decimals`,
        detail: `the allow-list has ${known.symbol} with ${known.decimals} decimals`,
      });
    }
    list.push({
      address: entry.address,
      symbol: entry.symbol,
      decimals: entry.decimals,
      minAmount: BigInt(entry.minAmount),
    });
    byChain[entry.chain] = list;
  });
  if (errors.length > 0) throw invalidRequest('followedTokens has conflicting entries', errors);
  return byChain;
}

export function actorOf(deps: ApiDeps, caller: { arn: string }): Actor {
  return { by: caller.arn, at: deps.now().toISOString() };
}

/**
 * The ingester reloads a chain's cases when its taint epoch moves (shared/store Checkpoint): a change
 * to a case must reach every chain the case has seeds on.
 */
async function bumpChainsOfCase(deps: ApiDeps, caseId: string): Promise<void> {
  const { items } = await collectPages(
    (cursor) => deps.store.listSeeds(caseId, { cursor, limit: 1000 }),
    100_000,
  );
  const chains = new Set(items.map((seed) => seed.chain));
  for (const chain of chains) await deps.store.bumpTaintEpoch(chain);
}

export function caseRoutes(chains: readonly string[]): Route<ApiDeps>[] {
  const createBody = caseCreateBody(chains);
  const updateBody = caseUpdateBody(chains);
  return [
    defineRoute({
      method: 'POST',
      path: '/cases',
      operationId: 'createCase',
      summary: 'Open a case',
      description: 'Seeds are added separately (POST /cases/{caseId}/seeds). Honours Idempotency-Key.',
      tag: 'cases',
      body: createBody,
      idempotent: true,
      responses: {
        201: {
          description: 'The case as stored',
          schema: caseView,
          headers: { location: 'URL of the case' },
        },
      },
      problems: [409, 413, 415, 429],
      handle: async ({ body, caller }, deps) => {
        const definition: CaseDefinition = {
          name: body.name,
          model: body.model as TaintModel,
          maxHops: body.maxHops,
          minAmounts: minAmountsOf(body.minAmounts),
          extraTokens: followedTokensOf(deps, body.followedTokens),
        };
        const id = deps.newCaseId();
        const stored = await deps.store.createCase(id, definition, actorOf(deps, caller));
        return { status: 201, json: caseViewOf(stored), headers: { location: `/cases/${id}` } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases',
      operationId: 'listCases',
      summary: 'List cases, newest first',
      tag: 'cases',
      query: caseListQuery,
      responses: { 200: { description: 'A page of cases', schema: casePage } },
      problems: [429],
      handle: async ({ query }, deps) => {
        const page = await deps.store.listCases({
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.status ? { status: query.status } : {}),
        });
        return { status: 200, json: { items: page.items.map(caseViewOf), nextCursor: page.cursor ?? null } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}',
      operationId: 'getCase',
      summary: 'A case, with the progress of its backfills',
      tag: 'cases',
      params: caseParams,
      responses: { 200: { description: 'The case', schema: caseView } },
      problems: [404, 429],
      handle: async ({ params }, deps) => ({
        status: 200,
        json: caseViewOf(await requireCase(deps, params.caseId)),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/cases/{caseId}',
      operationId: 'updateCase',
      summary: 'Change a case: name, model, hop limit, minimum amounts, followed tokens, status',
      description: 'Lists (minAmounts, followedTokens) are replaced whole. Closing a case stops its tracing.',
      tag: 'cases',
      params: caseParams,
      body: updateBody,
      responses: { 200: { description: 'The case after the change', schema: caseView } },
      problems: [404, 413, 415, 429],
      handle: async ({ params, body, caller }, deps) => {
        await requireCase(deps, params.caseId);
        const changes: { -readonly [K in keyof CaseChanges]: CaseChanges[K] } = {};
        if (body.name !== undefined) changes.name = body.name;
        if (body.model !== undefined) changes.model = body.model;
        if (body.maxHops !== undefined) changes.maxHops = body.maxHops;
        if (body.status !== undefined) changes.status = body.status;
        if (body.minAmounts !== undefined) changes.minAmounts = minAmountsOf(body.minAmounts);
        if (body.followedTokens !== undefined)
          changes.extraTokens = followedTokensOf(deps, body.followedTokens);
        const stored = await deps.store.updateCase(params.caseId, changes, actorOf(deps, caller));
        // Even a new name matters to the ingester: alerts carry the case's name.
        await bumpChainsOfCase(deps, params.caseId);
        return { status: 200, json: caseViewOf(stored) };
      },
    }),
  ];
}

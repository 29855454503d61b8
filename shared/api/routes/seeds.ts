import { z } from 'zod';
import type { BackfillProgress, SeedRecord } from '../../store/repository.ts';
import type { ApiDeps } from '../deps.ts';
import { seedViewOf } from '../presenters.ts';
import { conflict, notFound } from '../problem.ts';
import { defineRoute, type Route } from '../route.ts';
import { addressInput, caseIdInput, chainInput, DEFAULT_PAGE_SIZE } from '../schemas/common.ts';
import { seedCreateBody, seedListQuery, seedPage, seedView } from '../schemas/seeds.ts';
import { requireCase } from './case-lookup.ts';
import { actorOf, caseParams } from './cases.ts';

/**
 * The history of a seed added with `fromBlock` must be traced up to where live ingestion takes over:
 * the chain's checkpoint, or the end of the range an ingester is working on right now (it started
 * that range without this seed). The backfill worker reads this record; progress shows on the case.
 *
 * Several seeds of one case on one chain share one backfill: their ranges are merged, and progress
 * starts over when the range grows, since blocks already traced were traced without the new seed.
 */
function mergedBackfill(
  existing: BackfillProgress | undefined,
  fromBlock: number,
  target: number,
  at: string,
): BackfillProgress {
  if (!existing) return { fromBlock, toBlock: target, doneThrough: null, updatedAt: at };
  return {
    fromBlock: Math.min(existing.fromBlock, fromBlock),
    toBlock: Math.max(existing.toBlock, target),
    doneThrough: null,
    updatedAt: at,
  };
}

export function seedRoutes(chains: readonly string[]): Route<ApiDeps>[] {
  const seedParams = z.strictObject({
    caseId: caseIdInput,
    chain: chainInput(chains),
    address: addressInput,
  });
  return [
    defineRoute({
      method: 'POST',
      path: '/cases/{caseId}/seeds',
      operationId: 'addSeed',
      summary: 'Add a seed wallet (optionally traced from a past block)',
      description:
        "The chain's ingester picks the seed up at its next range. With fromBlock, the history from that block up to the live checkpoint is traced first (backfill); its progress shows on GET /cases/{caseId}. Honours Idempotency-Key.",
      tag: 'seeds',
      params: caseParams,
      body: seedCreateBody(chains),
      idempotent: true,
      responses: {
        201: {
          description: 'The seed as stored',
          schema: seedView,
          headers: { location: 'URL of the seed' },
        },
      },
      problems: [404, 409, 413, 415, 429],
      handle: async ({ params, body, caller }, deps) => {
        const stored = await requireCase(deps, params.caseId);
        if (stored.status === 'closed') {
          throw conflict(
            `Case ${params.caseId} is closed; reopen it (PATCH status "open") before adding seeds`,
          );
        }
        const actor = actorOf(deps, caller);
        let liveFrom: number | null = null;
        if (body.fromBlock !== undefined) {
          const checkpoint = await deps.store.getCheckpoint(body.chain);
          liveFrom = checkpoint.inFlightTo ?? checkpoint.block;
          if (liveFrom === null) {
            throw conflict(
              `${body.chain} has not been ingested yet, so there is no live checkpoint to trace history up to; add the seed without fromBlock, or retry once ingestion has run`,
            );
          }
        }
        // A fromBlock past the checkpoint is covered by live ingestion itself: nothing to backfill.
        const needsBackfill = body.fromBlock !== undefined && liveFrom !== null && body.fromBlock <= liveFrom;
        const existing = await deps.store.getSeed(params.caseId, body.chain, body.address);
        let seed: SeedRecord;
        if (existing) {
          // The same seed, whose backfill was not recorded (the request failed in between): finish it.
          const progress = stored.backfill[body.chain];
          const unfinished =
            needsBackfill &&
            existing.fromBlock === body.fromBlock &&
            !(progress && progress.fromBlock <= (body.fromBlock as number));
          if (!unfinished) {
            throw conflict(`${body.address} on ${body.chain} is already a seed of case ${params.caseId}`);
          }
          seed = existing;
        } else {
          // addSeed bumps the chain's taint epoch once the seed is stored: the ingester reloads.
          seed = await deps.store.addSeed(
            params.caseId,
            {
              chain: body.chain,
              address: body.address,
              note: body.note ?? null,
              fromBlock: body.fromBlock ?? null,
            },
            actor,
          );
        }
        // The backfill is recorded only once the seed exists, so the backfill worker, which reads both,
        // can never trace the history without the seed it is for; then the ingester is told to reload.
        if (needsBackfill) {
          await deps.store.setBackfillProgress(
            params.caseId,
            body.chain,
            mergedBackfill(
              stored.backfill[body.chain],
              body.fromBlock as number,
              liveFrom as number,
              actor.at,
            ),
          );
          await deps.store.bumpTaintEpoch(body.chain);
        }
        const view = seedViewOf(seed);
        return {
          status: 201,
          json: view,
          headers: { location: `/cases/${params.caseId}/seeds/${seed.chain}/${view.address}` },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/seeds',
      operationId: 'listSeeds',
      summary: 'List the seed wallets of a case',
      tag: 'seeds',
      params: caseParams,
      query: seedListQuery,
      responses: { 200: { description: 'A page of seeds', schema: seedPage } },
      problems: [404, 429],
      handle: async ({ params, query }, deps) => {
        await requireCase(deps, params.caseId);
        const page = await deps.store.listSeeds(params.caseId, {
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return { status: 200, json: { items: page.items.map(seedViewOf), nextCursor: page.cursor ?? null } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/seeds/{chain}/{address}',
      operationId: 'getSeed',
      summary: 'One seed wallet',
      tag: 'seeds',
      params: seedParams,
      responses: { 200: { description: 'The seed', schema: seedView } },
      problems: [404, 429],
      handle: async ({ params }, deps) => {
        await requireCase(deps, params.caseId);
        const seed = await deps.store.getSeed(params.caseId, params.chain, params.address);
        if (!seed)
          throw notFound(`${params.address} on ${params.chain} is not a seed of case ${params.caseId}`);
        return { status: 200, json: seedViewOf(seed) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/cases/{caseId}/seeds/{chain}/{address}',
      operationId: 'removeSeed',
      summary: 'Remove a seed wallet',
      description: 'Wallets already tainted through it stay in the evidence; tracing from it stops.',
      tag: 'seeds',
      params: seedParams,
      responses: { 204: { description: 'Removed' } },
      problems: [404, 429],
      handle: async ({ params, caller }, deps) => {
        await requireCase(deps, params.caseId);
        // removeSeed throws SeedNotFoundError (404) and bumps the chain's taint epoch.
        await deps.store.removeSeed(params.caseId, params.chain, params.address, actorOf(deps, caller));
        return { status: 204 };
      },
    }),
  ];
}

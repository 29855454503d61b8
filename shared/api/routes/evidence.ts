import { flowGraphToDot } from '../../domain/flow-graph.ts';
import type { ApiDeps } from '../deps.ts';
import { storedFlowGraph } from '../graph/stored-flow-graph.ts';
import { alertViewOf, assetDescriber, auditViewOf, checksummed, walletViewOf } from '../presenters.ts';
import { invalidRequest, ProblemError } from '../problem.ts';
import { defineRoute, type Route } from '../route.ts';
import { alertListQuery, alertPage } from '../schemas/alerts.ts';
import { auditListQuery, auditPage } from '../schemas/audit.ts';
import { DEFAULT_PAGE_SIZE } from '../schemas/common.ts';
import { flowGraphView, graphQuery } from '../schemas/graph.ts';
import { walletListQuery, walletPage } from '../schemas/wallets.ts';
import { collectPages, mapBounded, requireCase } from './case-lookup.ts';
import { caseParams } from './cases.ts';

/** One graph answer stays readable and inside Lambda's 6 MB response limit. */
export const MAX_GRAPH_EDGES = 5_000;
const MAX_GRAPH_WALLETS = 20_000;
const DOT_MEDIA_TYPE = 'text/vnd.graphviz';

/** Picks JSON or DOT from the Accept header (q-values honoured; 406 when neither is acceptable). */
function graphFormat(accept: string | undefined): 'json' | 'dot' {
  if (!accept || accept.trim() === '') return 'json';
  let best: { format: 'json' | 'dot'; q: number; specific: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.trim().toLowerCase().split(';');
    const qParam = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const candidates: { format: 'json' | 'dot'; specific: number }[] = [];
    if (type === DOT_MEDIA_TYPE) candidates.push({ format: 'dot', specific: 2 });
    if (type === 'application/json') candidates.push({ format: 'json', specific: 2 });
    if (type === 'text/*') candidates.push({ format: 'dot', specific: 1 });
    if (type === 'application/*' || type === '*/*')
      candidates.push({ format: 'json', specific: type === '*/*' ? 0 : 1 });
    for (const candidate of candidates) {
      if (!best || q > best.q || (q === best.q && candidate.specific > best.specific))
        best = { ...candidate, q };
    }
  }
  if (!best) {
    throw new ProblemError(
      'not-acceptable',
      `The graph is available as application/json or ${DOT_MEDIA_TYPE}`,
    );
  }
  return best.format;
}

export function evidenceRoutes(chains: readonly string[]): Route<ApiDeps>[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/wallets',
      operationId: 'listTaintedWallets',
      summary: 'Tainted wallets of a case: hop, tainted amounts, labels',
      description: 'Ordered by chain, hop, address. Filter by chain, and by hop within a chain.',
      tag: 'evidence',
      params: caseParams,
      query: walletListQuery(chains),
      responses: { 200: { description: 'A page of tainted wallets', schema: walletPage } },
      problems: [404, 429],
      handle: async ({ params, query }, deps) => {
        const stored = await requireCase(deps, params.caseId);
        const page = await deps.store.listWallets(params.caseId, {
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.chain ? { chain: query.chain } : {}),
          ...(query.hop !== undefined ? { hop: query.hop } : {}),
        });
        const describe = assetDescriber(deps, stored);
        const items = await mapBounded(page.items, 8, async (wallet) => {
          const address = wallet.wallet.address;
          // Built-in data less learned deposit addresses, which the store holds (and answers below).
          const builtIn = (deps.labels.labelsOf(wallet.chain, address) ?? []).filter(
            (label) => !label.depositOf,
          );
          const own = await deps.store.getLabels(wallet.chain, address);
          const labels = [
            ...builtIn.map((label) => ({ category: label.category, name: label.name, source: label.source })),
            ...own.map((entry) => ({
              category: entry.label.category,
              name: entry.label.name,
              source: entry.label.source,
            })),
          ];
          return walletViewOf(wallet, describe, labels);
        });
        return { status: 200, json: { items, nextCursor: page.cursor ?? null } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/alerts',
      operationId: 'listAlerts',
      summary: 'Alerts of a case',
      tag: 'evidence',
      params: caseParams,
      query: alertListQuery,
      responses: { 200: { description: 'A page of alerts', schema: alertPage } },
      problems: [404, 429],
      handle: async ({ params, query }, deps) => {
        await requireCase(deps, params.caseId);
        const page = await deps.store.listAlerts(params.caseId, {
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          newestFirst: query.order !== 'oldest',
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.since ? { since: query.since } : {}),
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.severity ? { severity: query.severity } : {}),
        });
        return { status: 200, json: { items: page.items.map(alertViewOf), nextCursor: page.cursor ?? null } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/graph',
      operationId: 'getFlowGraph',
      summary: 'The flow of stolen value on one chain, as JSON or Graphviz DOT',
      description: `JSON by default; send Accept: ${DOT_MEDIA_TYPE} for DOT (render with \`dot -Tsvg\`).`,
      tag: 'evidence',
      params: caseParams,
      query: graphQuery(chains),
      responses: {
        200: {
          description: 'Wallets reached and transfers that carried the value',
          schema: flowGraphView,
          alternatives: { [DOT_MEDIA_TYPE]: { description: 'The same graph in Graphviz DOT' } },
        },
      },
      problems: [404, 406, 429],
      handle: async ({ params, query, event }, deps) => {
        const format = graphFormat(event.headers?.accept);
        const stored = await requireCase(deps, params.caseId);
        const seeds = await collectPages(
          (cursor) => deps.store.listSeeds(params.caseId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
          100_000,
        );
        let chain = query.chain;
        if (chain === undefined) {
          const seedChains = [...new Set(seeds.items.map((seed) => seed.chain))];
          const candidates = seedChains.length > 0 ? seedChains : [...deps.chains];
          if (candidates.length !== 1) {
            throw invalidRequest(`Name the chain to draw: ?chain= one of ${candidates.join(', ')}`, [
              { in: 'query', name: 'chain', detail: 'is required when the case spans several chains' },
            ]);
          }
          chain = candidates[0] as string;
        }
        const drawn = chain;
        const [wallets, edges] = await Promise.all([
          collectPages(
            (cursor) =>
              deps.store.listWallets(params.caseId, {
                chain: drawn,
                limit: 1000,
                ...(cursor ? { cursor } : {}),
              }),
            MAX_GRAPH_WALLETS,
          ),
          collectPages(
            (cursor) =>
              deps.store.listEdges(params.caseId, {
                chain: drawn,
                limit: 1000,
                ...(cursor ? { cursor } : {}),
              }),
            MAX_GRAPH_EDGES,
          ),
        ]);
        const describe = assetDescriber(deps, stored);
        const graph = storedFlowGraph({
          caseId: stored.id,
          caseName: stored.name,
          chain: drawn,
          wallets: wallets.items,
          seeds: seeds.items.filter((seed) => seed.chain === drawn).map((seed) => seed.address),
          edges: edges.items,
          describe: (asset) => describe(drawn, asset),
          labelsOf: (address) => deps.labels.labelsOf(drawn, address),
          formatAddress: checksummed,
        });
        const truncated = edges.truncated || wallets.truncated;
        if (format === 'dot') {
          const note = truncated
            ? `// truncated: only the first ${MAX_GRAPH_EDGES} transfers are drawn\n`
            : '';
          return {
            status: 200,
            text: { contentType: `${DOT_MEDIA_TYPE}; charset=utf-8`, body: note + flowGraphToDot(graph) },
            headers: { vary: 'accept' },
          };
        }
        return { status: 200, json: { ...graph, truncated }, headers: { vary: 'accept' } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/cases/{caseId}/audit',
      operationId: 'listAudit',
      summary: 'Who changed what in a case, oldest first',
      tag: 'cases',
      params: caseParams,
      query: auditListQuery,
      responses: { 200: { description: 'A page of audit entries', schema: auditPage } },
      problems: [404, 429],
      handle: async ({ params, query }, deps) => {
        await requireCase(deps, params.caseId);
        const page = await deps.store.listAudit(params.caseId, {
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return { status: 200, json: { items: page.items.map(auditViewOf), nextCursor: page.cursor ?? null } };
      },
    }),
  ];
}

import type { ApiDeps } from '../deps.ts';
import type { Route } from '../route.ts';
import { caseRoutes } from './cases.ts';
import { evidenceRoutes } from './evidence.ts';
import { labelRoutes } from './labels.ts';
import { metaRoutes } from './meta.ts';
import { seedRoutes } from './seeds.ts';

/** The whole API. Request schemas depend on the configured chains (they must name one of them). */
export function apiRoutes(chains: readonly string[], openApiDocument: () => unknown): Route<ApiDeps>[] {
  return [
    ...caseRoutes(chains),
    ...seedRoutes(chains),
    ...evidenceRoutes(chains),
    ...labelRoutes(chains),
    ...metaRoutes(openApiDocument),
  ];
}

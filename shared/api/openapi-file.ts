/**
 * `openapi.json` at the repository root: the document users read without running anything. It is
 * generated from the route table and kept in the repository; a test fails when it is stale.
 *
 *   npx tsx shared/api/openapi-file.ts      (rewrites openapi.json)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument } from './openapi.ts';
import { apiRoutes } from './routes/index.ts';

export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** The chains a deployment configures are checked at run time; the document does not depend on them. */
export function repositoryOpenApiDocument(): Record<string, unknown> {
  const routes = apiRoutes(['ethereum'], () => ({}));
  return buildOpenApiDocument(routes, { version: packageJson.version });
}

export function renderOpenApiFile(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OPENAPI_FILE, renderOpenApiFile(repositoryOpenApiDocument()));
  console.log(`wrote ${OPENAPI_FILE}`);
}

import type { ApiDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { healthView } from '../schemas/labels.ts';

export function metaRoutes(openApiDocument: () => unknown): Route<ApiDeps>[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness, version and the configured chains',
      tag: 'meta',
      responses: { 200: { description: 'The API is up', schema: healthView } },
      problems: [],
      handle: async (_input, deps) => ({
        status: 200,
        json: { status: 'ok', chains: [...deps.chains], version: deps.version },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'openApiDocument',
      summary: "This API's OpenAPI 3.1 document",
      tag: 'meta',
      responses: {
        200: { description: 'The OpenAPI document (the same as openapi.json in the repository)' },
      },
      problems: [],
      handle: async () => ({ status: 200, json: openApiDocument() }),
    }),
  ];
}

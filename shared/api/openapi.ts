/**
 * The OpenAPI 3.1 document, generated from the route table: zod 4's own `z.toJSONSchema` turns each
 * schema into JSON Schema 2020-12, the dialect OpenAPI 3.1 uses, so no second schema language and no
 * extra library stand between the validation and the document. (zod-to-openapi would add a
 * registration API on top; the route table already holds everything a path item needs.)
 */
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem.ts';
import type { Route } from './route.ts';
import { responseComponents } from './schemas/registry.ts';

// Imported for their registration side effect as much as their use: every response schema must be
// in `responseComponents` before the components are converted.
import './schemas/problem.ts';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * A schema may carry `meta({ jsonSchema })` to say how it looks on the wire when zod cannot tell: a
 * query parameter parsed from text into an integer, an address checked by code rather than a pattern.
 */
function override(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const meta = z.globalRegistry.get(ctx.zodSchema as z.ZodType) as { jsonSchema?: JsonSchema } | undefined;
  delete ctx.jsonSchema.jsonSchema;
  if (!meta?.jsonSchema) return;
  const { description, examples, default: fallback } = ctx.jsonSchema;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, meta.jsonSchema);
  if (description !== undefined) ctx.jsonSchema.description = description;
  if (examples !== undefined) ctx.jsonSchema.examples = examples;
  if (fallback !== undefined) ctx.jsonSchema.default = fallback;
}

function inputSchema(schema: z.ZodType): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    override,
  }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

function responseComponentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(responseComponents, {
    io: 'output',
    target: 'draft-2020-12',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
    override,
  }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

function componentRef(schema: z.ZodType): JsonSchema {
  const id = responseComponents.get(schema)?.id;
  if (!id) throw new Error('a response schema must be registered in responseComponents');
  return { $ref: `${COMPONENT_PREFIX}${id}` };
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  throw new Error('path and query schemas must be objects');
}

function parameters(route: Route<ApiDeps>): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [name, schema] of Object.entries(shapeOf(route.params))) {
    const converted = inputSchema(schema);
    const { description, ...rest } = converted;
    list.push({ name, in: 'path', required: true, ...(description ? { description } : {}), schema: rest });
  }
  for (const [name, schema] of Object.entries(shapeOf(route.query))) {
    const converted = inputSchema(schema);
    const { description, ...rest } = converted;
    list.push({
      name,
      in: 'query',
      required: !schema.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    });
  }
  if (route.idempotent) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request within 24 hours answers the first response again (header Idempotent-Replayed: true) without creating twice; the same key with another request is a 409',
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
    });
  }
  return list;
}

function problemResponse(description: string): JsonSchema {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
  };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names every failing field',
  404: 'No such case, seed or resource',
  406: 'The Accept header asks for a representation this resource does not have',
  409: 'Conflicts with the current state (already present, case closed, Idempotency-Key reused or in progress)',
  413: 'The body is over 64 KiB',
  415: 'The body is not application/json',
  429: 'The store is throttling; retry after a pause',
};

function operation(route: Route<ApiDeps>): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content: Record<string, JsonSchema> = {};
    if (response.schema) content['application/json'] = { schema: componentRef(response.schema) };
    for (const [mediaType, alternative] of Object.entries(response.alternatives ?? {})) {
      content[mediaType] = { schema: { type: 'string', description: alternative.description } };
    }
    if (route.operationId === 'openApiDocument') content['application/json'] = { schema: { type: 'object' } };
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    };
  }
  for (const status of [400, ...route.problems].sort()) {
    responses[String(status)] = problemResponse(PROBLEM_DESCRIPTIONS[status] ?? 'Problem');
  }
  responses.default = problemResponse('Any other problem (401, 405, 500, 503), as RFC 9457 problem details');
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(route.body) } },
          },
        }
      : {}),
    responses,
  };
}

export interface OpenApiOptions {
  readonly version: string;
}

export function buildOpenApiDocument(routes: readonly Route<ApiDeps>[], options: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  const problemTypes = Object.entries(PROBLEM_TYPES)
    .map(([slug, { status, title }]) => `- \`${slug}\` (${status}): ${title}`)
    .join('\n');
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'laundering-alerts API',
      version: options.version,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'Cases, seed wallets (with backfill from a past block), tainted wallets, alerts and flow graphs of one agency.',
        '',
        'In AWS every route needs IAM authorization: sign requests with SigV4 (service `execute-api`). Locally (`npm start`) no signature is needed.',
        'Addresses are accepted in lowercase or with a valid EIP-55 checksum and answered checksummed. Amounts are decimal strings.',
        'Lists are paginated: pass `nextCursor` back as `?cursor=`. POST requests accept an `Idempotency-Key` header.',
        '',
        `Errors are RFC 9457 problem details (application/problem+json); \`type\` is \`tag:laundering-alerts,2026:problems/<slug>\`:\n${problemTypes}`,
      ].join('\n'),
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start (local, no signature)' }],
    security: [{ sigv4: [] }],
    tags: [
      { name: 'cases', description: 'Cases and their audit trail' },
      { name: 'seeds', description: 'Seed wallets: where the stolen funds were first received' },
      { name: 'evidence', description: 'Tainted wallets, alerts and the flow graph' },
      { name: 'labels', description: 'Who an address is' },
      { name: 'meta', description: 'Health and this document' },
    ],
    paths,
    components: {
      schemas: responseComponentSchemas(),
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 (IAM authorization of API Gateway)',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}

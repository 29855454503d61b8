/**
 * The API over real HTTP for tests: dynalite on loopback, the store's table, the real handler served
 * by the local API server on a free port. Every answer the client receives is checked against the
 * OpenAPI document (status, media type and body schema), so each test doubles as a conformance test.
 */
import { request as httpRequest } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { getAddress } from 'ethers';
import {
  LOCAL_IDENTITY,
  type LocalIdentity,
  startLocalApi,
} from '../../infra/local/http/local-api-server.ts';
import { type EmbeddedServer, startDynamoDbServer } from '../../infra/local/servers/index.ts';
import { createApi } from '../../shared/api/api-handler.ts';
import type { ApiDeps } from '../../shared/api/deps.ts';
import { apiDeps } from '../../shared/api/env.ts';
import { createTable } from '../../shared/store/table.ts';
import { localDynamoDbClient } from '../store/local-table.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const CHAINS = ['local', 'ethereum'];

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON when the answer is JSON (application/json or application/problem+json). */
  readonly json: any;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as-is (no JSON encoding) when given. */
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

/** A conformance record: which documented operation answered which status. */
export interface Observed {
  readonly operation: string;
  readonly status: number;
}

export class OpenApiConformance {
  readonly #document: any;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly observed: Observed[] = [];

  constructor(document: any) {
    this.#document = document;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ $id: 'urn:laundering-alerts:api', components: document.components });
  }

  /** The documented operation for a concrete method and path, if any. */
  operationFor(method: string, path: string): { template: string; operation: any } | undefined {
    const segments = path.split('?')[0]?.split('/') ?? [];
    for (const [template, item] of Object.entries<any>(this.#document.paths)) {
      const parts = template.split('/');
      if (parts.length !== segments.length) continue;
      const fits = parts.every((part, i) => part.startsWith('{') || part === segments[i]);
      const operation = item[method.toLowerCase()];
      if (fits && operation) return { template, operation };
    }
    return undefined;
  }

  #validatorFor(schema: any): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.#validators.get(key);
    if (!validate) {
      validate =
        typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/')
          ? (this.#ajv.getSchema(`urn:laundering-alerts:api${schema.$ref}`) as ValidateFunction)
          : this.#ajv.compile(schema);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  /** Throws with the reason when the answer is not what the document says. */
  check(method: string, path: string, answer: ApiAnswer): void {
    const found = this.operationFor(method, path);
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!found) {
      // Unknown paths and methods answer problems; the document describes those under every operation.
      if (mediaType !== 'application/problem+json') {
        throw new Error(`${method} ${path}: undocumented and not a problem (${answer.status} ${mediaType})`);
      }
      this.#validateBody(this.#validatorFor({ $ref: '#/components/schemas/Problem' }), answer, method, path);
      return;
    }
    const responses = found.operation.responses;
    const response = responses[String(answer.status)] ?? responses.default;
    if (!response) throw new Error(`${method} ${path}: status ${answer.status} is not documented`);
    if (!responses[String(answer.status)] && answer.status < 400) {
      throw new Error(`${method} ${path}: success status ${answer.status} is not documented`);
    }
    this.observed.push({ operation: found.operation.operationId, status: answer.status });
    if (!response.content) {
      if (answer.text !== '') throw new Error(`${method} ${path}: ${answer.status} should have no body`);
      return;
    }
    const media = response.content[mediaType];
    if (!media) {
      throw new Error(
        `${method} ${path}: ${answer.status} answered ${mediaType}, documented ${Object.keys(response.content)}`,
      );
    }
    if (mediaType.endsWith('json'))
      this.#validateBody(this.#validatorFor(media.schema), answer, method, path);
  }

  #validateBody(validate: ValidateFunction, answer: ApiAnswer, method: string, path: string): void {
    if (!validate(answer.json)) {
      throw new Error(
        `${method} ${path} -> ${answer.status} does not match the document: ${this.#ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`,
      );
    }
  }
}

export interface ApiHarness {
  readonly url: string;
  readonly dynamo: EmbeddedServer;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly deps: ApiDeps;
  readonly conformance: OpenApiConformance;
  readonly document: any;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiAnswer>;
  /** Every item of the table, for "nothing was stored" checks. */
  snapshot(): Promise<string[]>;
  /** Another local server on the same table, as another caller. */
  asCaller(identity: LocalIdentity): Promise<{ request: ApiHarness['request']; close(): Promise<void> }>;
  close(): Promise<void>;
}

let tables = 0;

/**
 * node:http rather than fetch: fetch resolves dot segments (`/cases/%2e%2e` becomes `/`) and adds a
 * content type to string bodies, and hostile-input tests need the request exactly as written.
 */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): Promise<ApiAnswer> {
  const { hostname, port } = new URL(base);
  const payload = body === undefined ? undefined : Buffer.from(body);
  // Node sends DELETE bodies without framing unless told their length.
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, method, path, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const mediaType = answerHeaders.get('content-type') ?? '';
        resolve({
          status: incoming.statusCode ?? 0,
          headers: answerHeaders,
          text,
          json: /json/.test(mediaType) && text !== '' ? JSON.parse(text) : undefined,
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export const quietLogger = () => new Logger({ serviceName: 'api-test', logLevel: 'SILENT' });

export interface HarnessOptions {
  /** Talk to DynamoDB through this endpoint instead of dynalite's own (e.g. a fault-injecting proxy). */
  readonly dynamoEndpoint?: (dynalite: string) => Promise<string>;
  readonly maxAttempts?: number;
}

export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const dynamo = await startDynamoDbServer();
  const direct = localDynamoDbClient(dynamo.endpoint);
  const tableName = `api-test-${process.pid}-${++tables}`;
  await createTable(direct, tableName);
  const endpoint = options.dynamoEndpoint ? await options.dynamoEndpoint(dynamo.endpoint) : dynamo.endpoint;
  const client = localDynamoDbClient(endpoint, options.maxAttempts ?? 3);
  const deps = apiDeps({ client, tableName, chains: CHAINS, logger: quietLogger() });
  const api = createApi(deps);
  const document = api.openApiDocument();
  const conformance = new OpenApiConformance(document);
  const servers: { close(): Promise<void> }[] = [];

  const requester =
    (url: string) =>
    async (method: string, path: string, request: RequestOptions = {}) => {
      const headers: Record<string, string> = { ...request.headers };
      let body: string | Uint8Array | undefined = request.rawBody;
      if (body === undefined && request.body !== undefined) body = JSON.stringify(request.body);
      // A string body is JSON unless the test says otherwise; bytes go without a content type.
      if (
        typeof body === 'string' &&
        !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
      ) {
        headers['content-type'] = 'application/json';
      }
      const answer = await send(url, method, path, headers, body);
      conformance.check(method, path, answer);
      return answer;
    };

  const local = await startLocalApi({ port: 0, handler: api.handler });
  servers.push(local);
  return {
    url: local.url,
    dynamo,
    client: direct,
    tableName,
    deps,
    conformance,
    document,
    request: requester(local.url),
    async snapshot() {
      const documents = DynamoDBDocumentClient.from(direct);
      const items: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? []) items.push(JSON.stringify(item));
        start = page.LastEvaluatedKey;
      } while (start);
      return items.sort();
    },
    async asCaller(identity) {
      const other = await startLocalApi({ port: 0, handler: api.handler, identity });
      servers.push(other);
      return { request: requester(other.url), close: () => other.close() };
    },
    async close() {
      await Promise.allSettled(servers.map((server) => server.close()));
      client.destroy();
      direct.destroy();
      await dynamo.close();
    },
  };
}

export { LOCAL_IDENTITY };

/** EIP-55 spelling of a lowercase address, as the API answers it. */
export function checksum(address: string): string {
  return getAddress(address);
}

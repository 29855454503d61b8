/**
 * Serves a Lambda handler of API Gateway HTTP API events (payload format 2.0) on loopback, the way
 * API Gateway would call it: each HTTP request becomes an event, the handler's result becomes the
 * response. Nothing more: no routing, no validation, no auth check. The caller identity the IAM
 * authorizer would put in the request context is a fixed local one.
 *
 * API Gateway behaviours mirrored, because the handler depends on them:
 *   - `rawPath` is percent-decoded (HTTP APIs decode it; `rawQueryString` stays encoded);
 *   - header names are lowercased, repeated headers joined with commas, cookies moved to `cookies`;
 *   - a body that is not text is base64-encoded (`isBase64Encoded`);
 *   - payloads above 10 MB are refused with 413 before the handler runs (the HTTP API quota).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { closeServer, LOOPBACK, listenOnLoopback } from '../servers/listen.ts';

export interface LocalIdentity {
  readonly accountId: string;
  readonly userArn: string;
  readonly userId: string;
}

export const LOCAL_IDENTITY: LocalIdentity = {
  accountId: '000000000000',
  userArn: 'arn:aws:iam::000000000000:user/local-developer',
  userId: 'AIDALOCALDEVELOPER000',
};

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2WithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalApiOptions {
  /** 0 picks a free port; `npm start` passes 3000. */
  readonly port: number;
  readonly handler: HttpApiHandler;
  readonly identity?: LocalIdentity;
  /** Told of a handler that threw (API Gateway answers 500 then, and so does this server). */
  readonly onHandlerError?: (error: unknown) => void;
}

export interface LocalApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The HTTP API payload quota. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout; only reported to the handler through its context. */
const TIMEOUT_MS = 30_000;

const TEXT_MEDIA_TYPE =
  /^(text\/[^;]+|application\/(?:[a-z0-9.+-]+\+)?(?:json|xml)|application\/(?:javascript|x-www-form-urlencoded|graphql))\b/i;

class PayloadTooLargeError extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        reject(new PayloadTooLargeError());
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    // A malformed escape: left as it came; the handler's validation refuses it.
    return path;
  }
}

export function eventOf(
  request: IncomingMessage,
  body: Buffer,
  identity: LocalIdentity,
  now: Date,
): APIGatewayProxyEventV2WithIAMAuthorizer {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = decodedPath(queryAt < 0 ? target : target.slice(0, queryAt));
  const rawQueryString = queryAt < 0 ? '' : target.slice(queryAt + 1).replace(/#.*$/, '');
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] as string).toLowerCase();
    const value = request.rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies = [...(cookies ?? []), ...value.split(/;\s*/).filter((cookie) => cookie !== '')];
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const contentType = headers['content-type'] ?? '';
  const text = body.length === 0 || (TEXT_MEDIA_TYPE.test(contentType) && isUtf8(body));
  const method = (request.method ?? 'GET').toUpperCase();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !text,
    requestContext: {
      accountId: identity.accountId,
      apiId: 'local',
      domainName: headers.host ?? LOOPBACK,
      domainPrefix: 'local',
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? LOOPBACK,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        iam: {
          accessKey: 'LOCAL',
          accountId: identity.accountId,
          callerId: identity.userId,
          cognitoIdentity: null as never,
          principalOrgId: null as never,
          userArn: identity.userArn,
          userId: identity.userId,
        },
      },
    },
  } as APIGatewayProxyEventV2WithIAMAuthorizer;
}

function contextOf(requestId: string, started: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:api',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/api',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, started + TIMEOUT_MS - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The handler's result, in either of the payload 2.0 result formats. */
function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (
    typeof result === 'string' ||
    typeof result !== 'object' ||
    result === null ||
    !('statusCode' in result)
  ) {
    // The simple format: API Gateway answers 200 with the value as JSON.
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    send(response, 200, { 'content-type': 'application/json' }, body);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body =
    result.body === undefined
      ? ''
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : result.body;
  if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  send(response, result.statusCode ?? 200, headers, body);
}

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const identity = options.identity ?? LOCAL_IDENTITY;
  const server = createServer(async (request, response) => {
    const started = Date.now();
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        response.setHeader('connection', 'close');
        send(response, 413, { 'content-type': 'application/json' }, '{"message":"Request Entity Too Large"}');
      } else {
        response.destroy();
      }
      return;
    }
    const event = eventOf(request, body, identity, new Date(started));
    try {
      const result = await options.handler(event, contextOf(event.requestContext.requestId, started));
      writeResult(response, result);
    } catch (error) {
      options.onHandlerError?.(error);
      send(response, 500, { 'content-type': 'application/json' }, '{"message":"Internal Server Error"}');
    }
  });
  const port = await listenOnLoopback(server, options.port);
  return { url: `http://${LOOPBACK}:${port}`, port, close: () => closeServer(server) };
}

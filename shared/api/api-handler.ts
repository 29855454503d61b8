/**
 * The API as one Lambda: API Gateway HTTP API (payload 2.0) event in, structured result out. The
 * route table decides; middy only adapts (Powertools Logger context). `answer` works without middy,
 * for anyone who wants to call the API in-process.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { problemOf } from './errors-to-problems.ts';
import { parseIdempotencyKey, requestFingerprint, runIdempotently } from './idempotency.ts';
import { callerOf } from './identity.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem.ts';
import { assertNoBody, headerOf, jsonBodyOf, queryOf } from './request.ts';
import type { Route, RouteResult } from './route.ts';
import { Router } from './router.ts';
import { apiRoutes } from './routes/index.ts';
import { parseOrProblem } from './validation.ts';

export type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/** Evidence is not for shared caches; and no browser should sniff a JSON answer into HTML. */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const NO_QUERY = z.strictObject({});

function resultOf(route: RouteResult): ApiResult {
  const headers: Record<string, string> = { ...COMMON_HEADERS, ...route.headers };
  if (route.text) {
    return {
      statusCode: route.status,
      headers: { ...headers, 'content-type': route.text.contentType },
      body: route.text.body,
    };
  }
  if (route.json === undefined) return { statusCode: route.status, headers, body: '' };
  return {
    statusCode: route.status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(route.json),
  };
}

export function problemResult(problem: ProblemError, instance?: string): ApiResult {
  return {
    statusCode: problem.status,
    headers: { ...COMMON_HEADERS, ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem.toDocument(instance)),
  };
}

export interface Api {
  /** The Lambda handler (middy). */
  readonly handler: middy.MiddyfiedHandler<ApiEvent, ApiResult>;
  /** The same, without middy or a Lambda context. */
  answer(event: ApiEvent): Promise<ApiResult>;
  readonly routes: readonly Route<ApiDeps>[];
  openApiDocument(): Record<string, unknown>;
}

export function createApi(deps: ApiDeps): Api {
  let document: Record<string, unknown> | undefined;
  const openApiDocument = () => {
    document ??= buildOpenApiDocument(routes, { version: deps.version });
    return document;
  };
  const routes = apiRoutes(deps.chains, openApiDocument);
  const router = new Router(routes);

  async function dispatch(event: ApiEvent): Promise<ApiResult> {
    const method = (event.requestContext?.http?.method ?? '').toUpperCase();
    const { route, rawParams } = router.match(method, event.rawPath ?? '/');
    const caller = callerOf(event);
    if (!caller) {
      throw new ProblemError(
        'unauthenticated',
        'No caller identity: the API must be called through IAM (SigV4) authorization',
      );
    }
    const params = route.params ? parseOrProblem(route.params, rawParams, 'path') : undefined;
    const query = parseOrProblem(route.query ?? NO_QUERY, queryOf(event), 'query');
    let rawBody: unknown;
    let body: unknown;
    if (route.body) {
      rawBody = jsonBodyOf(event);
      body = parseOrProblem(route.body, rawBody, 'body');
    } else {
      assertNoBody(event);
    }
    const run = async () => resultOf(await route.handle({ params, query, body, caller, event }, deps));
    const key = route.idempotent ? parseIdempotencyKey(headerOf(event, 'idempotency-key')) : undefined;
    if (key === undefined) return run();
    return runIdempotently(
      {
        store: deps.idempotency,
        caller: caller.arn,
        key,
        fingerprint: requestFingerprint(method, event.rawPath, rawBody),
        now: deps.now(),
        onRecordFailure: (error) => deps.logger.error('could not record an idempotent answer', { error }),
      },
      run,
    );
  }

  async function answer(event: ApiEvent): Promise<ApiResult> {
    try {
      const result = await dispatch(event);
      deps.logger.info('answered', {
        method: event.requestContext?.http?.method,
        path: event.rawPath,
        status: result.statusCode,
      });
      return result;
    } catch (error) {
      const problem = problemOf(error, deps.logger);
      deps.logger.info('answered with a problem', {
        method: event.requestContext?.http?.method,
        path: event.rawPath?.slice(0, 200),
        status: problem.status,
        type: problem.slug,
      });
      return problemResult(problem);
    }
  }

  const handler = middy<ApiEvent, ApiResult>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler((event) => answer(event));

  return { handler, answer, routes, openApiDocument };
}

/** The Lambda handler for these dependencies (what `npm start` and tests serve over HTTP). */
export function createApiHandler(deps: ApiDeps): Api['handler'] {
  return createApi(deps).handler;
}

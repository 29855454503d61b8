/**
 * A route of the API: method, path template, the schemas of its inputs and answers, and the function
 * that does the work. The route table is the single description the router, the validator and the
 * OpenAPI document all read.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import type { z } from 'zod';
import type { Caller } from './identity.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteResponse {
  readonly description: string;
  /** A registered response schema (application/json); absent for 204. */
  readonly schema?: z.ZodType;
  /** Other representations of the same resource, e.g. text/vnd.graphviz for the flow graph. */
  readonly alternatives?: Readonly<Record<string, { readonly description: string }>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a route function answers; the handler serializes it. */
export interface RouteResult {
  readonly status: number;
  /** JSON body; validated against nothing at run time (the tests check it against the document). */
  readonly json?: unknown;
  /** A non-JSON body, e.g. DOT. */
  readonly text?: { readonly contentType: string; readonly body: string };
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: Caller;
  readonly event: APIGatewayProxyEventV2WithIAMAuthorizer;
}

export interface Route<Deps> {
  readonly method: HttpMethod;
  /** With `{name}` segments, e.g. /cases/{caseId}/seeds/{chain}/{address} */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** POST routes that honour Idempotency-Key. */
  readonly idempotent?: boolean;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Problem statuses this route can answer besides 400, 404 (unknown path), 405 and 5xx. */
  readonly problems: readonly number[];
  readonly handle: (input: RouteInput<unknown, unknown, unknown>, deps: Deps) => Promise<RouteResult>;
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<
  Deps,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  route: Omit<Route<Deps>, 'params' | 'query' | 'body' | 'handle'> & {
    readonly params?: P;
    readonly query?: Q;
    readonly body?: B;
    readonly handle: (
      input: RouteInput<
        P extends z.ZodType ? z.output<P> : undefined,
        Q extends z.ZodType ? z.output<Q> : undefined,
        B extends z.ZodType ? z.output<B> : undefined
      >,
      deps: Deps,
    ) => Promise<RouteResult>;
  },
): Route<Deps> {
  return route as unknown as Route<Deps>;
}

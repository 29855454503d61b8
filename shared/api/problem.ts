/**
 * RFC 9457 problem details: every error the API answers is one of these, with a stable `type` a client
 * can branch on and a `detail` a person can act on. Stack traces and store internals stay in the logs.
 */

/** Where a failing input is: the body (a JSON pointer), a path or query parameter, or a header. */
export interface FieldError {
  readonly in: 'body' | 'path' | 'query' | 'header';
  /** JSON Pointer into the body, as a URI fragment (`#/seeds/0/address`); for body errors. */
  readonly pointer?: string;
  /** Parameter or header name; for path, query and header errors. */
  readonly name?: string;
  readonly detail: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
}

/**
 * Tag URIs (RFC 4151) name problem types without promising a web page behind them; RFC 9457 section
 * 3.1.1 lists them as an acceptable choice. The slug is the part clients match on.
 */
export const PROBLEM_TYPE_PREFIX = 'tag:laundering-alerts,2026:problems/';

export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'invalid-cursor': { status: 400, title: 'The page cursor is not one this list handed out' },
  unauthenticated: { status: 401, title: 'The caller is not identified' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this resource' },
  'not-acceptable': { status: 406, title: 'No representation matches the Accept header' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'idempotency-key-reused': { status: 409, title: 'Idempotency-Key already used for another request' },
  'idempotency-key-in-progress': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'too-many-requests': { status: 429, title: 'Too many requests; retry later' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'A dependency is unavailable; retry later' },
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** Thrown anywhere below the router; the handler turns it into a problem+json response. */
export class ProblemError extends Error {
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly errors: readonly FieldError[] | undefined;
  /** Extra response headers, e.g. Allow for 405 or Retry-After for 429. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    slug: ProblemSlug,
    detail: string,
    options: { errors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProblemError';
    this.slug = slug;
    this.status = PROBLEM_TYPES[slug].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  toDocument(instance?: string): ProblemDocument {
    return {
      type: `${PROBLEM_TYPE_PREFIX}${this.slug}`,
      title: PROBLEM_TYPES[this.slug].title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function invalidRequest(detail: string, errors: readonly FieldError[]): ProblemError {
  return new ProblemError('invalid-request', detail, { errors });
}

export function notFound(detail: string): ProblemError {
  return new ProblemError('not-found', detail);
}

export function conflict(detail: string): ProblemError {
  return new ProblemError('conflict', detail);
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

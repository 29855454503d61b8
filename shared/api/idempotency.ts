/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): a retry of a request that
 * already succeeded gets the first answer again, created nothing twice; the same key with another
 * request is a 409; a retry while the first attempt still runs is a 409 too (retry later).
 *
 * Only successful (2xx) answers are recorded. A request refused for its input, or failing on the
 * way, created nothing, so its key is released: the client may fix the body and retry with the same
 * key. Powertools' idempotency utility was considered: it caches whatever the handler returns (so a
 * 429 would be replayed), keys all records under one partition when given a sort key, and hashes only
 * what a JMESPath selects; this small module scopes keys per caller and per request instead.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IdempotencyClaim, IdempotencyStore } from '../store/idempotency-dynamodb.ts';
import { invalidRequest, ProblemError } from './problem.ts';

/** Retries within a day are retries; after that the key may be reused. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Longer than the API Lambda's timeout: an attempt older than this has died. */
export const IDEMPOTENCY_LOCK_MS = 60_000;

/** Printable ASCII, as the draft recommends (a UUID fits); the quoted sf-string form is accepted. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const unquoted = /^"(.*)"$/.exec(header)?.[1] ?? header;
  if (!KEY_PATTERN.test(unquoted)) {
    throw invalidRequest('Idempotency-Key must be 1-255 printable ASCII characters, e.g. a UUID', [
      { in: 'header', name: 'idempotency-key', detail: 'must be 1-255 printable ASCII characters' },
    ]);
  }
  return unquoted;
}

/** JSON with sorted keys: the same body sent with another key order or spacing is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestFingerprint(method: string, rawPath: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${rawPath}\n${canonicalJson(body)}`)
    .digest('hex');
}

export interface IdempotentRequest {
  readonly store: IdempotencyStore;
  readonly caller: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly now: Date;
  /** Told when the answer could not be recorded; the answer is still returned (see below). */
  readonly onRecordFailure: (error: unknown) => void;
}

type Response = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export async function runIdempotently(
  request: IdempotentRequest,
  run: () => Promise<Response>,
): Promise<Response> {
  const claim: IdempotencyClaim = {
    caller: request.caller,
    key: request.key,
    fingerprint: request.fingerprint,
    now: request.now,
    lockMs: IDEMPOTENCY_LOCK_MS,
    ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
  };
  const held = await request.store.claim(claim);
  if (held) {
    if (held.fingerprint !== request.fingerprint) {
      throw new ProblemError(
        'idempotency-key-reused',
        'This Idempotency-Key was used with another request (method, path or body); use a new key for a new request',
      );
    }
    if (held.state === 'completed' && held.response) {
      return {
        statusCode: held.response.status,
        headers: { ...held.response.headers, 'idempotent-replayed': 'true' },
        body: held.response.body,
      };
    }
    throw new ProblemError(
      'idempotency-key-in-progress',
      'The first request with this Idempotency-Key is still being processed; retry in a few seconds',
      { headers: { 'retry-after': '2' } },
    );
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await request.store.release(claim);
    throw error;
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = String(value);
    try {
      await request.store.complete(claim, { status: response.statusCode, headers, body: response.body });
    } catch (error) {
      // The work is done: failing the answer now would make the client retry, and after the lock
      // expires that retry would create a second time. Answer, and let the record expire.
      request.onRecordFailure(error);
    }
  } else {
    await request.store.release(claim);
  }
  return response;
}

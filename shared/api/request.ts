/**
 * From an API Gateway HTTP API (payload 2.0) event to checked request parts: the body within its size
 * bound, of a JSON media type, parsed; the query string without duplicates. Everything here fails as
 * a problem (RFC 9457) naming what to fix.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { invalidRequest, ProblemError } from './problem.ts';

/** Request bodies are small JSON documents; 64 KiB is far above any real case or seed. */
export const MAX_BODY_BYTES = 64 * 1024;

export function headerOf(event: APIGatewayProxyEventV2WithIAMAuthorizer, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The raw body as bytes (API Gateway base64-encodes what it considers binary). */
export function bodyBytes(event: APIGatewayProxyEventV2WithIAMAuthorizer): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/;

/**
 * The body of a request that takes one: bounded (413), JSON by media type (415), well-formed (400).
 * An absent or empty body is answered 400 ("a JSON object is required").
 */
export function jsonBodyOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): unknown {
  const bytes = bodyBytes(event);
  if (bytes && bytes.length > MAX_BODY_BYTES) {
    throw new ProblemError(
      'payload-too-large',
      `The body has ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES} bytes (64 KiB)`,
    );
  }
  const contentType = headerOf(event, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ProblemError(
      'unsupported-media-type',
      `The body must be sent as Content-Type: application/json${contentType ? `, not ${contentType.slice(0, 100)}` : ''}`,
      { headers: { 'accept-post': 'application/json', 'accept-patch': 'application/json' } },
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ProblemError('unsupported-media-type', `The body must be UTF-8, not ${charset.slice(0, 40)}`);
  }
  if (!bytes || bytes.length === 0) {
    throw invalidRequest('A JSON object is required as the request body', [
      { in: 'body', pointer: '#', detail: 'is missing' },
    ]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest('The body is not valid UTF-8', [
      { in: 'body', pointer: '#', detail: 'is not valid UTF-8' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse names the position of the fault, never the content around it beyond a token.
    const reason = error instanceof SyntaxError ? error.message.slice(0, 200) : 'malformed';
    throw invalidRequest(`The body is not valid JSON: ${reason}`, [
      { in: 'body', pointer: '#', detail: 'is not valid JSON' },
    ]);
  }
}

/** A request that takes no body must not carry one: it would be silently ignored otherwise. */
export function assertNoBody(event: APIGatewayProxyEventV2WithIAMAuthorizer): void {
  const bytes = bodyBytes(event);
  if (bytes && bytes.length > 0) {
    throw invalidRequest('This request takes no body', [
      { in: 'body', pointer: '#', detail: 'must be empty' },
    ]);
  }
}

/** Query parameters as a plain object; a repeated parameter is ambiguous and rejected. */
export function queryOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): Record<string, string> {
  const raw = event.rawQueryString ?? '';
  if (raw === '') return {};
  if (raw.length > 4096) {
    throw invalidRequest('The query string is too long', [
      { in: 'query', name: '', detail: 'is over 4096 characters' },
    ]);
  }
  let params: URLSearchParams;
  try {
    // URLSearchParams never throws on bad escapes; decode each part strictly ourselves.
    params = new URLSearchParams();
    for (const pair of raw.split('&')) {
      if (pair === '') continue;
      const at = pair.indexOf('=');
      const name = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
      const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
      params.append(name, value);
    }
  } catch {
    throw invalidRequest('The query string has a malformed percent-encoding', [
      { in: 'query', name: '', detail: 'is not valid percent-encoding' },
    ]);
  }
  const seen = new Map<string, string>();
  for (const [name, value] of params) {
    if (seen.has(name)) {
      throw invalidRequest(`The query parameter ${name.slice(0, 40)} is given more than once`, [
        { in: 'query', name: name.slice(0, 40), detail: 'must be given at most once' },
      ]);
    }
    seen.set(name, value);
  }
  // fromEntries defines own properties, so a parameter named __proto__ is just an unknown parameter.
  return Object.fromEntries(seen);
}

/**
 * The HTTP API seen from the command line: JSON in and out, problems (RFC 9457) turned into one
 * readable line, POSTs made safe to retry with an Idempotency-Key, SigV4 where the API is in AWS.
 */
import { randomUUID } from 'node:crypto';
import { CliInputError } from '../errors.ts';
import { executeApiRegion, type RequestSigner, sigV4Signer } from './sigv4.ts';

/** A problem answer from the API: what was wrong, field by field. Exit code 2. */
export class ApiProblemError extends CliInputError {
  readonly status: number;
  readonly problem: {
    type?: string;
    title?: string;
    detail?: string;
    errors?: { pointer?: string; name?: string; detail: string }[];
  };

  constructor(status: number, problem: ApiProblemError['problem']) {
    const fields = (problem.errors ?? [])
      .map((error) => `  ${error.pointer ?? error.name ?? ''} ${error.detail}`.trimEnd())
      .join('\n');
    super(`${status} ${problem.detail ?? problem.title ?? 'request refused'}${fields ? `\n${fields}` : ''}`);
    this.name = 'ApiProblemError';
    this.status = status;
    this.problem = problem;
  }
}

/** The API could not be reached, or kept failing. Exit code 2: the user can fix it (start it, wait). */
export class ApiUnreachableError extends CliInputError {
  constructor(message: string) {
    super(message);
    this.name = 'ApiUnreachableError';
  }
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json?: unknown;
  readonly text: string;
}

export interface ApiRequest {
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly accept?: string;
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** Sign requests for this region even when the URL is not an execute-api host (a custom domain). */
  readonly signRegion?: string;
  /** For tests: the signer to use instead of SigV4 with the default credential chain. */
  readonly signer?: RequestSigner;
  readonly fetch?: typeof fetch;
  /** Attempts for a request that met a network error, 429 or 503 (POSTs keep their Idempotency-Key). */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

export class ApiClient {
  readonly baseUrl: URL;
  readonly #signer: RequestSigner | undefined;
  readonly #fetch: typeof fetch;
  readonly #attempts: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: ApiClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new CliInputError(`--api ${JSON.stringify(options.baseUrl)} is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CliInputError(`--api ${base.href}: use an http:// or https:// URL`);
    }
    this.baseUrl = base;
    const region = options.signRegion ?? executeApiRegion(base);
    this.#signer = options.signer ?? (region ? sigV4Signer(region) : undefined);
    this.#fetch = options.fetch ?? fetch;
    this.#attempts = options.attempts ?? 3;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get signs(): boolean {
    return this.#signer !== undefined;
  }

  #url(path: string, query: ApiRequest['query']): URL {
    const base = this.baseUrl.href.endsWith('/') ? this.baseUrl.href.slice(0, -1) : this.baseUrl.href;
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  /** Answers 2xx; throws ApiProblemError for a problem, ApiUnreachableError when it cannot get an answer. */
  async request(method: string, path: string, request: ApiRequest = {}): Promise<ApiAnswer> {
    const url = this.#url(path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: request.accept ?? 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // One key for all attempts of this command: a retry after a lost answer cannot create twice.
    if (method === 'POST') headers['idempotency-key'] = randomUUID();
    let lastFailure = '';
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      if (attempt > 1) await this.#sleep(250 * 2 ** (attempt - 2));
      const sent = this.#signer
        ? await this.#signer({ method, url, headers, ...(body !== undefined ? { body } : {}) })
        : headers;
      let response: Response;
      try {
        response = await this.#fetch(url, { method, headers: sent, ...(body !== undefined ? { body } : {}) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        lastFailure = `cannot reach ${this.baseUrl.origin} (${cause})`;
        continue;
      }
      const text = await response.text();
      const mediaType = response.headers.get('content-type') ?? '';
      let json: unknown;
      if (/json/.test(mediaType) && text !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          throw new ApiUnreachableError(
            `${this.baseUrl.origin} answered ${response.status} with malformed JSON`,
          );
        }
      }
      if (response.ok) return { status: response.status, headers: response.headers, json, text };
      if (RETRYABLE.has(response.status) && attempt < this.#attempts) {
        lastFailure = `${response.status}`;
        continue;
      }
      if (mediaType.startsWith('application/problem+json') && json && typeof json === 'object') {
        throw new ApiProblemError(response.status, json as ApiProblemError['problem']);
      }
      // API Gateway's own answers (403 for a bad signature, 413 over its quota) are not problems.
      const message = (json as { message?: string } | undefined)?.message ?? text.slice(0, 200);
      throw new ApiProblemError(response.status, { detail: message || response.statusText });
    }
    const hint =
      this.baseUrl.hostname === '127.0.0.1' || this.baseUrl.hostname === 'localhost'
        ? '; is `npm start` running?'
        : '';
    throw new ApiUnreachableError(`${lastFailure}${hint}`);
  }
}

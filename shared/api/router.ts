import { ProblemError } from './problem.ts';
import type { HttpMethod, Route } from './route.ts';

export interface RouteMatch<Deps> {
  readonly route: Route<Deps>;
  /** Path parameters as API Gateway decoded them, not yet validated. */
  readonly rawParams: Record<string, string>;
}

interface CompiledRoute<Deps> {
  readonly route: Route<Deps>;
  /** Literal segments as strings, parameters as { name }. */
  readonly segments: readonly (string | { readonly name: string })[];
}

/**
 * API Gateway HTTP APIs hand the Lambda `rawPath` already percent-decoded (REST APIs and function URLs
 * do not): `/cases/..%2F..` arrives as `/cases/../..`, which has more segments than any route and is a
 * 404. The path is not decoded a second time here: a `%` left in a segment is refused by the
 * parameter's pattern, and a double decoding could turn `%252F` into a separator.
 */
function segmentsOf(rawPath: string): string[] {
  const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  return trimmed.split('/').slice(1);
}

/** A small route table, matched in order; a path that fits several routes takes the first of its method. */
export class Router<Deps> {
  readonly #routes: CompiledRoute<Deps>[];

  constructor(routes: readonly Route<Deps>[]) {
    this.#routes = routes.map((route) => ({
      route,
      segments: route.path
        .split('/')
        .slice(1)
        .map((part) => (part.startsWith('{') && part.endsWith('}') ? { name: part.slice(1, -1) } : part)),
    }));
  }

  /** Throws 404 for a path no route has, 405 (with Allow) for a known path and another method. */
  match(method: string, rawPath: string): RouteMatch<Deps> {
    if (rawPath.length > 2048) throw new ProblemError('not-found', 'No resource has such a long path');
    const segments = segmentsOf(rawPath);
    const allowed: HttpMethod[] = [];
    let found: RouteMatch<Deps> | undefined;
    for (const compiled of this.#routes) {
      const rawParams = matchSegments(compiled.segments, segments);
      if (!rawParams) continue;
      if (compiled.route.method === method) {
        found ??= { route: compiled.route, rawParams };
      } else {
        allowed.push(compiled.route.method);
      }
    }
    if (found) return found;
    if (allowed.length > 0) {
      const allow = [...new Set(allowed)].sort().join(', ');
      throw new ProblemError(
        'method-not-allowed',
        `${method.slice(0, 16)} is not allowed here; use ${allow}`,
        {
          headers: { allow },
        },
      );
    }
    throw new ProblemError('not-found', 'No such route; GET /openapi.json lists them');
  }
}

function matchSegments(
  template: readonly (string | { readonly name: string })[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const part = template[i] as string | { readonly name: string };
    const segment = segments[i] as string;
    if (typeof part === 'string') {
      if (part !== segment) return undefined;
    } else {
      if (segment === '') return undefined;
      params[part.name] = segment;
    }
  }
  return params;
}

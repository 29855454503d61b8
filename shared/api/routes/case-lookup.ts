import type { StoredCase } from '../../store/repository.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../problem.ts';

/** Every route under /cases/{caseId} answers 404 for a case that does not exist, not an empty list. */
export async function requireCase(deps: ApiDeps, caseId: string): Promise<StoredCase> {
  const stored = await deps.store.getCase(caseId);
  if (!stored) throw notFound(`Case ${caseId} does not exist`);
  return stored;
}

/** All pages of a store list, up to `max` items; `truncated` tells whether more were left. */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string }>,
  max: number,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.cursor;
    if (items.length >= max) return { items: items.slice(0, max), truncated: items.length > max || !!cursor };
  } while (cursor);
  return { items, truncated: false };
}

/** Runs `work` over `inputs` with at most `limit` in flight, keeping order. */
export async function mapBounded<I, O>(
  inputs: readonly I[],
  limit: number,
  work: (input: I) => Promise<O>,
): Promise<O[]> {
  const results: O[] = new Array(inputs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await work(inputs[index] as I);
    }
  });
  await Promise.all(lanes);
  return results;
}

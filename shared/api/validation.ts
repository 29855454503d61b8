import type { z } from 'zod';
import { type FieldError, invalidRequest } from './problem.ts';

type Location = FieldError['in'];

/** RFC 6901 escaping of one reference token. */
function pointerToken(part: PropertyKey): string {
  return String(part).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** zod issues -> the `errors` member of a 400 problem: one entry per failing field. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], where: Location): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    // An unknown field is reported at the field itself, so a client sees which one to drop.
    const paths =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...issue.path, key])
        : [issue.path as readonly PropertyKey[]];
    const detail = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
    for (const path of paths) {
      if (where === 'body') {
        errors.push({
          in: where,
          pointer: `#/${path.map(pointerToken).join('/')}`.replace(/\/$/, ''),
          detail,
        });
      } else {
        errors.push({ in: where, name: path.length > 0 ? String(path[0]) : '', detail });
      }
    }
  }
  return errors;
}

const SUMMARY: Record<Location, string> = {
  body: 'The request body does not match the schema',
  path: 'The path has an invalid parameter',
  query: 'The query string has an invalid parameter',
  header: 'A request header is invalid',
};

/** Parses or throws a 400 problem naming every failing field. */
export function parseOrProblem<S extends z.ZodType>(schema: S, input: unknown, where: Location): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, where);
  const first = errors[0];
  const at = first ? (first.pointer ?? first.name ?? '') : '';
  throw invalidRequest(`${SUMMARY[where]}${first ? `: ${at} ${first.detail}` : ''}`, errors);
}

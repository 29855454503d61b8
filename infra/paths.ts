import { fileURLToPath } from 'node:url';

/** The repository root: Lambda entry files and the lockfile are found from here, whatever the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type FunctionName = 'ingest' | 'publish' | 'api';

/** `functions/<name>/handler.ts`, each exporting `handler`. */
export function functionEntry(name: FunctionName): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}

export const LOCKFILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

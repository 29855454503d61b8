import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.ts';
import { UsageError } from '../errors.ts';
import { ApiClient } from './api-client.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';
/** Written by `npm start` in the directory it runs in. */
export const ENDPOINTS_FILE = join('.local', 'endpoints.json');

export const COMMON_OPTIONS = {
  api: { type: 'string' },
  json: { type: 'boolean' },
  sign: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const COMMON_USAGE = `Common options:
  --api URL      the API (default: the api of ${ENDPOINTS_FILE} written by \`npm start\`, else ${DEFAULT_API_URL});
                 requests to an AWS endpoint (*.execute-api.REGION.amazonaws.com) are signed with SigV4,
                 using the AWS credentials of the environment (profile, SSO, role...)
  --sign REGION  sign with SigV4 for REGION even if the URL is not an execute-api host (a custom domain)
  --json         print the API's JSON instead of a table
  --help         this text`;

/** --api, else LAUNDERING_ALERTS_API, else .local/endpoints.json's api, else the default port. */
export function apiUrlOf(flag: string | undefined, io: CliIo, cwd = process.cwd()): string {
  if (flag) return flag;
  if (io.env.LAUNDERING_ALERTS_API) return io.env.LAUNDERING_ALERTS_API;
  const file = join(cwd, ENDPOINTS_FILE);
  if (existsSync(file)) {
    try {
      const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { api?: unknown };
      if (typeof endpoints.api === 'string') return endpoints.api;
    } catch {
      // A half-written or foreign file: fall back to the default rather than fail.
    }
  }
  return DEFAULT_API_URL;
}

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export interface ApiContext {
  readonly client: ApiClient;
  readonly json: boolean;
}

export function apiContext(values: { api?: string; json?: boolean; sign?: string }, io: CliIo): ApiContext {
  return {
    client: new ApiClient({
      baseUrl: apiUrlOf(values.api, io),
      ...(values.sign ? { signRegion: values.sign } : {}),
    }),
    json: values.json === true,
  };
}

export function requirePositional(positionals: readonly string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

export function integerFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

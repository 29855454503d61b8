import { z } from 'zod';
import { type ChainName, defaultLagAlarmBlocks, defaultPollIntervalMs, KNOWN_CHAINS } from './chains.ts';

/**
 * The deployment config: one entry per agency, each deployed as its own stack into its own account.
 * Every object is strict, so a misspelt key ("confirmation") is an error rather than a silently
 * ignored setting.
 */

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Ingest runs for the whole minute, so its memory size sets most of the bill (docs/DEPLOYING.md).
 * 512 MB holds a traced Ethereum block comfortably.
 */
export const DEFAULT_INGEST_MEMORY_MB = 512;

const ACCOUNT_ID = z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' });

const chainSchema = z
  .strictObject({
    name: z.enum(KNOWN_CHAINS, { error: `must be one of ${KNOWN_CHAINS.join(', ')}` }),
    /** Secrets Manager secret whose SecretString is {"urls": ["https://..."]}; created by the operator. */
    rpcSecretName: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, {
      error: 'must be a Secrets Manager secret name (letters, digits and /_+=.@-), not a URL',
    }),
    confirmations: z
      .int({ error: 'must be a whole number of blocks' })
      .min(0, { error: 'must be 0 or more' })
      .max(10_000, { error: 'must be at most 10000 blocks' })
      .optional(),
    blockTag: z.enum(['safe', 'finalized'], { error: 'must be "safe" or "finalized"' }).optional(),
    tracing: z.enum(['block', 'transaction', 'off'], {
      error:
        'must be "block" (debug_traceBlockByNumber), "transaction" (debug_traceTransaction) or "off" (no internal transfers)',
    }),
    pollIntervalMs: z
      .int({ error: 'must be a whole number of milliseconds' })
      .min(250, { error: 'must be at least 250 ms' })
      .max(30_000, { error: 'must be at most 30000 ms (ingest runs for one minute per invocation)' })
      .optional(),
    lagAlarmBlocks: z.int({ error: 'must be a whole number of blocks' }).min(1).optional(),
    memoryMb: z
      .int({ error: 'must be a whole number of megabytes' })
      .min(256, { error: 'must be at least 256 MB' })
      .max(10_240, { error: 'must be at most 10240 MB (the Lambda maximum)' })
      .default(DEFAULT_INGEST_MEMORY_MB),
  })
  .superRefine((chain, ctx) => {
    const depths = [chain.confirmations !== undefined, chain.blockTag !== undefined].filter(Boolean).length;
    if (depths !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmations'],
        message: `set exactly one of "confirmations" (a block count) or "blockTag" ("safe" or "finalized"), got ${depths === 0 ? 'neither' : 'both'}`,
      });
    }
  });

const agencySchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, {
      error: 'must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter',
    }),
    account: ACCOUNT_ID.optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'must be an AWS region code such as eu-west-1' })
      .optional(),
    chains: z.array(chainSchema).min(1, { error: 'must list at least one chain' }),
    alertEmails: z.array(z.email({ error: 'must be an e-mail address' })).default([]),
    operationsEmails: z.array(z.email({ error: 'must be an e-mail address' })).default([]),
    /** Other AWS accounts (an exchange's, a partner agency's) allowed to subscribe to the alert topic. */
    subscriberAccounts: z.array(ACCOUNT_ID).default([]),
    logRetentionDays: z
      .literal(LOG_RETENTION_DAYS, {
        error: `must be one of ${LOG_RETENTION_DAYS.join(', ')} (the periods CloudWatch Logs accepts)`,
      })
      .default(365),
    apiThrottle: z
      .strictObject({
        rateLimit: z.int().min(1, { error: 'must be at least 1 request per second' }),
        burstLimit: z.int().min(1, { error: 'must be at least 1 request' }),
      })
      .default({ rateLimit: 50, burstLimit: 100 }),
  })
  .superRefine((agency, ctx) => {
    reportDuplicates(
      agency.chains.map((chain) => chain.name),
      ['chains'],
      'name',
      ctx,
    );
    reportDuplicates(agency.subscriberAccounts, ['subscriberAccounts'], undefined, ctx);
    reportDuplicates(agency.alertEmails, ['alertEmails'], undefined, ctx);
  });

const configSchema = z
  .strictObject({
    agencies: z.array(agencySchema).min(1, { error: 'must list at least one agency' }),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(
      config.agencies.map((agency) => agency.name),
      ['agencies'],
      'name',
      ctx,
    );
  });

function reportDuplicates(
  values: readonly string[],
  arrayPath: readonly (string | number)[],
  field: string | undefined,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: field === undefined ? [...arrayPath, index] : [...arrayPath, index, field],
        message: `duplicate value ${JSON.stringify(value)}`,
      });
    }
    seen.add(value);
  });
}

export type BlockTag = 'safe' | 'finalized';
export type TracingMode = 'block' | 'transaction' | 'off';

/** One watched chain, with every default filled in. */
export interface ChainConfig {
  readonly name: ChainName;
  readonly rpcSecretName: string;
  /** Exactly one of `confirmations` and `blockTag` is set. */
  readonly confirmations?: number;
  readonly blockTag?: BlockTag;
  readonly tracing: TracingMode;
  readonly pollIntervalMs: number;
  readonly lagAlarmBlocks: number;
  readonly memoryMb: number;
}

export interface AgencyConfig {
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly chains: readonly ChainConfig[];
  readonly alertEmails: readonly string[];
  readonly operationsEmails: readonly string[];
  readonly subscriberAccounts: readonly string[];
  readonly logRetentionDays: number;
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

export interface DeploymentConfig {
  readonly agencies: readonly AgencyConfig[];
}

/** The config file is wrong: the message names the file and every offending field. */
export class AgencyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgencyConfigError';
  }
}

/** Validates an already-parsed JSON document; `source` names it in error messages. */
export function parseDeploymentConfig(document: unknown, source: string): DeploymentConfig {
  const result = configSchema.safeParse(document);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${formatPath(issue.path, document)}: ${issue.message}`,
    );
    throw new AgencyConfigError(`Invalid agency config in ${source}:\n${lines.join('\n')}`);
  }
  return {
    agencies: result.data.agencies.map((agency) => ({
      ...agency,
      chains: agency.chains.map((chain) => ({
        ...chain,
        pollIntervalMs: chain.pollIntervalMs ?? defaultPollIntervalMs(chain.name),
        lagAlarmBlocks: chain.lagAlarmBlocks ?? defaultLagAlarmBlocks(chain.name),
      })),
    })),
  };
}

/**
 * `agencies[1] (northbridge-fiu).chains[0].confirmations`: array indices as in the file, plus the agency's
 * name when it has one, so the reader finds the entry without counting.
 */
function formatPath(path: readonly PropertyKey[], document: unknown): string {
  if (path.length === 0) return '(top level)';
  let text = '';
  let node: unknown = document;
  path.forEach((key, depth) => {
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
    node =
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    const name = node !== null && typeof node === 'object' ? (node as { name?: unknown }).name : undefined;
    if (depth === 1 && path[0] === 'agencies' && typeof name === 'string') text += ` (${name})`;
  });
  return text;
}

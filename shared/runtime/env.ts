import { z } from 'zod';

/** A function started with a missing or malformed setting: say which one, and stop. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

const common = {
  TABLE_NAME: z.string().min(3),
  /** Only set locally: the embedded DynamoDB server. */
  DYNAMODB_ENDPOINT: z.url().optional(),
};

const ingestSchema = z
  .object({
    ...common,
    CHAIN: z.string().min(1),
    RPC_SECRET_ID: z.string().min(1).optional(),
    /** Only set locally: comma-separated JSON-RPC URLs instead of a secret. */
    RPC_URLS: z.string().min(1).optional(),
    CONFIRMATIONS: z.coerce.number().int().min(0).max(10_000).optional(),
    BLOCK_TAG: z.enum(['safe', 'finalized']).optional(),
    TRACING: z.enum(['block', 'transaction', 'off']).default('block'),
    POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(4_000),
    MAX_BLOCKS_PER_RANGE: z.coerce.number().int().min(1).max(10_000).default(20),
  })
  .refine((env) => env.RPC_SECRET_ID !== undefined || env.RPC_URLS !== undefined, {
    message: 'RPC_SECRET_ID (or RPC_URLS locally) is required',
    path: ['RPC_SECRET_ID'],
  })
  .refine((env) => (env.CONFIRMATIONS === undefined) !== (env.BLOCK_TAG === undefined), {
    message: 'exactly one of CONFIRMATIONS and BLOCK_TAG is required',
    path: ['CONFIRMATIONS'],
  });

export type IngestEnvironment = z.infer<typeof ingestSchema>;

export function ingestEnvironment(env: NodeJS.ProcessEnv = process.env): IngestEnvironment {
  return parseEnv(ingestSchema, env);
}

const publishSchema = z.object({
  ...common,
  TOPIC_ARN: z.string().startsWith('arn:'),
  SNS_ENDPOINT: z.url().optional(),
});

export type PublishEnvironment = z.infer<typeof publishSchema>;

export function publishEnvironment(env: NodeJS.ProcessEnv = process.env): PublishEnvironment {
  return parseEnv(publishSchema, env);
}

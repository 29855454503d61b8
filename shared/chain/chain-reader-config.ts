import { z } from 'zod';
import { ChainConfigError } from './errors.ts';

/**
 * How the chain's RPC exposes internal calls:
 *   block:       debug_traceBlockByNumber (one call per block that needs tracing); if the node turns out
 *                not to have it, the reader falls back to `transaction` for the rest of its life.
 *   transaction: debug_traceTransaction, one call per transaction that needs tracing.
 *   off:         the RPC has no tracing: no internal transfers are read (contract-held value is invisible).
 */
export type TracingMode = 'block' | 'transaction' | 'off';

/** Per-chain configuration of the chain reader. Only the first four fields are required. */
export interface ChainReaderConfig {
  /** The chain's name in transfers and keys, e.g. 'ethereum'. */
  readonly chain: string;
  /** Must equal every endpoint's eth_chainId, or the reader refuses to read. */
  readonly chainId: number;
  /** Tried in this order; a failing URL is put aside for `endpointCooldownMs`. */
  readonly rpcUrls: readonly string[];
  readonly tracing: TracingMode;
  /** Trace every transaction, not only those that can move tainted value (costly on busy chains). */
  readonly traceWholeBlocks?: boolean;
  /** Longest range `readRange` accepts. Default 100. */
  readonly maxBlocksPerRange?: number;
  /** Largest block span of one eth_getLogs query before any split; default: the whole range. */
  readonly maxBlocksPerLogQuery?: number;
  /** JSON-RPC calls per HTTP request. Default 50 (many providers cap batches at 100 or bill by call). */
  readonly maxBatchSize?: number;
  /** Per HTTP request, including reading the body. Default 20,000 ms (block traces can be slow). */
  readonly requestTimeoutMs?: number;
  /** Attempts per call across all endpoints, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** Full-jitter backoff: sleep random(0, min(max, base * 2^retry)). Defaults 250 ms and 8,000 ms. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** How long a failing endpoint is put aside. Default 30,000 ms. */
  readonly endpointCooldownMs?: number;
}

export type ResolvedChainReaderConfig = Required<ChainReaderConfig>;

const httpUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

const positiveInt = z.number().int().positive();

const configSchema = z.object({
  chain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase name like "ethereum" or "arbitrum-one"'),
  chainId: positiveInt,
  rpcUrls: z.array(httpUrl).min(1, 'needs at least one RPC URL'),
  tracing: z.enum(['block', 'transaction', 'off']),
  traceWholeBlocks: z.boolean().optional(),
  maxBlocksPerRange: positiveInt.max(10_000).optional(),
  maxBlocksPerLogQuery: positiveInt.optional(),
  maxBatchSize: positiveInt.max(1_000).optional(),
  requestTimeoutMs: positiveInt.optional(),
  maxAttempts: positiveInt.max(50).optional(),
  backoffBaseMs: z.number().int().nonnegative().optional(),
  backoffMaxMs: z.number().int().nonnegative().optional(),
  endpointCooldownMs: z.number().int().nonnegative().optional(),
});

/** Checks a configuration and fills in the defaults; the error names the chain and the field. */
export function resolveChainReaderConfig(config: ChainReaderConfig): ResolvedChainReaderConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(config)'} ${issue.message}`,
    );
    const name = typeof config?.chain === 'string' ? config.chain : '(unnamed chain)';
    throw new ChainConfigError(`chain reader configuration of ${name} is invalid: ${problems.join('; ')}`);
  }
  const given = parsed.data;
  const maxBlocksPerRange = given.maxBlocksPerRange ?? 100;
  return {
    chain: given.chain,
    chainId: given.chainId,
    rpcUrls: given.rpcUrls,
    tracing: given.tracing,
    traceWholeBlocks: given.traceWholeBlocks ?? false,
    maxBlocksPerRange,
    maxBlocksPerLogQuery: given.maxBlocksPerLogQuery ?? maxBlocksPerRange,
    maxBatchSize: given.maxBatchSize ?? 50,
    requestTimeoutMs: given.requestTimeoutMs ?? 20_000,
    maxAttempts: given.maxAttempts ?? 6,
    backoffBaseMs: given.backoffBaseMs ?? 250,
    backoffMaxMs: given.backoffMaxMs ?? 8_000,
    endpointCooldownMs: given.endpointCooldownMs ?? 30_000,
  };
}

import { z } from 'zod';

/**
 * The shapes the reader accepts from a node, checked on every answer: a node that returns a hash where a
 * transaction object belongs, or a value that is not a hex quantity, gives a failed attempt (retried,
 * possibly elsewhere), never a wrong transfer. Only the fields the reader uses are checked; the rest
 * passes through unread. Addresses and hashes come out lowercase.
 */

const quantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/, 'expected a hex quantity')
  // Some nodes write zero as "0x" in traces; the spec says "0x0". Both mean zero.
  .transform((text) => (text === '0x' ? 0n : BigInt(text)));

const smallQuantity = quantity
  .refine((value) => value <= BigInt(Number.MAX_SAFE_INTEGER), 'number too large')
  .transform(Number);

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte address')
  .transform((text) => text.toLowerCase());

const hash = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash')
  .transform((text) => text.toLowerCase());

const hexData = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'expected hex bytes')
  .transform((text) => text.toLowerCase());

export const rpcTransactionSchema = z.object({
  hash,
  from: address,
  // null (or absent on some nodes) for contract creation.
  to: address.nullish().transform((value) => value ?? null),
  value: quantity,
  transactionIndex: smallQuantity,
  blockHash: hash,
  blockNumber: smallQuantity,
});
export type RpcTransaction = z.output<typeof rpcTransactionSchema>;

const headerFields = {
  number: smallQuantity,
  hash,
  parentHash: hash,
  timestamp: smallQuantity,
};

export const rpcBlockHeaderSchema = z.object(headerFields);
export type RpcBlockHeader = z.output<typeof rpcBlockHeaderSchema>;

export const rpcBlockWithTransactionsSchema = z.object({
  ...headerFields,
  transactions: z.array(rpcTransactionSchema),
});
export type RpcBlockWithTransactions = z.output<typeof rpcBlockWithTransactionsSchema>;

export const rpcLogSchema = z.object({
  address,
  topics: z.array(hash).max(4),
  data: hexData,
  blockNumber: smallQuantity,
  blockHash: hash,
  transactionHash: hash,
  transactionIndex: smallQuantity,
  logIndex: smallQuantity,
  removed: z.boolean().optional(),
});
export type RpcLog = z.output<typeof rpcLogSchema>;

export const rpcReceiptSchema = z.object({
  transactionHash: hash,
  blockHash: hash,
  blockNumber: smallQuantity,
  // Absent before Byzantium (those receipts carry a state root instead).
  status: quantity.optional(),
  contractAddress: address.nullish().transform((value) => value ?? null),
});
export type RpcReceipt = z.output<typeof rpcReceiptSchema>;

/** One frame of geth's callTracer output; the root frame is the transaction itself. */
export interface RpcCallFrame {
  readonly type: string;
  readonly from: string;
  readonly to: string | null;
  readonly value: bigint;
  readonly error: string | null;
  readonly calls: readonly RpcCallFrame[];
}

export const rpcCallFrameSchema: z.ZodType<RpcCallFrame, unknown> = z.lazy(() =>
  z
    .object({
      type: z.string().min(1),
      from: address,
      // A failed CREATE has no address; SELFDESTRUCT names the beneficiary here.
      to: address.nullish(),
      value: quantity.nullish(),
      error: z.string().nullish(),
      calls: z.array(rpcCallFrameSchema).nullish(),
    })
    .transform((frame) => ({
      type: frame.type.toUpperCase(),
      from: frame.from,
      to: frame.to ?? null,
      value: frame.value ?? 0n,
      error: frame.error ? frame.error : null,
      calls: frame.calls ?? [],
    })),
);

/** debug_traceBlockByNumber: one entry per transaction, in block order; geth adds txHash since 1.11. */
export const rpcBlockTraceSchema = z.array(
  z.object({
    txHash: hash.optional(),
    result: rpcCallFrameSchema.optional(),
    error: z.string().optional(),
  }),
);
export type RpcBlockTrace = z.output<typeof rpcBlockTraceSchema>;

/** A parser for RpcCall.parse: the first problem found, with where it is, as the error message. */
export function parserOf<Schema extends z.ZodType>(schema: Schema): (raw: unknown) => z.output<Schema> {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new Error(`${issue?.message ?? 'unexpected shape'}${where}`);
  };
}

/** Like parserOf, but null (the node does not have it yet) is a failed attempt with a clear message. */
export function requiredParserOf<Schema extends z.ZodType>(
  schema: Schema,
  what: string,
): (raw: unknown) => z.output<Schema> {
  const parse = parserOf(schema);
  return (raw) => {
    if (raw === null || raw === undefined) throw new Error(`${what} not found on this node (null result)`);
    return parse(raw);
  };
}

/**
 * What may start the publish function: a batch of the table's stream (pending alert items, as the
 * event source filter lets through) or the sweep schedule's `{ "sweep": true }`. Anything else is a
 * wiring mistake (another trigger pointed at the function, a hand-made test event with a typo) and is
 * refused with what was wrong, rather than read as "nothing to publish".
 */
import { z } from 'zod';
import { TABLE_KEYS } from '../store/table.ts';

/** One stream record, reduced to what the publisher needs: the alert is read again from the table. */
export interface AlertStreamRecord {
  /** For `batchItemFailures`: Lambda retries from the first failed record. */
  readonly sequenceNumber: string;
  /** The item's partition key as the stream carries it. */
  readonly partitionKey: string;
  /** Null when the item is not an alert (the event source filter should have kept it out). */
  readonly alertId: string | null;
}

export type PublishEvent =
  | { readonly kind: 'stream'; readonly records: readonly AlertStreamRecord[] }
  | { readonly kind: 'sweep' };

export class InvalidPublishEventError extends Error {
  constructor(reason: string) {
    super(
      `the publish function takes a DynamoDB stream batch ({"Records": [...]}) or a sweep request ({"sweep": true}): ${reason}`,
    );
    this.name = 'InvalidPublishEventError';
  }
}

const sweepRequestSchema = z.strictObject({ sweep: z.literal(true) });

const streamRecordSchema = z.object({
  eventSource: z.literal('aws:dynamodb'),
  dynamodb: z.object({
    Keys: z.object({ [TABLE_KEYS.partitionKey]: z.object({ S: z.string().min(1) }) }),
    SequenceNumber: z.string().min(1),
  }),
});

const streamBatchSchema = z.object({ Records: z.array(streamRecordSchema) });

export function parsePublishEvent(event: unknown): PublishEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidPublishEventError(
      `got ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event}`,
    );
  }
  if ('Records' in event) {
    const batch = streamBatchSchema.safeParse(event);
    if (!batch.success) throw new InvalidPublishEventError(`not a stream batch: ${describe(batch.error)}`);
    return {
      kind: 'stream',
      records: batch.data.Records.map((record) => {
        const partitionKey = (record.dynamodb.Keys[TABLE_KEYS.partitionKey] as { S: string }).S;
        const { pkPrefix } = TABLE_KEYS.outbox;
        return {
          sequenceNumber: record.dynamodb.SequenceNumber,
          partitionKey,
          alertId: partitionKey.startsWith(pkPrefix) ? partitionKey.slice(pkPrefix.length) : null,
        };
      }),
    };
  }
  const sweep = sweepRequestSchema.safeParse(event);
  if (!sweep.success) throw new InvalidPublishEventError(`not a sweep request: ${describe(sweep.error)}`);
  return { kind: 'sweep' };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'event'}: ${issue.message}`)
    .join('; ');
}

/**
 * A crash of the ingester's process, injected at the DynamoDB client. Counting the write requests of
 * the range of interest from its startRange (write 1), the process dies either
 *   - 'after-answer' of write N: write N reached the server and was answered, then the process ended;
 *   - 'before-send' of write N: the process ended as write N was about to go out. Writes sent before it
 *     and still in flight (the store sends alerts in parallel) land anyway, as they would.
 * From then on every request of that client fails at once, as if nothing of the process were left.
 * With `outcome: 'write-fails'` the process lives on instead: only write N fails (not sent, or sent
 * and its answer lost), as DynamoDB answers when it stays unavailable through the SDK's retries, and
 * the same ingester carries on. The store code above the client is the real adapter and the server is
 * the real dynalite over HTTP; only the failure is staged.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Store } from '../../../shared/store/index.ts';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'BatchWriteItemCommand', 'DeleteItemCommand']);

export interface DeathPoint {
  readonly write: number;
  readonly moment: 'after-answer' | 'before-send';
  /** Default 'process-dies'. */
  readonly outcome?: 'process-dies' | 'write-fails';
}

/** DynamoDB still unavailable after the SDK's retries: what the store reports as StoreUnavailableError. */
function unavailable(): Error {
  return Object.assign(new Error('injected: DynamoDB unavailable'), {
    name: 'InternalServerError',
    $metadata: { httpStatusCode: 500 },
  });
}

/** What the dead process's requests fail with; not a DynamoDB error, so nothing retries it. */
export class ProcessDiedError extends Error {
  constructor(point: DeathPoint) {
    super(`the ingester's process died ${point.moment} of its write #${point.write} of the range`);
    this.name = 'ProcessDiedError';
  }
}

export class ProcessDeath {
  /** Write requests answered since `arm()`, by command, in order. */
  readonly writesSinceArmed: string[] = [];
  readonly #point: DeathPoint | undefined;
  #armed = false;
  #sent = 0;
  #dead = false;
  #fired = false;

  /** Installs itself on the client; without a death point it only counts (the reference run). */
  constructor(client: DynamoDBClient, point: DeathPoint | undefined) {
    this.#point = point;
    const failsOnce = point?.outcome === 'write-fails';
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const died = () => new ProcessDiedError(point ?? { write: 0, moment: 'after-answer' });
        if (this.#dead) throw died();
        const counted = this.#armed && !this.#fired && WRITES.has(context.commandName ?? '');
        if (counted) {
          this.#sent += 1;
          if (point?.moment === 'before-send' && this.#sent >= point.write) {
            this.#fired = true;
            if (failsOnce) throw unavailable();
            this.#dead = true;
            throw died();
          }
        }
        const answer = await next(args);
        if (counted) {
          this.writesSinceArmed.push(context.commandName as string);
          if (point?.moment === 'after-answer' && this.writesSinceArmed.length >= point.write) {
            this.#fired = true;
            if (failsOnce) throw unavailable();
            this.#dead = true;
          }
        }
        return answer;
      },
      { step: 'initialize', name: 'processDeath' },
    );
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Whether the fault happened (the process died, or the write failed). */
  get fired(): boolean {
    return this.#fired;
  }

  /** Stops counting: the range was committed. */
  disarm(): void {
    this.#armed = false;
  }

  /** Starts counting (called when the range of interest has started). */
  arm(): void {
    if (this.#armed || this.writesSinceArmed.length > 0) return;
    this.#armed = true;
    // The range's own startRange write was answered just before: it is write 1.
    this.#sent = 1;
    this.writesSinceArmed.push('UpdateItemCommand');
    if (this.#point?.moment === 'after-answer' && this.#point.write <= 1) {
      if (this.#point.outcome === 'write-fails')
        throw new Error('write 1 (startRange) is answered before the range is known: fail a later write');
      this.#fired = true;
      this.#dead = true;
    }
  }
}

/**
 * The real store, observed: `onRangeStarted(from, to)` after each `startRange` succeeds, and
 * `onRangeCommitted(to)` after each `advanceCheckpoint` succeeds. Everything else goes straight to the
 * store (bound to it: the adapter keeps its state in private fields).
 */
export function observeRanges(
  store: Store,
  events: {
    readonly onRangeStarted: (from: number, to: number) => void;
    readonly onRangeCommitted?: (to: number) => void;
  },
  startBlock: number,
): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'startRange') {
        return async (chain: string, expectedBlock: number | null, to: number) => {
          await target.startRange(chain, expectedBlock, to);
          events.onRangeStarted(expectedBlock === null ? startBlock : expectedBlock + 1, to);
        };
      }
      if (property === 'advanceCheckpoint') {
        return async (chain: string, expectedBlock: number | null, newBlock: number, hash: string) => {
          await target.advanceCheckpoint(chain, expectedBlock, newBlock, hash);
          events.onRangeCommitted?.(newBlock);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The store of a process that dies at its Nth write of the range covering `block`. */
export function storeThatDies(store: Store, death: ProcessDeath, block: number, startBlock: number): Store {
  return observeRanges(
    store,
    {
      onRangeStarted: (from, to) => {
        if (from <= block && block <= to) death.arm();
      },
      onRangeCommitted: () => death.disarm(),
    },
    startBlock,
  );
}

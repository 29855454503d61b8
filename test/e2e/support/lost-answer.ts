/**
 * The checkpoint write lands on the server, but its answer never reaches the ingester (a connection
 * reset after the server committed: the classic ambiguous write). Two ways it surfaces:
 *   - 'error': the store call fails (the SDK's retries were used up on other failures);
 *   - 'sdk-retry': the SDK retries the request, as its standard mode does for a timeout, and the retry
 *     meets the write of its own first attempt.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Store } from '../../../shared/store/index.ts';

export type LostAnswerMode = 'error' | 'sdk-retry';

function timeout(): Error {
  return Object.assign(new Error('injected: the answer was lost after the server applied the write'), {
    name: 'TimeoutError',
    $metadata: {},
  });
}

/**
 * Loses the answer of the checkpoint write that ends the range covering `block`, once. Returns the
 * store to give the ingester and a flag telling whether the fault fired.
 */
export function loseCheckpointAnswer(
  store: Store,
  client: DynamoDBClient,
  options: { readonly block: number; readonly mode: LostAnswerMode },
): { store: Store; fired: () => boolean } {
  let armed = false;
  let fired = false;
  const loseAnswer =
    <Output extends object>(next: (args: unknown) => Promise<Output>) =>
    async (args: unknown): Promise<Output> => {
      const answer = await next(args);
      if (armed && !fired) {
        fired = true;
        throw timeout();
      }
      return answer;
    };
  // Inside the SDK's retry loop for 'sdk-retry' (each attempt passes here), outside it for 'error'.
  if (options.mode === 'sdk-retry')
    client.middlewareStack.add((next) => loseAnswer(next as never), { step: 'deserialize' });
  else client.middlewareStack.add((next) => loseAnswer(next as never), { step: 'initialize' });
  const observed = new Proxy(store, {
    get(target, property) {
      if (property === 'advanceCheckpoint') {
        return async (chain: string, expected: number | null, newBlock: number, hash: string) => {
          // advanceCheckpoint is one UpdateItem, sent while nothing else of the ingester is in flight.
          armed = !fired && (expected ?? -1) < options.block && options.block <= newBlock;
          try {
            await target.advanceCheckpoint(chain, expected, newBlock, hash);
          } finally {
            armed = false;
          }
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: observed, fired: () => fired };
}

import type { Logger } from '@aws-lambda-powertools/logger';
import type { ChainInfo, TokenDirectory } from '../domain/chain.ts';
import type { LabelDirectory } from '../domain/label.ts';
import type { IdempotencyStore } from '../store/idempotency-dynamodb.ts';
import type { Store } from '../store/repository.ts';

/** Everything the API needs from outside, injected so tests and `npm start` run it in-process. */
export interface ApiDeps {
  readonly store: Store;
  readonly idempotency: IdempotencyStore;
  /** The agency's configured chains (env CHAINS); every chain in a request must be one of them. */
  readonly chains: readonly string[];
  /** Native coin symbol and decimals, explorer: for amounts in token units. */
  readonly chainInfo: (chain: string) => ChainInfo | undefined;
  /** The chains' token allow-lists (symbol and decimals of tainted tokens). */
  readonly tokens: TokenDirectory;
  /** Built-in label data (exchanges, mixers, bridges...). Learned and agency labels come from the store. */
  readonly labels: Pick<LabelDirectory, 'labelsOf'>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newCaseId: () => string;
  /** Shown by GET /health and in the OpenAPI document. */
  readonly version: string;
}

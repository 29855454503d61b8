/**
 * Every failure becomes a problem (RFC 9457): the store's named errors map to their status; anything
 * unexpected is a 500 whose detail says nothing of the inside (the log has the rest).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  AlertNotFoundError,
  CaseExistsError,
  CaseNotFoundError,
  ConditionFailedError,
  InvalidCursorError,
  InvalidStoreInputError,
  SeedExistsError,
  SeedNotFoundError,
  StoreUnavailableError,
} from '../store/errors.ts';
import { ProblemError } from './problem.ts';

/** DynamoDB's names for "slow down" (after the SDK's own retries). */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

function isThrottling(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at && depth < 5; depth++) {
    if (THROTTLING.has((at as { name?: string }).name ?? '')) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

export function problemOf(error: unknown, logger: Logger): ProblemError {
  if (error instanceof ProblemError) return error;
  if (
    error instanceof CaseNotFoundError ||
    error instanceof SeedNotFoundError ||
    error instanceof AlertNotFoundError
  ) {
    return new ProblemError('not-found', error.message);
  }
  if (error instanceof CaseExistsError || error instanceof SeedExistsError) {
    return new ProblemError('conflict', error.message);
  }
  if (error instanceof InvalidCursorError) {
    return new ProblemError('invalid-cursor', `${error.message}; start again without a cursor`, {
      errors: [{ in: 'query', name: 'cursor', detail: error.message }],
    });
  }
  if (error instanceof InvalidStoreInputError) {
    // The schemas should have caught it; the store's check is the last line.
    logger.warn('store refused an input the schemas let through', {
      field: error.field,
      reason: error.message,
    });
    return new ProblemError('invalid-request', `Invalid ${error.field}`, {
      errors: [{ in: 'body', pointer: `#/${error.field}`, detail: error.message }],
    });
  }
  if (error instanceof StoreUnavailableError) {
    if (isThrottling(error)) {
      logger.warn('store throttled', { reason: error.message });
      return new ProblemError(
        'too-many-requests',
        'The case store is throttling requests; retry in a second',
        {
          headers: { 'retry-after': '1' },
        },
      );
    }
    logger.error('store unavailable', { error });
    return new ProblemError('unavailable', 'The case store is unavailable; retry later', {
      headers: { 'retry-after': '5' },
    });
  }
  if (error instanceof ConditionFailedError) {
    return new ProblemError(
      'conflict',
      'Another request changed this resource at the same time; read it and retry',
    );
  }
  logger.error('unexpected error', { error });
  return new ProblemError(
    'internal',
    'Something went wrong on our side; the request id in the logs has the details',
  );
}

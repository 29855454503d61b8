import { CheckpointConflictError } from '../store/errors.ts';
import type { BackfillStep, ChainIngester, IngestStep } from './chain-ingester.ts';
import { IngestError } from './errors.ts';

export interface IngestLoopOptions {
  /** Asked before each step: false ends the loop (the Lambda's remaining time, or Ctrl-C locally). */
  readonly shouldContinue: () => boolean;
  readonly pollIntervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onStep?: (step: IngestStep | BackfillStep) => void;
  /** A failure the loop survives (the next step retries from the checkpoint). */
  readonly onError?: (error: unknown) => void;
}

export interface IngestLoopSummary {
  readonly steps: number;
  readonly failures: number;
  /** Set when another writer owns the chain: this loop stopped so as not to compete. */
  readonly lostCheckpointRace: boolean;
}

/**
 * Keeps the chain's ingester busy while there is time: live ranges first (alerts are what matters),
 * then one history range for a pending backfill, sleeping only when both have nothing to do. Errors
 * of the chain or the store are retried at the next poll; what needs an operator is thrown.
 */
export async function runIngestLoop(
  ingester: ChainIngester,
  options: IngestLoopOptions,
): Promise<IngestLoopSummary> {
  let steps = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  while (options.shouldContinue()) {
    try {
      const live = await ingester.step();
      options.onStep?.(live);
      const history = await ingester.backfillStep();
      if (history.status !== 'idle') options.onStep?.(history);
      steps++;
      consecutiveFailures = 0;
      const busy = live.status === 'processed' || history.status === 'backfilled';
      if (!busy && options.shouldContinue()) await options.sleep(options.pollIntervalMs);
    } catch (error) {
      if (error instanceof CheckpointConflictError) {
        options.onError?.(error);
        return { steps, failures: failures + 1, lostCheckpointRace: true };
      }
      if (error instanceof IngestError) throw error;
      failures++;
      consecutiveFailures++;
      options.onError?.(error);
      // Back off on repeated failures, up to 8 polls, so a dead RPC is not hammered.
      const backoff = options.pollIntervalMs * Math.min(8, 2 ** (consecutiveFailures - 1));
      if (options.shouldContinue()) await options.sleep(backoff);
    }
  }
  return { steps, failures, lostCheckpointRace: false };
}

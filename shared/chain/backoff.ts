/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(cap, base * 2^retry)).
 * Spreading retries over the whole window keeps many clients that failed together (one Lambda per
 * chain, each retrying a rate-limited provider) from retrying together.
 * Reference: AWS Architecture Blog, "Exponential Backoff And Jitter" (Marc Brooker, 2015).
 *
 * `retry` counts from 0; `floorMs` honours a server's Retry-After, itself capped.
 */
export function fullJitterDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number,
  floorMs = 0,
): number {
  const window = Math.min(capMs, baseMs * 2 ** Math.min(retry, 30));
  const jittered = Math.floor(random() * window);
  return Math.max(jittered, Math.min(floorMs, capMs));
}

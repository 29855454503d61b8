import type { BenchFigure } from './suite.ts';
import { formatCount } from './suite.ts';
import { syntheticAddress } from './synthetic-chain.ts';

/**
 * The same fixed work on every run, so figures from a busy machine can be told from a slow program:
 * the benchmark machine is shared, and a neighbour's build can halve a result. Compare these two
 * lines between runs before comparing anything else.
 */
export function calibrate(): BenchFigure[] {
  let started = performance.now();
  let sum = 0;
  for (let i = 0; i < 50_000_000; i++) sum = (sum + i * 7) | 0;
  const loop = 50_000_000 / ((performance.now() - started) / 1000);

  const keys = Array.from({ length: 1_000_000 }, (_, i) => syntheticAddress('ca', i));
  const table = new Map<string, number>();
  for (const [index, key] of keys.entries()) if (index % 2 === 0) table.set(key, index);
  started = performance.now();
  let found = 0;
  for (let i = 0; i < 2_000_000; i++) if (table.has(keys[(i * 7919) % keys.length] as string)) found++;
  const lookups = 2_000_000 / ((performance.now() - started) / 1000);
  return [
    { metric: 'machine: integer loop iterations/s', value: formatCount(loop + (sum & 0)) },
    { metric: 'machine: lookups/s in a 500,000-key Map', value: formatCount(lookups + (found & 0)) },
  ];
}

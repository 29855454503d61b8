/** Samples the process's memory on a timer, to show whether it stays flat while work proceeds. */
export interface MemorySample {
  readonly atMs: number;
  /** Work done when sampled (rows read, transfers processed...), to place the sample in the run. */
  readonly progress: number;
  readonly rss: number;
  readonly heapUsed: number;
}

export class MemorySampler {
  readonly samples: MemorySample[] = [];
  readonly #started = performance.now();
  readonly #timer: NodeJS.Timeout;

  constructor(progress: () => number, everyMs = 250) {
    const sample = () => {
      const usage = process.memoryUsage();
      this.samples.push({
        atMs: performance.now() - this.#started,
        progress: progress(),
        rss: usage.rss,
        heapUsed: usage.heapUsed,
      });
    };
    sample();
    this.#timer = setInterval(sample, everyMs);
  }

  stop(): MemorySample[] {
    clearInterval(this.#timer);
    return this.samples;
  }
}

/** The sample nearest to a fraction of the total work (0.1 = a tenth of the way). */
export function sampleAt(
  samples: readonly MemorySample[],
  total: number,
  fraction: number,
): MemorySample | undefined {
  let best: MemorySample | undefined;
  for (const sample of samples) {
    if (!best || Math.abs(sample.progress - total * fraction) < Math.abs(best.progress - total * fraction)) {
      best = sample;
    }
  }
  return best;
}

/**
 * A named group of measurements. `npm run bench` runs every suite; `npm run bench -- --only NAME`
 * runs some. To add one (issue 3: embedded-stack latency), write bench/suites/<name>.ts exporting a
 * BenchSuite and list it in bench/run.ts.
 */
export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<BenchFigure[]>;
}

export interface BenchContext {
  /** Progress and notes for the person watching (stderr); figures go in the returned table. */
  readonly log: (message: string) => void;
  /** Extra `--key value` options given after `--`, for suites that take a size. */
  readonly options: Readonly<Record<string, string>>;
}

export interface BenchFigure {
  readonly metric: string;
  readonly value: string;
  /** What the project aims for, when there is a target. */
  readonly target?: string;
  /** Whether the value meets the target; informational, benches never fail a build on timing. */
  readonly met?: boolean;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

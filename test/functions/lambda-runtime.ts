/**
 * What the Lambda runtime gives a handler, for tests that import and invoke the real handler modules:
 * the environment (read once, when the module loads), a context, and the log stream, where Powertools
 * writes log lines and metrics (CloudWatch embedded metric format).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

/**
 * Powertools in development mode writes through the global console (not its own stdout stream),
 * where `captureConsole` catches it; metrics stay on, so that tests can read them.
 */
export const POWERTOOLS_TEST_ENVIRONMENT = {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_SERVICE_NAME: 'laundering-alerts-test',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** Sets the variables; the handler module must be imported after this (a dynamic import). */
export function setEnvironment(variables: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(variables)) process.env[name] = value;
}

export function clearEnvironment(names: readonly string[]): void {
  for (const name of names) delete process.env[name];
}

/**
 * A context like Lambda's. `remainingMs` answers `getRemainingTimeInMillis`; by default the function
 * has `budgetMs` from now, counted down by the clock.
 */
export function lambdaContext(functionName: string, remainingMs?: () => number, budgetMs = 30_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: remainingMs ?? (() => budgetMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface CapturedConsole {
  /** Every line written, as the text Lambda would put in the log stream. */
  readonly lines: string[];
  /** Log entries (JSON objects with a `message`) of a level, e.g. 'ERROR'. */
  logEntries(level: string): Record<string, unknown>[];
  /** Sum of the values of a metric over the embedded-metric-format lines. */
  metricSum(name: string): number;
  /** Dimension sets the metric was emitted with. */
  metricDimensions(name: string): Record<string, unknown>[];
  clear(): void;
  restore(): void;
}

interface EmbeddedMetricLine {
  readonly _aws: { readonly CloudWatchMetrics: { readonly Metrics: { readonly Name: string }[] }[] };
  readonly [key: string]: unknown;
}

/** Keeps Powertools' JSON out of the test output, and lets the tests read it. */
export function captureConsole(): CapturedConsole {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    }),
  );
  const parsed = () =>
    lines.flatMap((line) => {
      try {
        const value = JSON.parse(line) as unknown;
        return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  const metricLines = () =>
    parsed().filter((entry): entry is EmbeddedMetricLine => '_aws' in entry) as EmbeddedMetricLine[];
  const emitting = (name: string) =>
    metricLines().filter((entry) =>
      entry._aws.CloudWatchMetrics.some((directive) =>
        directive.Metrics.some((metric) => metric.Name === name),
      ),
    );
  return {
    lines,
    logEntries: (level) => parsed().filter((entry) => entry.level === level && 'message' in entry),
    metricSum: (name) =>
      emitting(name).reduce((sum, entry) => {
        const value = entry[name];
        const values = Array.isArray(value) ? value : [value];
        return sum + values.reduce((total: number, one) => total + Number(one), 0);
      }, 0),
    metricDimensions: (name) =>
      emitting(name).map((entry) =>
        Object.fromEntries(Object.entries(entry).filter(([key]) => key !== '_aws' && key !== name)),
      ),
    clear: () => {
      lines.length = 0;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

import type { Alert } from '../../shared/domain/alert.ts';
import {
  type DemoScenarioLog,
  demoSeed,
  describeExpectedAlert,
  type ExpectedDemoAlert,
  expectedDemoAlerts,
  matchesExpectedAlert,
  runDemoScenario,
} from './demo/index.ts';
import type { LocalStack } from './local-stack.ts';

export interface DemoCase {
  readonly caseId: string;
  readonly log: DemoScenarioLog;
  readonly expected: readonly ExpectedDemoAlert[];
}

/** A problem+json answer of the API, as an error the user can read. */
export class DemoApiError extends Error {
  constructor(what: string, status: number, body: string) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
    this.name = 'DemoApiError';
  }
}

async function callApi(
  api: string,
  method: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<unknown> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new DemoApiError(`${method} ${path}`, response.status, text);
  return JSON.parse(text);
}

/**
 * The demo, the way an agency would run it: open a case and add the thief's wallet through the HTTP
 * API, then the laundering happens on chain (mined on the embedded node, real addresses impersonated).
 */
export async function runDemo(stack: LocalStack, confirmations: number): Promise<DemoCase> {
  if (!stack.node) throw new Error('the demo needs the embedded node (it impersonates real addresses)');
  const seed = demoSeed();
  const runId = `${Date.now()}`;
  const created = (await callApi(
    stack.endpoints.api,
    'POST',
    '/cases',
    { name: `Demo: ${seed.incident} (local replay)`, model: 'haircut', maxHops: 6 },
    `demo-case-${runId}`,
  )) as { id: string };
  await callApi(
    stack.endpoints.api,
    'POST',
    `/cases/${encodeURIComponent(created.id)}/seeds`,
    { chain: 'local', address: seed.address, note: `${seed.incident}: ${seed.source}`.slice(0, 500) },
    `demo-seed-${runId}`,
  );
  const log = await runDemoScenario(stack.node.provider, { confirmations });
  return { caseId: created.id, log, expected: expectedDemoAlerts(log).alerts };
}

export interface DemoVerdict {
  readonly missing: readonly ExpectedDemoAlert[];
  readonly unexpected: readonly Alert[];
  readonly duplicated: readonly string[];
}

/** Matches the alerts of the demo's case as they arrive against the expectation. */
export class DemoAlertCheck {
  readonly #expected: readonly ExpectedDemoAlert[];
  readonly #caseId: string;
  readonly #matched = new Set<ExpectedDemoAlert>();
  readonly #unexpected: Alert[] = [];
  readonly #seenIds = new Map<string, number>();

  constructor(demo: DemoCase) {
    this.#expected = demo.expected;
    this.#caseId = demo.caseId;
  }

  record(alert: Alert): void {
    if (alert.caseId !== this.#caseId) return;
    this.#seenIds.set(alert.id, (this.#seenIds.get(alert.id) ?? 0) + 1);
    const match = this.#expected.find(
      (expected) => !this.#matched.has(expected) && matchesExpectedAlert(expected, alert),
    );
    if (match) this.#matched.add(match);
    else if ((this.#seenIds.get(alert.id) ?? 0) === 1) this.#unexpected.push(alert);
  }

  get complete(): boolean {
    return this.#matched.size === this.#expected.length;
  }

  verdict(): DemoVerdict {
    return {
      missing: this.#expected.filter((expected) => !this.#matched.has(expected)),
      unexpected: [...this.#unexpected],
      duplicated: [...this.#seenIds].filter(([, count]) => count > 1).map(([id]) => id),
    };
  }

  static describeMissing(expected: ExpectedDemoAlert): string {
    return describeExpectedAlert(expected);
  }
}

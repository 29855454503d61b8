/**
 * End to end, the way issue 3 says a user checks it: the local stack runs (embedded DynamoDB, SNS/SQS
 * and Ethereum node on free loopback ports), the demo laundering path is mined on the node, and a
 * subscriber of our own (not the stack's viewer queue) subscribes to the topic written to
 * endpoints.json and must receive every demo alert exactly once, with the filter attributes, and
 * nothing for the attacker's noise.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedDemoAlerts, matchesExpectedAlert } from '../../infra/local/demo/index.ts';
import { type DemoCase, runDemo } from '../../infra/local/demo-run.ts';
import { type LocalEndpoints, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { parseAlert } from '../../shared/alerts/index.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { deliveriesById, ExternalSubscriber, type ReceivedAlert } from './support/external-subscriber.ts';

const CONFIRMATIONS = 2;

describe('demo through SNS to an external SQS subscriber', () => {
  let dir: string;
  let stack: LocalStack;
  let endpoints: LocalEndpoints;
  let demo: DemoCase;
  const problems: string[] = [];
  const subscribers: Record<'enveloped' | 'raw' | 'criticalOnly', ExternalSubscriber> = {} as never;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-demo-'));
    stack = await startLocalStack({
      dataDir: null,
      fresh: true,
      ports: { rpc: 0, dynamodb: 0, snsSqs: 0, api: 0 },
      rpc: [],
      localConfirmations: CONFIRMATIONS,
      pollIntervalMs: 100,
      endpointsFile: join(dir, 'endpoints.json'),
      tableName: 'laundering-alerts',
      events: {
        onAlert: () => undefined,
        onIngestStep: () => undefined,
        onProblem: (what, error) => problems.push(`${what}: ${(error as Error)?.message ?? error}`),
      },
    });
    // As a subscriber script would: everything it needs is in the endpoints file.
    endpoints = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8')) as LocalEndpoints;
    subscribers.enveloped = await ExternalSubscriber.subscribe(
      endpoints.snsSqs,
      endpoints.topicArn,
      'agency-consumer',
    );
    subscribers.raw = await ExternalSubscriber.subscribe(endpoints.snsSqs, endpoints.topicArn, 'agency-raw', {
      raw: true,
    });
    subscribers.criticalOnly = await ExternalSubscriber.subscribe(
      endpoints.snsSqs,
      endpoints.topicArn,
      'agency-critical',
      { filterPolicy: { severity: ['critical'] } },
    );

    demo = await runDemo(stack, CONFIRMATIONS);
    const expected = demo.expected;
    const complete = (received: readonly ReceivedAlert[]) =>
      expected.every((want) =>
        received.some((got) => matchesExpectedAlert(want, got.alert as unknown as Alert)),
      );
    await subscribers.enveloped.receiveUntil(complete, 45_000);
    await subscribers.raw.receiveUntil(complete, 10_000);

    // Quiescent: the ingester is past the last block and the outbox is empty; then whatever was
    // published has been delivered, and a quiet second on each queue shows nothing more is coming.
    const lastConfirmed = demo.log.headBlock - CONFIRMATIONS;
    for (;;) {
      const checkpoint = await stack.store.getCheckpoint('local');
      const pending = await stack.store.pendingAlerts(10);
      if ((checkpoint.block ?? -1) >= lastConfirmed && pending.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const subscriber of Object.values(subscribers)) await subscriber.drain(1);
  }, 120_000);

  afterAll(async () => {
    for (const subscriber of Object.values(subscribers)) subscriber?.close();
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the demo expects alerts of every kind it stages', () => {
    expect(demo.expected.length).toBeGreaterThanOrEqual(10);
    expect(new Set(demo.expected.map((alert) => alert.kind))).toEqual(
      new Set(['FUNDS_MOVED', 'MIXER_DEPOSIT', 'EXCHANGE_DEPOSIT', 'BRIDGE_DEPOSIT']),
    );
    expect(problems).toEqual([]);
  });

  it.each(['enveloped', 'raw'] as const)(
    '%s delivery: every expected alert, each exactly once, nothing else',
    (mode) => {
      const received = subscribers[mode].received;
      const ofCase = received.filter((entry) => entry.alert.caseId === demo.caseId);
      expect(ofCase).toHaveLength(received.length);
      for (const want of demo.expected) {
        const matching = ofCase.filter((got) => matchesExpectedAlert(want, got.alert as unknown as Alert));
        expect(matching, `${want.kind} ${want.txHash} ${want.position}`).toHaveLength(1);
      }
      expect(received).toHaveLength(demo.expected.length);
      expect([...deliveriesById(received).values()].every((count) => count === 1)).toBe(true);
    },
  );

  it.each(['enveloped', 'raw'] as const)(
    '%s delivery: each message carries the filter attributes of its alert',
    (mode) => {
      for (const { alert, attributes } of subscribers[mode].received) {
        // The body is a complete alert of the published schema.
        const parsed = parseAlert(alert);
        const expected: Record<string, string> = {
          alertId: parsed.id,
          severity: parsed.severity,
          kind: parsed.kind,
          caseId: demo.caseId,
          chain: 'local',
        };
        if (parsed.exchange !== null) expected.exchange = parsed.exchange;
        expect(attributes, `${parsed.kind} ${parsed.txHash}`).toEqual(expected);
      }
      const exchanges = subscribers[mode].received.filter((entry) => entry.attributes.exchange !== undefined);
      expect(exchanges.length).toBe(demo.expected.filter((alert) => alert.exchange !== null).length);
      expect(exchanges.length).toBeGreaterThan(0);
    },
  );

  it('a filter policy on severity lets through exactly the critical alerts', () => {
    const critical = demo.expected.filter((alert) => alert.kind === 'EXCHANGE_DEPOSIT');
    expect(critical.length).toBeGreaterThan(0);
    const received = subscribers.criticalOnly.received;
    expect(received.map((entry) => entry.alert.severity)).toEqual(critical.map(() => 'critical'));
    for (const want of critical)
      expect(received.some((got) => matchesExpectedAlert(want, got.alert as unknown as Alert))).toBe(true);
  });

  it('nothing arrives for the spoofed token, the zero-value poisoning or the dust', () => {
    const noiseSteps = demo.log.steps.filter((step) =>
      ['spoof-deploy', 'spoof-transfer', 'address-poisoning', 'dust'].includes(step.id),
    );
    expect(noiseSteps.map((step) => step.id).sort()).toEqual(
      ['address-poisoning', 'dust', 'spoof-deploy', 'spoof-transfer'].sort(),
    );
    const noiseTx = new Set(noiseSteps.map((step) => step.txHash.toLowerCase()));
    const noiseAddresses = new Set(
      expectedDemoAlerts(demo.log)
        .mustStayClean.filter((clean) => clean.role === 'noise')
        .map((clean) => clean.address),
    );
    for (const mode of ['enveloped', 'raw'] as const) {
      for (const { alert } of subscribers[mode].received) {
        expect(noiseTx.has(alert.txHash.toLowerCase())).toBe(false);
        expect(noiseAddresses.has(String(alert.to).toLowerCase())).toBe(false);
        expect(noiseAddresses.has(String(alert.from).toLowerCase())).toBe(false);
      }
    }
  });
});

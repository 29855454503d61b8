import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from './api-harness.ts';
import { type DynamoDbFaultProxy, startDynamoDbFaultProxy } from './dynamodb-fault-proxy.ts';

const SEED = '0x5eed000000000000000000000000000000000042';

describe('a seed with fromBlock whose backfill could not be recorded', () => {
  let proxy: DynamoDbFaultProxy;
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness({
      dynamoEndpoint: async (dynalite) => {
        proxy = await startDynamoDbFaultProxy(dynalite);
        return proxy.endpoint;
      },
      maxAttempts: 1,
    });
    await api.deps.store.startRange('local', null, 120);
    await api.deps.store.advanceCheckpoint('local', null, 120, `0x${'ab'.repeat(32)}`);
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  it('is stored before its backfill, and the retried request records the backfill', async () => {
    const opened = await api.request('POST', '/cases', { body: { name: 'Recovery' } });
    const caseId = opened.json.id as string;
    const request = { body: { chain: 'local', address: SEED, fromBlock: 100 } };

    // The store fails exactly the write that records the backfill, after the seed is stored.
    proxy.failWhen = (operation, body) => operation === 'UpdateItem' && body.includes('#backfill');
    const failed = await api.request('POST', `/cases/${caseId}/seeds`, request);
    proxy.failWhen = undefined;
    expect(failed.status).toBe(503);
    expect((await api.request('GET', `/cases/${caseId}`)).json.backfill).toEqual([]);
    // The seed exists: the ingester would only follow it from the live checkpoint on...
    expect((await api.request('GET', `/cases/${caseId}/seeds/local/${SEED}`)).status).toBe(200);

    // ...until the client retries, as it must after a 503: the backfill is recorded then.
    const retried = await api.request('POST', `/cases/${caseId}/seeds`, request);
    expect(retried.status).toBe(201);
    expect((await api.request('GET', `/cases/${caseId}`)).json.backfill).toEqual([
      expect.objectContaining({ chain: 'local', state: 'pending', fromBlock: 100, toBlock: 120 }),
    ]);

    // Once recorded, the same request is a conflict again: nothing left to finish.
    expect((await api.request('POST', `/cases/${caseId}/seeds`, request)).status).toBe(409);
  });
});

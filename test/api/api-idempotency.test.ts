import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPE_PREFIX } from '../../shared/api/problem.ts';
import { type ApiHarness, startApiHarness } from './api-harness.ts';

async function caseNames(api: ApiHarness): Promise<string[]> {
  const page = await api.request('GET', '/cases?limit=200');
  return page.json.items.map((item: { name: string }) => item.name).sort();
}

describe('Idempotency-Key on POST', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('replays the first answer to a retry, creating once', async () => {
    const headers = { 'idempotency-key': 'create-case-1' };
    const first = await api.request('POST', '/cases', {
      body: { name: 'Retried case', maxHops: 3 },
      headers,
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same request with its fields in another order is the same request.
    const retry = await api.request('POST', '/cases', {
      rawBody: '{"maxHops":3,  "name":"Retried case"}',
      headers,
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.json).toEqual(first.json);
    expect(await caseNames(api)).toEqual(['Retried case']);
  });

  it('answers 409 for the same key with another body, and stores nothing', async () => {
    const before = await api.snapshot();
    const reused = await api.request('POST', '/cases', {
      body: { name: 'Another case' },
      headers: { 'idempotency-key': 'create-case-1' },
    });
    expect(reused.status).toBe(409);
    expect(reused.json.type).toBe(`${PROBLEM_TYPE_PREFIX}idempotency-key-reused`);
    expect(await api.snapshot()).toEqual(before);
  });

  it('scopes a key to its path: the same key on another route is another request (409)', async () => {
    const caseId = (await caseNamesAndIds(api))[0]?.id as string;
    const seed = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { name: 'Retried case', maxHops: 3 },
      headers: { 'idempotency-key': 'create-case-1' },
    });
    // The body does not even fit the route: validation answers before the key is looked at.
    expect(seed.status).toBe(400);
    const valid = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: `0x${'5'.repeat(40)}` },
      headers: { 'idempotency-key': 'create-case-1' },
    });
    expect(valid.status).toBe(409);
    expect(valid.json.type).toBe(`${PROBLEM_TYPE_PREFIX}idempotency-key-reused`);
  });

  it('releases the key of a request that failed, so a corrected retry goes through', async () => {
    const headers = { 'idempotency-key': 'seed-on-a-missing-case' };
    const missing = await api.request('POST', '/cases/no-such-case/seeds', {
      body: { chain: 'local', address: `0x${'6'.repeat(40)}` },
      headers,
    });
    expect(missing.status).toBe(404);
    const caseId = (await caseNamesAndIds(api))[0]?.id as string;
    const corrected = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: `0x${'6'.repeat(40)}` },
      headers,
    });
    expect(corrected.status).toBe(201);
  });

  it("keeps keys per caller: another caller's same key is its own request", async () => {
    const other = await api.asCaller({
      accountId: '111122223333',
      userArn: 'arn:aws:iam::111122223333:user/other-analyst',
      userId: 'AIDAOTHER',
    });
    try {
      const theirs = await other.request('POST', '/cases', {
        body: { name: 'Retried case', maxHops: 3 },
        headers: { 'idempotency-key': 'create-case-1' },
      });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.json.createdBy).toBe('arn:aws:iam::111122223333:user/other-analyst');
    } finally {
      await other.close();
    }
    expect(await caseNames(api)).toEqual(['Retried case', 'Retried case']);
  });

  it('creates once when the same request races with itself', async () => {
    const headers = { 'idempotency-key': 'racing-request' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.request('POST', '/cases', { body: { name: 'Raced case' }, headers }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    // Each is the creation, its replay, or "still in progress" (409); never a second creation.
    for (const answer of answers) {
      if (answer.status === 409) {
        expect(answer.json.type).toBe(`${PROBLEM_TYPE_PREFIX}idempotency-key-in-progress`);
        expect(answer.headers.get('retry-after')).toBe('2');
      } else {
        expect(answer.status).toBe(201);
      }
    }
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    const ids = new Set(answers.filter((answer) => answer.status === 201).map((answer) => answer.json.id));
    expect(ids.size).toBe(1);
    expect((await caseNames(api)).filter((name) => name === 'Raced case')).toHaveLength(1);
    const replay = await api.request('POST', '/cases', { body: { name: 'Raced case' }, headers });
    expect(replay.status).toBe(201);
    expect(replay.json.id).toBe([...ids][0]);
  });

  it('stores idempotency records with a TTL attribute', async () => {
    const records = (await api.snapshot())
      .map((item) => JSON.parse(item))
      .filter((item) => item.entity === 'idempotency');
    expect(records.length).toBeGreaterThan(0);
    const now = Math.floor(Date.now() / 1000);
    for (const record of records) {
      expect(record.ttl).toBeGreaterThan(now);
      expect(record.ttl).toBeLessThanOrEqual(now + 24 * 3600 + 60);
    }
  });
});

async function caseNamesAndIds(api: ApiHarness): Promise<{ id: string; name: string }[]> {
  return (await api.request('GET', '/cases?limit=200')).json.items;
}

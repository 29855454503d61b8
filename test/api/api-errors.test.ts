import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../shared/api/api-handler.ts';
import { PROBLEM_TYPE_PREFIX } from '../../shared/api/problem.ts';
import { type ApiAnswer, type ApiHarness, startApiHarness } from './api-harness.ts';
import { type DynamoDbFaultProxy, startDynamoDbFaultProxy } from './dynamodb-fault-proxy.ts';

const SEED = '0x1111111111111111111111111111111111111111';

/** A problem answer: the status, RFC 9457 members, and nothing of the inside (no stack, no file paths). */
function expectProblem(answer: ApiAnswer, status: number, slug?: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.json).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(answer.json.type).toMatch(new RegExp(`^${PROBLEM_TYPE_PREFIX}`));
  if (slug) expect(answer.json.type).toBe(`${PROBLEM_TYPE_PREFIX}${slug}`);
  expect(answer.text).not.toMatch(/\.ts:\d+|node_modules|at [A-Za-z]+ \(/);
}

describe('API errors over HTTP', () => {
  let api: ApiHarness;
  let caseId: string;
  let otherCaseId: string;

  beforeAll(async () => {
    api = await startApiHarness();
    caseId = (await api.request('POST', '/cases', { body: { name: 'Target case' } })).json.id;
    otherCaseId = (await api.request('POST', '/cases', { body: { name: 'Other case' } })).json.id;
    for (const n of [1, 2, 3]) {
      const address = `0x${String(n).repeat(40)}`;
      expect(
        (await api.request('POST', `/cases/${caseId}/seeds`, { body: { chain: 'local', address } })).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('400 names every failing field', async () => {
    const answer = await api.request('POST', '/cases', {
      body: { name: '', maxHops: -1, model: 'taint', extra: 1 },
    });
    expectProblem(answer, 400, 'invalid-request');
    expect(answer.json.errors).toEqual(
      expect.arrayContaining([
        { in: 'body', pointer: '#/name', detail: 'must not be empty' },
        { in: 'body', pointer: '#/maxHops', detail: 'must be at least 1' },
        { in: 'body', pointer: '#/model', detail: 'must be "haircut" or "poison"' },
        { in: 'body', pointer: '#/extra', detail: 'is not a known field' },
      ]),
    );
  });

  it('401 without a caller identity (an API not behind IAM authorization)', async () => {
    const answer = await createApi(api.deps).answer({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/cases',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/cases' } },
    } as never);
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body).type).toBe(`${PROBLEM_TYPE_PREFIX}unauthenticated`);
  });

  it('404 for an unknown route, case or seed', async () => {
    expectProblem(await api.request('GET', '/nothing-here'), 404, 'not-found');
    expectProblem(await api.request('GET', '/cases/no-such-case'), 404, 'not-found');
    expectProblem(await api.request('GET', '/cases/no-such-case/alerts'), 404, 'not-found');
    expectProblem(
      await api.request('GET', `/cases/${caseId}/seeds/local/${'0x'.padEnd(42, '9')}`),
      404,
      'not-found',
    );
  });

  it('405 with Allow for a known path and another method', async () => {
    const put = await api.request('PUT', '/cases');
    expectProblem(put, 405, 'method-not-allowed');
    expect(put.headers.get('allow')).toBe('GET, POST');
    const remove = await api.request('DELETE', `/cases/${caseId}`);
    expectProblem(remove, 405);
    expect(remove.headers.get('allow')).toBe('GET, PATCH');
  });

  it('406 for a graph in a format it does not have', async () => {
    const answer = await api.request('GET', `/cases/${caseId}/graph`, { headers: { accept: 'image/png' } });
    expectProblem(answer, 406, 'not-acceptable');
  });

  it('409 for a seed already present', async () => {
    const answer = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: `0x${'1'.repeat(40)}` },
    });
    expectProblem(answer, 409, 'conflict');
  });

  it('413 for a body over 64 KiB', async () => {
    const answer = await api.request('POST', '/cases', { body: { name: 'x', padding: 'y'.repeat(70_000) } });
    expectProblem(answer, 413, 'payload-too-large');
  });

  it('415 for a body that is not JSON', async () => {
    const answer = await api.request('POST', '/cases', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(answer, 415, 'unsupported-media-type');
  });

  it('400 for a cursor that was tampered with, or that belongs to another case', async () => {
    const page = await api.request('GET', `/cases/${caseId}/seeds?limit=1`);
    const cursor: string = page.json.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const flipped = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    expectProblem(
      await api.request('GET', `/cases/${caseId}/seeds?cursor=${flipped}`),
      400,
      'invalid-cursor',
    );
    expectProblem(
      await api.request('GET', `/cases/${caseId}/seeds?cursor=bm90LWEtY3Vyc29y`),
      400,
      'invalid-cursor',
    );
    expectProblem(
      await api.request('GET', `/cases/${otherCaseId}/seeds?cursor=${cursor}`),
      400,
      'invalid-cursor',
    );
    // The untouched cursor still works.
    expect((await api.request('GET', `/cases/${caseId}/seeds?limit=1&cursor=${cursor}`)).status).toBe(200);
  });

  describe('hostile inputs: a 4xx problem each, and nothing stored', () => {
    const hugeNesting = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const cases: {
      name: string;
      method: string;
      path: (ids: { caseId: string }) => string;
      body?: unknown;
      rawBody?: string | Uint8Array;
      headers?: Record<string, string>;
      status: number;
    }[] = [
      { name: 'malformed JSON', method: 'POST', path: () => '/cases', rawBody: '{"name": "x",', status: 400 },
      { name: 'JSON array instead of object', method: 'POST', path: () => '/cases', body: [], status: 400 },
      { name: 'JSON null', method: 'POST', path: () => '/cases', rawBody: 'null', status: 400 },
      {
        name: 'empty body',
        method: 'POST',
        path: () => '/cases',
        rawBody: '',
        headers: { 'content-type': 'application/json' },
        status: 400,
      },
      {
        name: 'deeply nested arrays',
        method: 'POST',
        path: () => '/cases',
        rawBody: hugeNesting,
        status: 400,
      },
      {
        name: 'invalid UTF-8',
        method: 'POST',
        path: () => '/cases',
        rawBody: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        headers: { 'content-type': 'application/json' },
        status: 400,
      },
      {
        name: 'name of the wrong type',
        method: 'POST',
        path: () => '/cases',
        body: { name: 5 },
        status: 400,
      },
      {
        name: 'hop limit as a string',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', maxHops: '6' },
        status: 400,
      },
      {
        name: 'hop limit with a fraction',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', maxHops: 6.5 },
        status: 400,
      },
      { name: 'blank name', method: 'POST', path: () => '/cases', body: { name: '   ' }, status: 400 },
      {
        name: 'NUL in a name',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'a\u0000b' },
        status: 400,
      },
      {
        name: 'newline in a name',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'a\nb' },
        status: 400,
      },
      {
        name: 'bidi override in a name',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'invoice\u202etxt.exe' },
        status: 400,
      },
      {
        name: 'name too long',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'n'.repeat(201) },
        status: 400,
      },
      {
        name: 'unknown field',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', admin: true },
        status: 400,
      },
      {
        name: '__proto__ field',
        method: 'POST',
        path: () => '/cases',
        rawBody: '{"name":"x","__proto__":{"admin":true}}',
        status: 400,
      },
      {
        name: 'huge body',
        method: 'POST',
        path: () => '/cases',
        rawBody: JSON.stringify({ name: 'x'.repeat(100_000) }),
        status: 413,
      },
      {
        name: 'text/plain body',
        method: 'POST',
        path: () => '/cases',
        rawBody: '{"name":"x"}',
        headers: { 'content-type': 'text/plain' },
        status: 415,
      },
      {
        name: 'no content type',
        method: 'POST',
        path: () => '/cases',
        rawBody: new Uint8Array(Buffer.from('{"name":"x"}')),
        status: 415,
      },
      {
        name: 'latin-1 charset',
        method: 'POST',
        path: () => '/cases',
        rawBody: '{"name":"x"}',
        headers: { 'content-type': 'application/json; charset=iso-8859-1' },
        status: 415,
      },
      {
        name: 'negative minimum amount',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', minAmounts: [{ chain: 'local', asset: 'native', baseUnits: '-1' }] },
        status: 400,
      },
      {
        name: 'fractional base units',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', minAmounts: [{ chain: 'local', asset: 'native', baseUnits: '1.5' }] },
        status: 400,
      },
      {
        name: 'amount over 256 bits',
        method: 'POST',
        path: () => '/cases',
        body: {
          name: 'x',
          minAmounts: [{ chain: 'local', asset: 'native', baseUnits: (1n << 256n).toString() }],
        },
        status: 400,
      },
      {
        name: 'amount as a number',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', minAmounts: [{ chain: 'local', asset: 'native', baseUnits: 1e18 }] },
        status: 400,
      },
      {
        name: 'unconfigured chain in a case',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x', minAmounts: [{ chain: 'bitcoin', asset: 'native', baseUnits: '1' }] },
        status: 400,
      },
      {
        name: 'token with 99 decimals',
        method: 'POST',
        path: () => '/cases',
        body: {
          name: 'x',
          followedTokens: [{ chain: 'local', address: SEED, symbol: 'T', decimals: 99, minAmount: '1' }],
        },
        status: 400,
      },
      {
        name: 'token contradicting the allow-list',
        method: 'POST',
        path: () => '/cases',
        body: {
          name: 'x',
          followedTokens: [
            {
              chain: 'ethereum',
              address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
              symbol: 'USDC',
              decimals: 18,
              minAmount: '1',
            },
          ],
        },
        status: 400,
      },
      {
        name: 'non-hex address',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: `0x${'z'.repeat(40)}` },
        status: 400,
      },
      {
        name: 'address one digit short',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: `0x${'a'.repeat(39)}` },
        status: 400,
      },
      {
        name: 'address one digit long',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: `0x${'a'.repeat(41)}` },
        status: 400,
      },
      {
        name: 'address without 0x',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: 'a'.repeat(40) },
        status: 400,
      },
      {
        name: 'address with a bad checksum',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD' },
        status: 400,
      },
      {
        name: 'an ENS name',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: 'vitalik.eth' },
        status: 400,
      },
      {
        name: 'negative block',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: SEED, fromBlock: -1 },
        status: 400,
      },
      {
        name: 'enormous block',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: SEED, fromBlock: 1e300 },
        status: 400,
      },
      {
        name: 'block beyond safe integers',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        rawBody: `{"chain":"local","address":"${SEED}","fromBlock":9007199254740993}`,
        status: 400,
      },
      {
        name: 'fractional block',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: SEED, fromBlock: 1.5 },
        status: 400,
      },
      {
        name: 'block as a string',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: SEED, fromBlock: '10' },
        status: 400,
      },
      {
        name: 'chain in capitals',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'LOCAL', address: SEED },
        status: 400,
      },
      {
        name: 'unconfigured chain',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'bsc', address: SEED },
        status: 400,
      },
      {
        name: 'control character in a note',
        method: 'POST',
        path: (ids) => `/cases/${ids.caseId}/seeds`,
        body: { chain: 'local', address: SEED, note: 'x\u0007' },
        status: 400,
      },
      {
        name: 'seed on an unknown case',
        method: 'POST',
        path: () => '/cases/no-such-case/seeds',
        body: { chain: 'local', address: SEED },
        status: 404,
      },
      { name: 'traversal in a case id', method: 'GET', path: () => '/cases/..%2F..%2Fhealth', status: 404 },
      { name: 'dot-dot case id', method: 'GET', path: () => '/cases/%2e%2e', status: 400 },
      { name: 'NUL in a case id', method: 'GET', path: () => '/cases/abc%00def', status: 400 },
      { name: 'malformed escape in a case id', method: 'GET', path: () => '/cases/%E0%A4%A', status: 400 },
      { name: 'case id too long', method: 'GET', path: () => `/cases/${'c'.repeat(65)}`, status: 400 },
      {
        name: 'key separator in a case id',
        method: 'PATCH',
        path: () => '/cases/x%23WALLETS',
        body: { name: 'y' },
        status: 400,
      },
      {
        name: 'traversal in a seed path',
        method: 'DELETE',
        path: (ids) => `/cases/${ids.caseId}/seeds/local/..%2F..%2F`,
        status: 404,
      },
      {
        name: 'non-hex address in a path',
        method: 'DELETE',
        path: (ids) => `/cases/${ids.caseId}/seeds/local/0xZZ`,
        status: 400,
      },
      {
        name: 'body on a DELETE',
        method: 'DELETE',
        path: (ids) => `/cases/${ids.caseId}/seeds/local/${`0x${'1'.repeat(40)}`}`,
        body: { force: true },
        status: 400,
      },
      { name: 'page size 0', method: 'GET', path: () => '/cases?limit=0', status: 400 },
      { name: 'page size too large', method: 'GET', path: () => '/cases?limit=201', status: 400 },
      { name: 'page size not a number', method: 'GET', path: () => '/cases?limit=ten', status: 400 },
      { name: 'page size in hex', method: 'GET', path: () => '/cases?limit=0x10', status: 400 },
      { name: 'repeated parameter', method: 'GET', path: () => '/cases?limit=1&limit=2', status: 400 },
      { name: 'unknown parameter', method: 'GET', path: () => '/cases?admin=1', status: 400 },
      { name: 'unknown parameter on health', method: 'GET', path: () => '/health?x=1', status: 400 },
      {
        name: 'since that is no date',
        method: 'GET',
        path: (ids) => `/cases/${ids.caseId}/alerts?since=yesterday`,
        status: 400,
      },
      {
        name: 'unknown alert kind',
        method: 'GET',
        path: (ids) => `/cases/${ids.caseId}/alerts?kind=ALL`,
        status: 400,
      },
      {
        name: 'hop without chain',
        method: 'GET',
        path: (ids) => `/cases/${ids.caseId}/wallets?hop=1`,
        status: 400,
      },
      {
        name: 'negative hop',
        method: 'GET',
        path: (ids) => `/cases/${ids.caseId}/wallets?chain=local&hop=-1`,
        status: 400,
      },
      {
        name: 'graph of an unconfigured chain',
        method: 'GET',
        path: (ids) => `/cases/${ids.caseId}/graph?chain=bitcoin`,
        status: 400,
      },
      {
        name: 'idempotency key too long',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x' },
        headers: { 'idempotency-key': 'k'.repeat(300) },
        status: 400,
      },
      {
        name: 'idempotency key with a space',
        method: 'POST',
        path: () => '/cases',
        body: { name: 'x' },
        headers: { 'idempotency-key': 'a b' },
        status: 400,
      },
      {
        name: 'label of an unknown category',
        method: 'PUT',
        path: () => `/labels/local/${SEED}`,
        body: { category: 'friend', name: 'x' },
        status: 400,
      },
      {
        name: 'label on a bad address',
        method: 'PUT',
        path: () => '/labels/local/0x1234',
        body: { category: 'exchange', name: 'x' },
        status: 400,
      },
      { name: 'unknown method', method: 'PATCH', path: () => '/health', body: {}, status: 405 },
    ];

    for (const hostile of cases) {
      it(hostile.name, async () => {
        const before = await api.snapshot();
        const answer = await api.request(hostile.method, hostile.path({ caseId }), {
          ...(hostile.body !== undefined ? { body: hostile.body } : {}),
          ...(hostile.rawBody !== undefined ? { rawBody: hostile.rawBody } : {}),
          ...(hostile.headers ? { headers: hostile.headers } : {}),
        });
        expectProblem(answer, hostile.status);
        expect(await api.snapshot()).toEqual(before);
      });
    }
  });
});

describe('API answers when the store throttles or fails', () => {
  let proxy: DynamoDbFaultProxy;
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness({
      dynamoEndpoint: async (dynalite) => {
        proxy = await startDynamoDbFaultProxy(dynalite);
        return proxy.endpoint;
      },
      maxAttempts: 2,
    });
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  it('429 with Retry-After when DynamoDB throttles, and works again after', async () => {
    proxy.mode = 'throttle';
    const answer = await api.request('GET', '/cases');
    expectProblem(answer, 429, 'too-many-requests');
    expect(answer.headers.get('retry-after')).toBe('1');
    proxy.mode = 'pass';
    expect((await api.request('GET', '/cases')).status).toBe(200);
  });

  it('503 when DynamoDB fails, without saying more than that', async () => {
    proxy.mode = 'fail';
    const answer = await api.request('POST', '/cases', { body: { name: 'x' } });
    expectProblem(answer, 503, 'unavailable');
    expect(answer.text).not.toMatch(/InternalServerError|injected/);
    proxy.mode = 'pass';
  });
});

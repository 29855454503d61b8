import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, checksum, LOCAL_IDENTITY, startApiHarness } from './api-harness.ts';
import { BINANCE_14, HOP1, TORNADO_10_ETH, traceAndStore } from './traced-case.ts';

const SEED = '0x1111111111111111111111111111111111111111';
const SECOND_SEED = '0x3333333333333333333333333333333333333333';
/** Mixed case with a valid EIP-55 checksum: accepted. */
const CHECKSUMMED = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

describe('the API over HTTP: cases, seeds, evidence, labels, audit', () => {
  let api: ApiHarness;
  let caseId: string;

  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers health with the configured chains', async () => {
    const answer = await api.request('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'ok', chains: ['local', 'ethereum'] });
  });

  it('creates a case with defaults, and reads it back', async () => {
    const created = await api.request('POST', '/cases', {
      body: {
        name: 'Bridge exploit 2026-11',
        minAmounts: [{ chain: 'local', asset: 'native', baseUnits: '1000000000000000' }],
        followedTokens: [
          {
            chain: 'ethereum',
            address: '0x6b175474e89094c44da98b954eedeac495271d0f',
            symbol: 'DAI',
            decimals: 18,
            minAmount: '1000000000000000000',
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    caseId = created.json.id;
    expect(created.headers.get('location')).toBe(`/cases/${caseId}`);
    expect(created.json).toMatchObject({
      name: 'Bridge exploit 2026-11',
      status: 'open',
      model: 'haircut',
      maxHops: 6,
      minAmounts: [{ chain: 'local', asset: 'native', baseUnits: '1000000000000000' }],
      followedTokens: [
        { chain: 'ethereum', address: '0x6B175474E89094C44Da98b954EedeAC495271d0F', decimals: 18 },
      ],
      createdBy: LOCAL_IDENTITY.userArn,
      backfill: [],
    });
    const read = await api.request('GET', `/cases/${caseId}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it('lists cases newest first, page by page', async () => {
    for (const name of ['Second case', 'Third case']) {
      expect((await api.request('POST', '/cases', { body: { name } })).status).toBe(201);
    }
    const first = await api.request('GET', '/cases?limit=2');
    expect(first.status).toBe(200);
    expect(first.json.items.map((item: { name: string }) => item.name)).toEqual([
      'Third case',
      'Second case',
    ]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await api.request('GET', `/cases?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((item: { name: string }) => item.name)).toEqual(['Bridge exploit 2026-11']);
    expect(second.json.nextCursor).toBeNull();
  });

  it('changes a case with PATCH and closes and reopens it', async () => {
    const patched = await api.request('PATCH', `/cases/${caseId}`, { body: { maxHops: 4, model: 'poison' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ maxHops: 4, model: 'poison', name: 'Bridge exploit 2026-11' });
    const closed = await api.request('PATCH', `/cases/${caseId}`, { body: { status: 'closed' } });
    expect(closed.json.status).toBe('closed');
    const onlyClosed = await api.request('GET', '/cases?status=closed');
    expect(onlyClosed.json.items.map((item: { id: string }) => item.id)).toEqual([caseId]);
    const refused = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: SEED },
    });
    expect(refused.status).toBe(409);
    expect((await api.request('PATCH', `/cases/${caseId}`, { body: { status: 'open' } })).json.status).toBe(
      'open',
    );
  });

  it('adds seeds, normalizes addresses, bumps the taint epoch and lists them', async () => {
    const before = await api.deps.store.getCheckpoint('local');
    const added = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: SEED, note: 'received the exploit proceeds' },
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      chain: 'local',
      address: checksum(SEED),
      note: 'received the exploit proceeds',
      fromBlock: null,
    });
    expect((await api.deps.store.getCheckpoint('local')).taintEpoch).toBeGreaterThan(before.taintEpoch);

    const mixed = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: CHECKSUMMED },
    });
    expect(mixed.status).toBe(201);
    expect(await api.deps.store.getSeed(caseId, 'local', CHECKSUMMED.toLowerCase())).toBeDefined();

    const again = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: SEED.toUpperCase().replace('0X', '0x') },
    });
    expect(again.status).toBe(409);

    const listed = await api.request('GET', `/cases/${caseId}/seeds?limit=1`);
    expect(listed.json.items).toHaveLength(1);
    const rest = await api.request('GET', `/cases/${caseId}/seeds?limit=1&cursor=${listed.json.nextCursor}`);
    expect(
      [...listed.json.items, ...rest.json.items].map((seed: { address: string }) => seed.address).sort(),
    ).toEqual([checksum(SEED), CHECKSUMMED].sort());
    const one = await api.request('GET', `/cases/${caseId}/seeds/local/${SEED}`);
    expect(one.json.address).toBe(checksum(SEED));
  });

  it('removes a seed, then answers 404 for it', async () => {
    expect((await api.request('DELETE', `/cases/${caseId}/seeds/local/${CHECKSUMMED}`)).status).toBe(204);
    expect((await api.request('DELETE', `/cases/${caseId}/seeds/local/${CHECKSUMMED}`)).status).toBe(404);
    expect((await api.request('GET', `/cases/${caseId}/seeds/local/${CHECKSUMMED}`)).status).toBe(404);
  });

  it('shows tainted wallets, alerts and the flow graph of a traced case', async () => {
    await traceAndStore(api.deps.store, caseId, 'Bridge exploit 2026-11', SEED);

    const wallets = await api.request('GET', `/cases/${caseId}/wallets?chain=local`);
    expect(wallets.status).toBe(200);
    expect(
      wallets.json.items.map((wallet: { address: string; hop: number }) => [wallet.address, wallet.hop]),
    ).toEqual([
      [checksum(SEED), 0],
      [checksum(HOP1), 1],
    ]);
    const hop1 = wallets.json.items[1];
    expect(hop1.holdings).toEqual([
      { asset: 'native', symbol: 'ETH', decimals: 18, taintedIn: '10', taintedHeld: '1' },
    ]);
    expect(hop1.path.map((step: { address: string }) => step.address)).toEqual([
      checksum(SEED),
      checksum(HOP1),
    ]);
    const atHop1 = await api.request('GET', `/cases/${caseId}/wallets?chain=local&hop=1`);
    expect(atHop1.json.items.map((wallet: { address: string }) => wallet.address)).toEqual([checksum(HOP1)]);

    const alerts = await api.request('GET', `/cases/${caseId}/alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.json.items.map((alert: { kind: string }) => alert.kind)).toEqual([
      'MIXER_DEPOSIT',
      'EXCHANGE_DEPOSIT',
      'FUNDS_MOVED',
    ]);
    const exchange = alerts.json.items[1];
    expect(exchange).toMatchObject({
      exchange: 'Binance',
      to: checksum(BINANCE_14),
      taintedAmount: '6',
      delivery: { state: 'pending' },
    });
    const critical = await api.request('GET', `/cases/${caseId}/alerts?severity=critical`);
    expect(critical.json.items.map((alert: { kind: string }) => alert.kind)).toEqual(['EXCHANGE_DEPOSIT']);
    const oldest = await api.request('GET', `/cases/${caseId}/alerts?order=oldest&kind=FUNDS_MOVED`);
    expect(oldest.json.items).toHaveLength(1);
    const since = await api.request(
      'GET',
      `/cases/${caseId}/alerts?since=${encodeURIComponent(exchange.timestamp)}&order=oldest`,
    );
    expect(since.json.items.map((alert: { kind: string }) => alert.kind)).toEqual([
      'EXCHANGE_DEPOSIT',
      'MIXER_DEPOSIT',
    ]);

    const graph = await api.request('GET', `/cases/${caseId}/graph`);
    expect(graph.status).toBe(200);
    expect(graph.json).toMatchObject({ caseId, chain: 'local', truncated: false });
    expect(
      graph.json.nodes.map((node: { address: string; hop: number | null }) => [node.address, node.hop]),
    ).toEqual([
      [checksum(SEED), 0],
      [checksum(HOP1), 1],
      [checksum(BINANCE_14), null],
      [checksum(TORNADO_10_ETH), null],
    ]);
    expect(graph.json.nodes[2]).toMatchObject({
      label: { name: 'Binance', category: 'exchange' },
      taintedIn: { ETH: '6' },
    });
    expect(graph.json.edges.map((edge: { taintedAmount: string }) => edge.taintedAmount)).toEqual([
      '10',
      '6',
      '3',
    ]);

    const dot = await api.request('GET', `/cases/${caseId}/graph?chain=local`, {
      headers: { accept: 'text/vnd.graphviz' },
    });
    expect(dot.status).toBe(200);
    expect(dot.headers.get('content-type')).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.text).toMatch(/^digraph "case .* on local" \{/);
    expect(dot.text).toContain(`"${checksum(HOP1)}" -> "${checksum(BINANCE_14)}"`);
  });

  it('records a backfill request for a seed with fromBlock, up to the live checkpoint', async () => {
    const added = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'local', address: SECOND_SEED, fromBlock: 50 },
    });
    expect(added.status).toBe(201);
    expect(added.json.fromBlock).toBe(50);
    const read = await api.request('GET', `/cases/${caseId}`);
    expect(read.json.backfill).toEqual([
      {
        chain: 'local',
        state: 'pending',
        fromBlock: 50,
        toBlock: 104,
        doneThrough: null,
        blocksDone: 0,
        blocksTotal: 55,
        updatedAt: expect.any(String),
      },
    ]);
    // The lead's backfill worker reports progress through the store; the case shows it.
    await api.deps.store.setBackfillProgress(caseId, 'local', {
      fromBlock: 50,
      toBlock: 104,
      doneThrough: 79,
      updatedAt: new Date().toISOString(),
    });
    const running = await api.request('GET', `/cases/${caseId}`);
    expect(running.json.backfill[0]).toMatchObject({ state: 'running', blocksDone: 30, blocksTotal: 55 });
  });

  it('refuses a backfill on a chain that was never ingested, storing nothing', async () => {
    const before = await api.snapshot();
    const refused = await api.request('POST', `/cases/${caseId}/seeds`, {
      body: { chain: 'ethereum', address: SECOND_SEED, fromBlock: 19_000_000 },
    });
    expect(refused.status).toBe(409);
    expect(await api.snapshot()).toEqual(before);
  });

  it("keeps the agency's labels, audited with before and after", async () => {
    const deposit = '0x4444444444444444444444444444444444444444';
    const put = await api.request('PUT', `/labels/local/${deposit}`, {
      body: {
        category: 'exchange',
        name: 'Binance deposit',
        depositOf: BINANCE_14,
        source: 'subpoena 2026-118',
      },
    });
    expect(put.status).toBe(200);
    expect(put.json.labels).toEqual([
      expect.objectContaining({
        origin: 'agency',
        category: 'exchange',
        name: 'Binance deposit',
        depositOf: checksum(BINANCE_14),
        by: LOCAL_IDENTITY.userArn,
      }),
    ]);
    await api.request('PUT', `/labels/local/${deposit}`, {
      body: { category: 'exchange', name: 'Binance deposit (confirmed)' },
    });
    const read = await api.request('GET', `/labels/local/${deposit}`);
    expect(read.json.labels.map((label: { name: string }) => label.name)).toEqual([
      'Binance deposit (confirmed)',
    ]);
    const builtIn = await api.request('GET', `/labels/ethereum/${BINANCE_14}`);
    expect(builtIn.json.labels[0]).toMatchObject({
      origin: 'built-in',
      category: 'exchange',
      name: 'Binance',
    });

    const audit = await api.request('GET', '/audit');
    expect(audit.json.items.map((entry: { action: string }) => entry.action)).toEqual([
      'label.added',
      'label.replaced',
    ]);
    expect(audit.json.items[1].details).toMatchObject({
      before: { name: 'Binance deposit' },
      after: { name: 'Binance deposit (confirmed)' },
    });
  });

  it('keeps an audit trail of every change to the case, with who and when', async () => {
    const audit = await api.request('GET', `/cases/${caseId}/audit?limit=200`);
    expect(audit.status).toBe(200);
    expect(audit.json.items.map((entry: { action: string }) => entry.action)).toEqual([
      'case.created',
      'case.updated',
      'case.updated',
      'case.updated',
      'seed.added',
      'seed.added',
      'seed.removed',
      'seed.added',
    ]);
    for (const entry of audit.json.items) expect(entry.by).toBe(LOCAL_IDENTITY.userArn);
    expect(audit.json.items[6].details).toMatchObject({ chain: 'local', address: CHECKSUMMED.toLowerCase() });
  });

  it('serves at GET /openapi.json the document its answers are checked against', async () => {
    const served = await api.request('GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json).toEqual(api.document);
  });

  it('answered every documented operation, each response matching the document', () => {
    const seen = new Set(api.conformance.observed.filter((o) => o.status < 300).map((o) => o.operation));
    const documented = Object.values<any>(api.document.paths).flatMap((item) =>
      Object.values<any>(item).map((operation) => operation.operationId),
    );
    expect([...seen].sort()).toEqual([...documented].sort());
  });
});

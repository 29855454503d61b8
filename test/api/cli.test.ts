import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeApiRegion } from '../../shared/cli/api/sigv4.ts';
import type { CliIo } from '../../shared/cli/cli-io.ts';
import { main } from '../../shared/cli/main.ts';
import { type ApiHarness, checksum, startApiHarness } from './api-harness.ts';

const SEED = '0x1111111111111111111111111111111111111111';

function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    errIsTerminal: false,
    env,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('laundering-alerts cases|seeds|wallets|alerts|graph against the API', () => {
  let api: ApiHarness;
  let caseId: string;
  const run = async (...args: string[]) => {
    const captured = captureIo();
    const code = await main([...args, '--api', api.url], captured.io);
    return { code, out: captured.out(), err: captured.err() };
  };

  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates a case and shows it as a record, or as JSON', async () => {
    const created = await run('cases', 'create', '--name', 'CLI case', '--max-hops', '4', '--json');
    expect(created.code).toBe(0);
    caseId = JSON.parse(created.out).id;
    const shown = await run('cases', 'show', caseId);
    expect(shown.out).toMatch(/^id: +\S+/m);
    expect(shown.out).toMatch(/^name: +CLI case$/m);
    expect(shown.out).toMatch(/^max hops: +4$/m);
  });

  it('lists cases as a table and pages with --limit and --cursor', async () => {
    await run('cases', 'create', '--name', 'Second');
    const first = await run('cases', 'list', '--limit', '1');
    expect(first.out.split('\n')[0]).toMatch(/^ID +NAME +STATUS +MODEL +HOPS +CREATED$/);
    expect(first.out).toContain('Second');
    const cursor = /--cursor (\S+)/.exec(first.err)?.[1];
    expect(cursor).toBeDefined();
    const next = await run('cases', 'list', '--limit', '1', '--cursor', cursor as string);
    expect(next.out).toContain('CLI case');
    const all = await run('cases', 'list', '--limit', '1', '--all', '--json');
    expect(JSON.parse(all.out)).toHaveLength(2);
  });

  it('adds, lists and removes seeds', async () => {
    const added = await run('seeds', 'add', caseId, 'local', SEED, '--note', 'exploit proceeds');
    expect(added.code).toBe(0);
    expect(added.out).toContain(checksum(SEED));
    const listed = await run('seeds', 'list', caseId, '--json');
    expect(JSON.parse(listed.out).map((seed: { address: string }) => seed.address)).toEqual([checksum(SEED)]);
    const removed = await run('seeds', 'remove', caseId, 'local', SEED);
    expect(removed.out).toContain('removed');
    expect(JSON.parse((await run('seeds', 'list', caseId, '--json')).out)).toEqual([]);
  });

  it("prints the API's problem, field by field, with exit code 2", async () => {
    const refused = await run('seeds', 'add', caseId, 'local', '0x1234');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('400');
    expect(refused.err).toContain('#/address must be 0x followed by 40 hexadecimal digits');
    const missing = await run('cases', 'show', 'no-such-case');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('404 Case no-such-case does not exist');
  });

  it('shows wallets, alerts and the graph (table, JSON and DOT)', async () => {
    await run('seeds', 'add', caseId, 'local', SEED);
    const { traceAndStore, HOP1 } = await import('./traced-case.ts');
    await traceAndStore(api.deps.store, caseId, 'CLI case', SEED);
    const wallets = await run('wallets', caseId, '--chain', 'local');
    expect(wallets.out).toContain(checksum(HOP1));
    expect(wallets.out).toMatch(/10 ETH/);
    const alerts = await run('alerts', caseId, '--severity', 'critical');
    expect(alerts.out).toMatch(/critical +EXCHANGE_DEPOSIT/);
    expect(alerts.out).toContain('(Binance)');
    const graph = await run('graph', caseId);
    expect(graph.out).toMatch(/on local: 4 wallets, 3 transfers/);
    const dot = await run('graph', caseId, '--dot');
    expect(dot.out).toMatch(/^digraph /);
  });

  it('closes a case and reads its audit trail', async () => {
    const closed = await run('cases', 'close', caseId, '--json');
    expect(JSON.parse(closed.out).status).toBe('closed');
    const audit = await run('cases', 'audit', caseId, '--json');
    expect(JSON.parse(audit.out).map((entry: { action: string }) => entry.action)).toContain('seed.removed');
  });

  it('says how to start the API when nothing listens', async () => {
    const captured = captureIo();
    const code = await main(['cases', 'list', '--api', 'http://127.0.0.1:9'], captured.io);
    expect(code).toBe(2);
    expect(captured.err()).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9 .*is `npm start` running\?/);
  });

  it('runs as the installed bin', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/laundering-alerts.mjs', 'cases', 'list', '--json', '--api', api.url],
      { env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    expect(
      JSON.parse(stdout)
        .map((entry: { name: string }) => entry.name)
        .sort(),
    ).toEqual(['CLI case', 'Second']);
  });
});

describe('SigV4 signing for an API in AWS', () => {
  it('recognises execute-api endpoints and their region', () => {
    expect(executeApiRegion(new URL('https://abc123def4.execute-api.eu-west-3.amazonaws.com/'))).toBe(
      'eu-west-3',
    );
    expect(executeApiRegion(new URL('http://127.0.0.1:3000'))).toBeUndefined();
    expect(
      executeApiRegion(new URL('https://execute-api.eu-west-3.amazonaws.com.evil.example/')),
    ).toBeUndefined();
  });

  it('signs with the credentials of the environment, verifiably', async () => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLETEST',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    const saved = {
      id: process.env.AWS_ACCESS_KEY_ID,
      secret: process.env.AWS_SECRET_ACCESS_KEY,
      profile: process.env.AWS_PROFILE,
    };
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    delete process.env.AWS_PROFILE;
    const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            chain: 'local',
            address: checksum(SEED),
            note: null,
            fromBlock: 5,
            addedAt: 'now',
            addedBy: 'me',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const captured = captureIo();
      const code = await main(
        [
          'seeds',
          'add',
          'case-1',
          'local',
          SEED,
          '--from-block',
          '5',
          '--api',
          `http://127.0.0.1:${port}`,
          '--sign',
          'us-east-1',
          '--json',
        ],
        captured.io,
      );
      expect(code, captured.err()).toBe(0);
      const [request] = received;
      expect(request?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETEST\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
      );
      // Signing the received request again, at its own date, gives the same signature.
      const signedNames =
        /SignedHeaders=([^,]+)/.exec(request?.headers.authorization ?? '')?.[1]?.split(';') ?? [];
      const headers = Object.fromEntries(signedNames.map((name) => [name, String(request?.headers[name])]));
      const amzDate = String(request?.headers['x-amz-date']);
      const signingDate = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const again = await new SignatureV4({
        service: 'execute-api',
        region: 'us-east-1',
        credentials,
        sha256: Sha256,
      }).sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: '127.0.0.1',
          port,
          path: '/cases/case-1/seeds',
          query: {},
          headers,
          body: request?.body,
        },
        { signingDate },
      );
      expect(again.headers.authorization).toBe(request?.headers.authorization);
      expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      server.close();
      for (const [name, value] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
        ['AWS_PROFILE', saved.profile],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

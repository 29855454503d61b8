/**
 * Issue 4's "done when", as a user would do it: `npm start -- --no-demo` runs in its own process; this
 * script knows only what it printed (the endpoints file), the documented HTTP API, the JSON-RPC node
 * (impersonating addresses) and an SQS queue of its own subscribed to the alert topic.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, until } from '../helpers/http-api-client.ts';

const ETH = 10n ** 18n;
const SEED = '0x5eed0000000000000000000000000000000a0115';
const HOP1 = '0x1000000000000000000000000000000000a0115a';
const HOP2 = '0x2000000000000000000000000000000000a0115a';
const DEPOSIT = '0xde00000000000000000000000000000000a0115a';
const BINANCE_HOT_WALLET = '0x28c6c06298d514db089934071355e5743bf21d60';
const TORNADO_10_ETH = '0x910cbd523d972eb0a6f4cae4618ad62622b39dbf';
const CREDENTIALS = { accessKeyId: 'script', secretAccessKey: 'script' };

interface Endpoints {
  jsonRpc: { local: string };
  api: string;
  snsSqs: string;
  region: string;
  topicArn: string;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const answer = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result;
}

async function pay(url: string, from: string, to: string, wei: bigint): Promise<string> {
  await rpc(url, 'hardhat_impersonateAccount', [from]);
  return (await rpc(url, 'eth_sendTransaction', [{ from, to, value: `0x${wei.toString(16)}` }])) as string;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API under test, checked field by field
const api = (base: string, method: string, path: string, body?: unknown, accept?: string): Promise<any> =>
  callApi(base, method, path, body, accept ? { accept } : {});

describe('a script against `npm start -- --no-demo`', () => {
  let child: ChildProcess;
  let workDir: string;
  let output = '';
  let endpoints: Endpoints;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'la-script-'));
    const endpointsFile = join(workDir, 'endpoints.json');
    child = spawn(
      process.execPath,
      [
        join('node_modules', 'tsx', 'dist', 'cli.mjs'),
        join('infra', 'local', 'start.ts'),
        '--no-demo',
        '--fresh',
        '--data-dir',
        join(workDir, 'data'),
        '--endpoints-file',
        endpointsFile,
        '--rpc-port',
        '0',
        '--dynamodb-port',
        '0',
        '--sns-port',
        '0',
        '--api-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await until('the stack to start', async () => (output.includes('Watching.') ? true : undefined));
    endpoints = JSON.parse(await readFile(endpointsFile, 'utf8')) as Endpoints;
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await rm(workDir, { recursive: true, force: true });
  });

  it('opens a case, follows the funds through the hops, and reads the alerts and graph back', async () => {
    for (const url of [endpoints.jsonRpc.local, endpoints.api, endpoints.snsSqs]) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
    }
    // The script's own subscription to the printed topic.
    const sqs = new SQSClient({
      endpoint: endpoints.snsSqs,
      region: endpoints.region,
      credentials: CREDENTIALS,
    });
    const sns = new SNSClient({
      endpoint: endpoints.snsSqs,
      region: endpoints.region,
      credentials: CREDENTIALS,
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'investigator-script' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: endpoints.topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn as string,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );

    const opened = await api(endpoints.api, 'POST', '/cases', { name: 'Script heist', maxHops: 5 });
    await api(endpoints.api, 'POST', `/cases/${opened.id}/seeds`, {
      chain: 'local',
      address: SEED,
      note: 'from the report',
    });

    const node = endpoints.jsonRpc.local;
    for (const wallet of [SEED, HOP1, HOP2, DEPOSIT]) {
      // Gas money before the wallets are tainted: outside what the tracer observes.
      await rpc(node, 'hardhat_setBalance', [
        wallet,
        `0x${(wallet === SEED ? 100n * ETH : ETH).toString(16)}`,
      ]);
    }
    const toHop1 = await pay(node, SEED, HOP1, 20n * ETH);
    const toHop2 = await pay(node, HOP1, HOP2, 12n * ETH);
    const toDeposit = await pay(node, HOP2, DEPOSIT, 5n * ETH);
    const sweep = await pay(node, DEPOSIT, BINANCE_HOT_WALLET, 5n * ETH);
    const secondDeposit = await pay(node, HOP1, DEPOSIT, 4n * ETH);
    const toMixer = await pay(node, HOP2, TORNADO_10_ETH, 7n * ETH);
    for (let block = 0; block < 3; block++) await rpc(node, 'evm_mine');

    const expected = [
      ['FUNDS_MOVED', toHop1],
      ['FUNDS_MOVED', toHop2],
      ['FUNDS_MOVED', toDeposit],
      ['EXCHANGE_DEPOSIT', sweep],
      ['EXCHANGE_DEPOSIT', secondDeposit],
      ['MIXER_DEPOSIT', toMixer],
    ].sort();
    const listed = await until('the alerts in the API', async () => {
      const page = await api(endpoints.api, 'GET', `/cases/${opened.id}/alerts?order=oldest`);
      return page.items.length >= expected.length ? page.items : undefined;
    });
    expect(
      listed.map((alert: { kind: string; txHash: string }) => [alert.kind, alert.txHash]).sort(),
    ).toEqual(expected);
    const atDeposit = listed.find((alert: { txHash: string }) => alert.txHash === secondDeposit);
    expect(atDeposit).toMatchObject({ exchange: 'Binance', hop: 2, amount: '4', taintedAmount: '4' });
    expect(atDeposit.depositAddress.toLowerCase()).toBe(DEPOSIT);
    const mixer = listed.find((alert: { txHash: string }) => alert.txHash === toMixer);
    expect(mixer.counterparty).toMatchObject({ name: 'Tornado Cash: 10 ETH', category: 'mixer' });
    expect(mixer.path.map((step: { address: string }) => step.address.toLowerCase())).toEqual([
      SEED,
      HOP1,
      HOP2,
    ]);

    const graph = await api(endpoints.api, 'GET', `/cases/${opened.id}/graph?chain=local`);
    const nodes = new Map(
      graph.nodes.map((node: { address: string; hop: number | null }) => [node.address.toLowerCase(), node]),
    );
    expect(nodes.get(SEED)).toMatchObject({ hop: 0, seed: true });
    expect(nodes.get(DEPOSIT)).toMatchObject({ label: { category: 'exchange', name: 'Binance' } });
    expect(nodes.get(TORNADO_10_ETH)).toMatchObject({ hop: null, label: { category: 'mixer' } });
    const dot = await api(
      endpoints.api,
      'GET',
      `/cases/${opened.id}/graph?chain=local`,
      undefined,
      'text/vnd.graphviz',
    );
    expect(dot).toMatch(/^digraph /);
    expect(dot.toLowerCase()).toContain(`"${HOP2}" -> "${TORNADO_10_ETH}"`);

    // The same alerts reached the script's own queue, once each, with the filterable attributes.
    const received: { kind: string; txHash: string; id: string; attributes: Record<string, string> }[] = [];
    await until('the alerts on the script queue', async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      for (const message of Messages ?? []) {
        const alert = JSON.parse(message.Body as string);
        const body = 'schemaVersion' in alert ? alert : JSON.parse(alert.sqs ?? alert.default);
        const attributes = Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            value.StringValue as string,
          ]),
        );
        received.push({ kind: body.kind, txHash: body.txHash, id: body.id, attributes });
      }
      return received.length >= expected.length ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { Messages: late } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(late ?? []).toEqual([]);
    expect(received.map((alert) => [alert.kind, alert.txHash]).sort()).toEqual(expected);
    expect(new Set(received.map((alert) => alert.id)).size).toBe(expected.length);
    for (const alert of received) {
      expect(alert.attributes).toMatchObject({ kind: alert.kind, caseId: opened.id, chain: 'local' });
      expect(['critical', 'high', 'info']).toContain(alert.attributes.severity);
    }
    expect(received.find((alert) => alert.txHash === sweep)?.attributes.exchange).toBe('Binance');
    sqs.destroy();
    sns.destroy();
  }, 120_000);
});

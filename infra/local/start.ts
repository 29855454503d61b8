/**
 * `npm start`: the whole service on this machine, on loopback only. See `npm start -- --help`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AlertNotification } from '../../shared/alerts/index.ts';
import { chainRegistry } from '../../shared/labels/index.ts';
import { DemoAlertCheck, type DemoCase, runDemo } from './demo-run.ts';
import { formatAlert, formatIngestStep } from './format.ts';
import { type LocalStack, startLocalStack, type WatchedChain } from './local-stack.ts';

const USAGE = `Usage: npm start -- [options]

Runs laundering-alerts on this machine: an embedded DynamoDB, SNS/SQS and Ethereum node on 127.0.0.1,
the ingest, publish and API code in a loop, and a demo laundering scenario. Alerts are printed as they
arrive through SNS -> SQS.

Options:
  --once                 run the demo, wait for its alerts, print them and exit (non-zero if one is missing)
  --no-demo              do not run the demo scenario
  --fresh                start with an empty data directory
  --data-dir DIR         where DynamoDB keeps its data (default .local/data)
  --rpc [CHAIN=]URL      watch a chain through this JSON-RPC URL instead of the embedded node (repeatable;
                         without CHAIN= the chain is recognised by its chain id; 31337 is 'local')
  --rpc-port N           embedded Ethereum JSON-RPC port (default 8545; 0 for any free port, and below)
  --dynamodb-port N      embedded DynamoDB port (default 8000)
  --sns-port N           embedded SNS/SQS port (default 4566)
  --api-port N           HTTP API port (default 3000)
  --endpoints-file FILE  where to write the endpoints (default .local/endpoints.json)
  --confirmations N      blocks behind the head that count as final on the embedded chain (default 2)
  --timeout SECONDS      with --once: how long to wait for the demo's alerts (default 60)
  -h, --help             this text
`;

class UsageError extends Error {}

interface StartOptions {
  readonly once: boolean;
  readonly demo: boolean;
  readonly fresh: boolean;
  readonly dataDir: string;
  readonly endpointsFile: string;
  readonly rpc: readonly string[];
  readonly ports: { rpc: number; dynamodb: number; snsSqs: number; api: number };
  readonly confirmations: number;
  readonly timeoutSeconds: number;
}

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new UsageError(`${flag} takes a port number (0: any free port), not ${value}`);
  return parsed;
}

function count(value: string | undefined, fallback: number, flag: string, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max)
    throw new UsageError(`${flag} takes a whole number up to ${max}, not ${value}`);
  return parsed;
}

function parseOptions(argv: string[]): StartOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      once: { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'endpoints-file': { type: 'string' },
      rpc: { type: 'string', multiple: true },
      'rpc-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'sns-port': { type: 'string' },
      'api-port': { type: 'string' },
      confirmations: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const rpc = values.rpc ?? [];
  if (values.once && values['no-demo'])
    throw new UsageError('--once runs the demo: it cannot go with --no-demo');
  if (values.once && rpc.length > 0)
    throw new UsageError('--once runs the demo on the embedded node: it cannot go with --rpc');
  return {
    once: values.once,
    demo: !values['no-demo'] && rpc.length === 0,
    fresh: values.fresh,
    dataDir: values['data-dir'] ?? join('.local', 'data'),
    endpointsFile: values['endpoints-file'] ?? join('.local', 'endpoints.json'),
    rpc,
    ports: {
      rpc: port(values['rpc-port'], 8545, '--rpc-port'),
      dynamodb: port(values['dynamodb-port'], 8000, '--dynamodb-port'),
      snsSqs: port(values['sns-port'], 4566, '--sns-port'),
      api: port(values['api-port'], 3000, '--api-port'),
    },
    confirmations: count(values.confirmations, 2, '--confirmations', 1_000),
    timeoutSeconds: count(values.timeout, 60, '--timeout', 3_600) || 60,
  };
}

/** `--rpc ethereum=URL`, or `--rpc URL` recognised by the chain id it answers. */
async function resolveRpc(specs: readonly string[]): Promise<WatchedChain[]> {
  const watched: WatchedChain[] = [];
  for (const spec of specs) {
    const named = /^([a-z][a-z0-9-]*)=(.+)$/.exec(spec);
    const url = named ? (named[2] as string) : spec;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new UsageError(`--rpc ${spec}: not an http(s) URL`);
    }
    let chain = named?.[1];
    if (chain) {
      chainRegistry.require(chain);
    } else {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(10_000),
      }).catch((error: Error) => {
        throw new UsageError(`--rpc ${url}: no answer (${error.message})`);
      });
      const answer = (await response.json().catch(() => ({}))) as { result?: string };
      const chainId = Number.parseInt(answer.result ?? '', 16);
      chain = chainRegistry.byChainId(chainId)?.name;
      if (!chain) {
        throw new UsageError(
          `--rpc ${url}: chain id ${Number.isNaN(chainId) ? 'unknown' : chainId} is not configured; name it as CHAIN=URL (chains: ${chainRegistry.names().join(', ')})`,
        );
      }
    }
    watched.push({ chain, url });
  }
  return watched;
}

async function main(): Promise<number> {
  let options: StartOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = options;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let check: DemoAlertCheck | undefined;
  const early: AlertNotification[] = [];

  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      dataDir: settings.dataDir,
      fresh: settings.fresh,
      ports: settings.ports,
      rpc: await resolveRpc(settings.rpc),
      localConfirmations: settings.confirmations,
      pollIntervalMs: 200,
      endpointsFile: settings.endpointsFile,
      tableName: 'laundering-alerts',
      events: {
        onAlert: (notification) => {
          say(formatAlert(notification));
          if (check) check.record(notification.alert);
          else early.push(notification);
        },
        onIngestStep: (chain, step) => {
          const line = formatIngestStep(chain, step);
          if (line) say(line);
        },
        onProblem: (what, error) =>
          process.stderr.write(`! ${what}: ${(error as Error)?.message ?? String(error)}\n`),
      },
    });
  } catch (error) {
    process.stderr.write(`cannot start: ${(error as Error).message}\n`);
    if ((error as Error).name === 'PortUnavailableError') {
      process.stderr.write(
        'another program holds that port: stop it, or choose other ports (npm start -- --help)\n',
      );
    }
    return 1;
  }

  const { endpoints } = stack;
  say('laundering-alerts is running on this machine (loopback only):');
  for (const [chain, url] of Object.entries(endpoints.jsonRpc)) say(`  JSON-RPC (${chain})  ${url}`);
  say(`  DynamoDB            ${endpoints.dynamodb}   table ${endpoints.tableName}`);
  say(`  SNS/SQS             ${endpoints.snsSqs}   topic ${endpoints.topicArn}`);
  say(`  HTTP API            ${endpoints.api}   (OpenAPI at ${endpoints.api}/openapi.json)`);
  say(`  endpoints written to ${settings.endpointsFile}`);
  if (stack.closedStaleCases.length > 0) {
    say(
      `  the embedded chain is new: closed ${stack.closedStaleCases.length} case(s) that followed the previous one`,
    );
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  if (settings.demo) {
    let demo: DemoCase;
    try {
      say('\nDemo: opening a case through the API and replaying a laundering path on the embedded chain...');
      demo = await runDemo(stack, settings.confirmations);
    } catch (error) {
      process.stderr.write(`demo failed: ${(error as Error).message}\n`);
      await stop(1);
      return 1;
    }
    say(`  case ${demo.caseId}: seed ${demo.log.seed.address} (${demo.log.seed.incident})`);
    for (const step of demo.log.steps)
      say(`  block ${step.blockNumber}  ${step.txHash.slice(0, 12)}…  ${step.description}`);
    say(
      `  expecting ${demo.expected.length} alerts; the spoofed token, the zero-value poisoning and the dust must raise none\n`,
    );
    check = new DemoAlertCheck(demo);
    for (const notification of early.splice(0)) check.record(notification.alert);

    if (settings.once) {
      const deadline = Date.now() + settings.timeoutSeconds * 1000;
      while (!check.complete && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      // A moment more, so an alert that should not exist has the time to show up.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const verdict = check.verdict();
      for (const missing of verdict.missing)
        process.stderr.write(`missing alert: ${DemoAlertCheck.describeMissing(missing)}\n`);
      for (const alert of verdict.unexpected)
        process.stderr.write(`unexpected alert: ${alert.kind} ${alert.txHash} ${alert.position}\n`);
      for (const id of verdict.duplicated) process.stderr.write(`alert delivered more than once: ${id}\n`);
      const ok =
        verdict.missing.length === 0 && verdict.unexpected.length === 0 && verdict.duplicated.length === 0;
      say(
        ok
          ? `\nAll ${demo.expected.length} demo alerts arrived through SNS -> SQS, each once.`
          : '\nThe demo did not produce the expected alerts.',
      );
      await stop(ok ? 0 : 1);
      return ok ? 0 : 1;
    }
  }
  say('Watching. Ctrl-C to stop.');
  return new Promise<number>(() => undefined);
}

process.exitCode = await main();

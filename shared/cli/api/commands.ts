/**
 * `laundering-alerts cases|seeds|wallets|alerts|graph`: the HTTP API from a terminal. Each prints a
 * readable table, or the API's JSON with --json. Input is checked by the API itself, whose problems
 * come back as one line per failing field.
 */
import type { CliIo } from '../cli-io.ts';
import type { CliCommand } from '../command.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import type { ApiClient } from './api-client.ts';
import {
  type ApiContext,
  apiContext,
  COMMON_USAGE,
  integerFlag,
  parseCommandArgs,
  requirePositional,
} from './api-options.ts';
import { renderRecord, renderTable } from './table.ts';

type Json = Record<string, any>;

const PAGE_OPTIONS = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
} as const;

const PAGE_USAGE = `  --limit N      items per page (1-200, default 50)
  --cursor C     the page after the one that printed this cursor
  --all          every page`;

const segment = (value: string) => encodeURIComponent(value);

/** One page, or all of them with --all; tells on stderr how to get the next page. */
async function listPages(
  client: ApiClient,
  path: string,
  query: Record<string, string | number | undefined>,
  values: { limit?: string; cursor?: string; all?: boolean },
  io: CliIo,
): Promise<Json[]> {
  const items: Json[] = [];
  let cursor = values.cursor;
  const limit = integerFlag(values.limit, '--limit', 1, 200);
  for (;;) {
    const page = (await client.request('GET', path, { query: { ...query, limit, cursor } })).json as Json;
    items.push(...(page.items as Json[]));
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
    if (!values.all) {
      io.err(`more pages (--all for every page); the next: --cursor ${cursor}\n`);
      break;
    }
  }
  return items;
}

function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

function caseRecord(found: Json): string {
  const backfill = (found.backfill as Json[]).map(
    (entry) =>
      `${entry.chain} ${entry.state} ${entry.blocksDone}/${entry.blocksTotal} blocks (${entry.fromBlock}-${entry.toBlock})`,
  );
  return renderRecord([
    ['id', found.id],
    ['name', found.name],
    ['status', found.status],
    ['model', found.model],
    ['max hops', String(found.maxHops)],
    [
      'min amounts',
      (found.minAmounts as Json[]).map((m) => `${m.chain}:${m.asset}=${m.baseUnits}`).join(', ') || '-',
    ],
    [
      'followed tokens',
      (found.followedTokens as Json[]).map((t) => `${t.chain}:${t.symbol}(${t.address})`).join(', ') || '-',
    ],
    ['created', `${found.createdAt} by ${found.createdBy}`],
    ['updated', `${found.updatedAt} by ${found.updatedBy}`],
    ['backfill', backfill.join('; ') || '-'],
  ]);
}

/** --min-amount CHAIN:ASSET=BASEUNITS */
function minAmountOf(text: string): Json {
  const match = /^([^:=]+):([^=]+)=(.+)$/.exec(text);
  if (!match)
    throw new UsageError(
      `--min-amount ${JSON.stringify(text)}: expected CHAIN:ASSET=BASE_UNITS, e.g. ethereum:native=100000000000000000`,
    );
  return { chain: match[1], asset: match[2], baseUnits: match[3] };
}

/** --token CHAIN:ADDRESS:SYMBOL:DECIMALS:MIN_BASE_UNITS */
function tokenOf(text: string): Json {
  const parts = text.split(':');
  if (parts.length !== 5) {
    throw new UsageError(
      `--token ${JSON.stringify(text)}: expected CHAIN:ADDRESS:SYMBOL:DECIMALS:MIN_BASE_UNITS`,
    );
  }
  const [chain, address, symbol, decimals, minAmount] = parts as [string, string, string, string, string];
  return { chain, address, symbol, decimals: integerFlag(decimals, '--token decimals', 0, 36), minAmount };
}

const CASE_FIELDS = {
  name: { type: 'string' },
  model: { type: 'string' },
  'max-hops': { type: 'string' },
  'min-amount': { type: 'string', multiple: true },
  token: { type: 'string', multiple: true },
} as const;

function caseBody(values: {
  name?: string;
  model?: string;
  'max-hops'?: string;
  'min-amount'?: string[];
  token?: string[];
}): Json {
  return {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values['max-hops'] !== undefined
      ? { maxHops: integerFlag(values['max-hops'], '--max-hops', 1, 100) }
      : {}),
    ...(values['min-amount'] ? { minAmounts: values['min-amount'].map(minAmountOf) } : {}),
    ...(values.token ? { followedTokens: values.token.map(tokenOf) } : {}),
  };
}

const CASES_USAGE = `Usage: laundering-alerts cases list [--status open|closed] [--limit N] [--cursor C] [--all]
       laundering-alerts cases show CASE_ID
       laundering-alerts cases create --name NAME [--model haircut|poison] [--max-hops N]
                                      [--min-amount CHAIN:ASSET=BASE_UNITS]... [--token CHAIN:ADDRESS:SYMBOL:DECIMALS:MIN]...
       laundering-alerts cases update CASE_ID [--name NAME] [--model M] [--max-hops N] [--status open|closed]
                                      [--min-amount ...]... [--token ...]...   (lists replace the case's lists)
       laundering-alerts cases close CASE_ID
       laundering-alerts cases audit CASE_ID [--limit N] [--cursor C] [--all]

Cases of the agency: a theft, its settings, and the progress of history tracing (backfill).

${PAGE_USAGE}
${COMMON_USAGE}
`;

async function runCases(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...CASE_FIELDS,
    ...PAGE_OPTIONS,
    status: { type: 'string' },
  });
  const { client, json }: ApiContext = apiContext(values, io);
  const action = requirePositional(positionals, 0, 'an action (list, show, create, update, close, audit)');
  const show = (found: Json) => (json ? printJson(io, found) : io.out(caseRecord(found)));
  switch (action) {
    case 'list': {
      const items = await listPages(client, '/cases', { status: values.status }, values, io);
      if (json) printJson(io, items);
      else
        io.out(
          renderTable(items, [
            { header: 'ID', cell: (c) => c.id },
            { header: 'NAME', cell: (c) => c.name },
            { header: 'STATUS', cell: (c) => c.status },
            { header: 'MODEL', cell: (c) => c.model },
            { header: 'HOPS', cell: (c) => String(c.maxHops), right: true },
            { header: 'CREATED', cell: (c) => c.createdAt },
          ]),
        );
      return EXIT_OK;
    }
    case 'show':
      show(
        (await client.request('GET', `/cases/${segment(requirePositional(positionals, 1, 'CASE_ID'))}`))
          .json as Json,
      );
      return EXIT_OK;
    case 'create': {
      if (values.name === undefined) throw new UsageError('--name NAME is required');
      show((await client.request('POST', '/cases', { body: caseBody(values) })).json as Json);
      return EXIT_OK;
    }
    case 'update':
    case 'close': {
      const id = requirePositional(positionals, 1, 'CASE_ID');
      const body =
        action === 'close'
          ? { status: 'closed' }
          : { ...caseBody(values), ...(values.status ? { status: values.status } : {}) };
      if (Object.keys(body).length === 0)
        throw new UsageError('nothing to change: give --name, --model, --max-hops, --status...');
      show((await client.request('PATCH', `/cases/${segment(id)}`, { body })).json as Json);
      return EXIT_OK;
    }
    case 'audit': {
      const id = requirePositional(positionals, 1, 'CASE_ID');
      const items = await listPages(client, `/cases/${segment(id)}/audit`, {}, values, io);
      if (json) printJson(io, items);
      else
        io.out(
          renderTable(items, [
            { header: 'AT', cell: (e) => e.at },
            { header: 'BY', cell: (e) => e.by },
            { header: 'ACTION', cell: (e) => e.action },
            { header: 'DETAILS', cell: (e) => JSON.stringify(e.details) },
          ]),
        );
      return EXIT_OK;
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}`);
  }
}

const SEEDS_USAGE = `Usage: laundering-alerts seeds add CASE_ID CHAIN ADDRESS [--note TEXT] [--from-block N]
       laundering-alerts seeds list CASE_ID [--limit N] [--cursor C] [--all]
       laundering-alerts seeds remove CASE_ID CHAIN ADDRESS

Seed wallets: where the stolen funds were first received. With --from-block, the wallet's history
from that block is traced first (backfill; progress on \`cases show\`).

${PAGE_USAGE}
${COMMON_USAGE}
`;

async function runSeeds(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...PAGE_OPTIONS,
    note: { type: 'string' },
    'from-block': { type: 'string' },
  });
  const { client, json } = apiContext(values, io);
  const action = requirePositional(positionals, 0, 'an action (add, list, remove)');
  const id = requirePositional(positionals, 1, 'CASE_ID');
  const seedTable = (items: Json[]) =>
    renderTable(items, [
      { header: 'CHAIN', cell: (s) => s.chain },
      { header: 'ADDRESS', cell: (s) => s.address },
      { header: 'FROM BLOCK', cell: (s) => (s.fromBlock === null ? '-' : String(s.fromBlock)), right: true },
      { header: 'ADDED', cell: (s) => `${s.addedAt} by ${s.addedBy}` },
      { header: 'NOTE', cell: (s) => s.note ?? '' },
    ]);
  switch (action) {
    case 'add': {
      const chain = requirePositional(positionals, 2, 'CHAIN');
      const address = requirePositional(positionals, 3, 'ADDRESS');
      const fromBlock = integerFlag(values['from-block'], '--from-block', 0, Number.MAX_SAFE_INTEGER);
      const seed = (
        await client.request('POST', `/cases/${segment(id)}/seeds`, {
          body: {
            chain,
            address,
            ...(values.note ? { note: values.note } : {}),
            ...(fromBlock !== undefined ? { fromBlock } : {}),
          },
        })
      ).json as Json;
      if (json) printJson(io, seed);
      else io.out(seedTable([seed]));
      return EXIT_OK;
    }
    case 'list': {
      const items = await listPages(client, `/cases/${segment(id)}/seeds`, {}, values, io);
      if (json) printJson(io, items);
      else io.out(seedTable(items));
      return EXIT_OK;
    }
    case 'remove': {
      const chain = requirePositional(positionals, 2, 'CHAIN');
      const address = requirePositional(positionals, 3, 'ADDRESS');
      await client.request('DELETE', `/cases/${segment(id)}/seeds/${segment(chain)}/${segment(address)}`);
      if (json) printJson(io, { removed: { chain, address } });
      else io.out(`removed ${address} on ${chain} from case ${id}\n`);
      return EXIT_OK;
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}`);
  }
}

const WALLETS_USAGE = `Usage: laundering-alerts wallets CASE_ID [--chain NAME [--hop N]] [--limit N] [--cursor C] [--all]

Tainted wallets of a case: hop from the seed, tainted amounts received and still held, labels.

${PAGE_USAGE}
${COMMON_USAGE}
`;

async function runWallets(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...PAGE_OPTIONS,
    chain: { type: 'string' },
    hop: { type: 'string' },
  });
  const { client, json } = apiContext(values, io);
  const id = requirePositional(positionals, 0, 'CASE_ID');
  const items = await listPages(
    client,
    `/cases/${segment(id)}/wallets`,
    { chain: values.chain, hop: values.hop },
    values,
    io,
  );
  if (json) printJson(io, items);
  else
    io.out(
      renderTable(items, [
        { header: 'CHAIN', cell: (w) => w.chain },
        { header: 'HOP', cell: (w) => String(w.hop), right: true },
        { header: 'ADDRESS', cell: (w) => w.address + (w.seed ? ' (seed)' : '') },
        {
          header: 'TAINTED IN',
          cell: (w) => (w.holdings as Json[]).map((h) => `${h.taintedIn} ${h.symbol}`).join(', '),
        },
        {
          header: 'HELD',
          cell: (w) => (w.holdings as Json[]).map((h) => `${h.taintedHeld} ${h.symbol}`).join(', '),
        },
        {
          header: 'LABELS',
          cell: (w) => (w.labels as Json[]).map((l) => `${l.category}: ${l.name}`).join('; '),
        },
      ]),
    );
  return EXIT_OK;
}

const ALERTS_USAGE = `Usage: laundering-alerts alerts CASE_ID [--since ISO_TIME] [--kind KIND] [--severity critical|high|info]
                                  [--order newest|oldest] [--limit N] [--cursor C] [--all]

Alerts of a case: where tainted value reached an exchange, a mixer, a bridge or a sanctioned address.
KIND: EXCHANGE_DEPOSIT, MIXER_DEPOSIT, BRIDGE_DEPOSIT, SANCTIONED_COUNTERPARTY, FUNDS_MOVED.

${PAGE_USAGE}
${COMMON_USAGE}
`;

async function runAlerts(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...PAGE_OPTIONS,
    since: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string' },
    order: { type: 'string' },
  });
  const { client, json } = apiContext(values, io);
  const id = requirePositional(positionals, 0, 'CASE_ID');
  const query = { since: values.since, kind: values.kind, severity: values.severity, order: values.order };
  const items = await listPages(client, `/cases/${segment(id)}/alerts`, query, values, io);
  if (json) printJson(io, items);
  else
    io.out(
      renderTable(items, [
        { header: 'TIME', cell: (a) => a.timestamp ?? '-' },
        { header: 'SEVERITY', cell: (a) => a.severity },
        { header: 'KIND', cell: (a) => a.kind },
        { header: 'CHAIN', cell: (a) => a.chain },
        { header: 'TAINTED', cell: (a) => `${a.taintedAmount} ${a.asset.symbol}`, right: true },
        { header: 'TO', cell: (a) => `${a.to}${a.counterparty?.name ? ` (${a.counterparty.name})` : ''}` },
        { header: 'HOP', cell: (a) => String(a.hop), right: true },
        { header: 'TX', cell: (a) => a.explorerUrl },
      ]),
    );
  return EXIT_OK;
}

const GRAPH_USAGE = `Usage: laundering-alerts graph CASE_ID [--chain NAME] [--dot]

The flow of stolen value on one chain: every wallet it reached and every transfer that carried it.
Prints a summary, the graph's JSON with --json, or Graphviz DOT with --dot (render: | dot -Tsvg > flow.svg).

  --chain NAME   needed when the case has seeds on several chains
  --dot          Graphviz DOT
${COMMON_USAGE}
`;

async function runGraph(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    chain: { type: 'string' },
    dot: { type: 'boolean' },
  });
  const { client, json } = apiContext(values, io);
  const id = requirePositional(positionals, 0, 'CASE_ID');
  if (values.dot && json) throw new UsageError('--dot and --json exclude each other');
  const path = `/cases/${segment(id)}/graph`;
  const query = { chain: values.chain };
  if (values.dot) {
    io.out((await client.request('GET', path, { query, accept: 'text/vnd.graphviz' })).text);
    return EXIT_OK;
  }
  const graph = (await client.request('GET', path, { query })).json as Json;
  if (json) {
    printJson(io, graph);
    return EXIT_OK;
  }
  io.out(
    `case ${graph.caseId} (${graph.caseName}) on ${graph.chain}: ${graph.nodes.length} wallets, ${graph.edges.length} transfers${graph.truncated ? ' (truncated)' : ''}\n\n`,
  );
  io.out(
    renderTable(graph.edges as Json[], [
      { header: 'BLOCK', cell: (e) => String(e.blockNumber), right: true },
      { header: 'FROM', cell: (e) => e.from },
      { header: 'TO', cell: (e) => e.to },
      { header: 'TAINTED', cell: (e) => `${e.taintedAmount} ${e.asset}`, right: true },
      { header: 'TX', cell: (e) => e.txHash },
    ]),
  );
  return EXIT_OK;
}

function command(name: string, summary: string, usage: string, run: CliCommand['run']): CliCommand {
  return { name, summary, usage, run };
}

/** The API's subcommands, for the dispatcher's list (shared/cli/main.ts). */
export const apiCommands: readonly CliCommand[] = [
  command('cases', 'list, show, create, update or close cases (HTTP API)', CASES_USAGE, runCases),
  command('seeds', 'add, list or remove seed wallets of a case (HTTP API)', SEEDS_USAGE, runSeeds),
  command('wallets', 'tainted wallets of a case (HTTP API)', WALLETS_USAGE, runWallets),
  command('alerts', 'alerts of a case (HTTP API)', ALERTS_USAGE, runAlerts),
  command(
    'graph',
    'flow graph of a case, as a summary, JSON or Graphviz DOT (HTTP API)',
    GRAPH_USAGE,
    runGraph,
  ),
];

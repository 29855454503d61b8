import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Address } from '../../domain/address.ts';
import { DEFAULT_MAX_HOPS, type TaintModel } from '../../domain/case.ts';
import { DEFAULT_REORDER_WINDOW } from '../../etl/block-cursor.ts';
import { parseAddressInput } from '../address-argument.ts';
import { UsageError } from '../errors.ts';

export const BACKTEST_USAGE = `Usage: laundering-alerts backtest --data DIR (--seed ADDRESS)... | --seed-file FILE
         [--chain ethereum] [--model haircut|poison] [--max-hops N] [--token ADDRESS]...
         [--format table|jsonl] [--graph FILE.dot|FILE.json] [--reorder-window N]

Replays a theft from an Ethereum-ETL export: follows the value leaving the seed wallets hop by hop and
reports where it reached an exchange, a mixer or a bridge.

  --data DIR          directory with transactions.csv, token_transfers.csv and/or traces.csv
                      (Ethereum-ETL layout, blocks in order or nearly; any subset of the three)
  --seed ADDRESS      a wallet that received the stolen funds (repeatable; any case, EIP-55 checked)
  --seed-file FILE    one address per line, or a CSV with an address column (and optionally chain and
                      incident columns, like the project's thefts.csv); # starts a comment line
  --chain NAME        chain of the export (default ethereum): its labels, tokens and explorer
  --model NAME        haircut (default): a transfer carries the sender's tainted share;
                      poison: everything a tainted wallet sends is tainted
  --max-hops N        do not taint wallets further than N hops from a seed (default ${DEFAULT_MAX_HOPS})
  --token ADDRESS[:SYMBOL:DECIMALS]
                      also follow this token (repeatable); the chain's allow-list is always followed
  --format NAME       table (default): a readable report; jsonl: one alert JSON object per line
  --graph FILE        also write the flow graph, as Graphviz DOT (.dot) or JSON (.json)
  --reorder-window N  a file may list a block up to N blocks after higher ones (Ethereum-ETL writes
                      them as the node answers); its rows wait in memory until the file is N blocks
                      past it (default ${DEFAULT_REORDER_WINDOW}; 0: each file sorted by block)
  --help              this text

Exit status: 0 done, 2 bad input (the message names the file, line and problem), 1 internal error.

Example:
  npx laundering-alerts backtest --data ./export --seed 0x0d043128146654c7683fbf30ac98d7b2285ded00 \\
      --format jsonl > alerts.jsonl
`;

export interface ExtraTokenOption {
  readonly address: Address;
  readonly symbol?: string;
  readonly decimals?: number;
}

export interface BacktestOptions {
  readonly data: string;
  readonly seeds: readonly Address[];
  readonly seedFile?: string;
  readonly chain: string;
  readonly model: TaintModel;
  readonly maxHops: number;
  readonly tokens: readonly ExtraTokenOption[];
  readonly format: 'table' | 'jsonl';
  readonly graph?: { readonly file: string; readonly format: 'dot' | 'json' };
  readonly reorderWindow: number;
}

const MAX_HOPS_LIMIT = 64;

/** A million blocks is months of mainnet: a larger window is a mistake, not a need. */
const REORDER_WINDOW_LIMIT = 1_000_000;

/** Reads and checks the flags; everything wrong is a UsageError naming the flag. */
export function parseBacktestOptions(args: readonly string[]): BacktestOptions {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    values = parseFlags(args).values;
  } catch (error) {
    // node:util parseArgs errors are precise ("Unknown option '--sed'"); keep their text.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.data === undefined) throw new UsageError('--data DIR is required');
  const seeds = (values.seed ?? []).map((text) => {
    const parsed = parseAddressInput(text);
    if ('problem' in parsed) throw new UsageError(`--seed ${parsed.problem}`);
    return parsed.address;
  });
  if (seeds.length === 0 && values['seed-file'] === undefined) {
    throw new UsageError('give the seed wallets with --seed ADDRESS (repeatable) or --seed-file FILE');
  }
  const model = values.model ?? 'haircut';
  if (model !== 'haircut' && model !== 'poison') {
    throw new UsageError(`--model ${JSON.stringify(model)}: use haircut or poison`);
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl') {
    throw new UsageError(`--format ${JSON.stringify(format)}: use table or jsonl`);
  }
  const maxHopsText = values['max-hops'] ?? String(DEFAULT_MAX_HOPS);
  const maxHops = /^\d+$/.test(maxHopsText) ? Number(maxHopsText) : Number.NaN;
  if (!(maxHops >= 1 && maxHops <= MAX_HOPS_LIMIT)) {
    throw new UsageError(
      `--max-hops ${JSON.stringify(maxHopsText)}: use a whole number from 1 to ${MAX_HOPS_LIMIT}`,
    );
  }
  const windowText = values['reorder-window'] ?? String(DEFAULT_REORDER_WINDOW);
  const reorderWindow = /^\d{1,7}$/.test(windowText) ? Number(windowText) : Number.NaN;
  if (!(reorderWindow <= REORDER_WINDOW_LIMIT)) {
    throw new UsageError(
      `--reorder-window ${JSON.stringify(windowText)}: use a whole number of blocks from 0 to ${REORDER_WINDOW_LIMIT.toLocaleString('en-US')}`,
    );
  }
  let graph: BacktestOptions['graph'];
  if (values.graph !== undefined) {
    const extension = extname(values.graph).toLowerCase();
    if (extension !== '.dot' && extension !== '.json') {
      throw new UsageError(
        `--graph ${JSON.stringify(values.graph)}: the file name must end in .dot or .json`,
      );
    }
    graph = { file: values.graph, format: extension === '.dot' ? 'dot' : 'json' };
  }
  return {
    data: values.data,
    seeds,
    ...(values['seed-file'] !== undefined ? { seedFile: values['seed-file'] } : {}),
    chain: (values.chain ?? 'ethereum').trim().toLowerCase(),
    model,
    maxHops,
    tokens: (values.token ?? []).map(parseTokenOption),
    format,
    ...(graph ? { graph } : {}),
    reorderWindow,
  };
}

function parseFlags(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      data: { type: 'string' },
      seed: { type: 'string', multiple: true },
      'seed-file': { type: 'string' },
      chain: { type: 'string' },
      model: { type: 'string' },
      'max-hops': { type: 'string' },
      token: { type: 'string', multiple: true },
      format: { type: 'string' },
      graph: { type: 'string' },
      'reorder-window': { type: 'string' },
    },
  });
}

/** `0xADDRESS`, or `0xADDRESS:SYMBOL:DECIMALS` to read its amounts in token units. */
function parseTokenOption(text: string): ExtraTokenOption {
  const [addressText = '', symbol, decimalsText, ...extra] = text.split(':');
  const parsed = parseAddressInput(addressText);
  if ('problem' in parsed) throw new UsageError(`--token ${parsed.problem}`);
  if (symbol === undefined) return { address: parsed.address };
  const decimals =
    decimalsText !== undefined && /^\d{1,2}$/.test(decimalsText) ? Number(decimalsText) : Number.NaN;
  if (extra.length > 0 || symbol.trim() === '' || !(decimals <= 36)) {
    throw new UsageError(
      `--token ${JSON.stringify(text)}: use ADDRESS or ADDRESS:SYMBOL:DECIMALS (decimals 0 to 36)`,
    );
  }
  return { address: parsed.address, symbol: symbol.trim(), decimals };
}

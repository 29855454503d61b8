import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Address } from '../shared/domain/address.ts';
import { MAINNET, randomHex, randomSource, syntheticAddress } from './synthetic-chain.ts';

/** Written straight to the file: no need for the flat strings the in-memory workloads use. */
function hashText(namespace: string, index: number): string {
  return `0x${randomHex(namespace, index, 8)}`;
}

/**
 * A generated Ethereum-ETL export shaped like mainnet traffic: per block 120 transactions (45% with no
 * value, 40% carrying ERC-20 calldata), 80 token transfers (allow-listed stablecoins and WETH, and spam
 * tokens), and 160 traces (a root call per transaction plus calls, delegatecalls and staticcalls with
 * comma-separated trace addresses, which take the CSV reader's quoted path). Inside it a laundering
 * path runs: the seed pays a fresh wallet every 200 blocks, which forwards to Binance or Tornado Cash.
 */
export interface EtlDataset {
  readonly directory: string;
  readonly rows: number;
  readonly bytes: number;
  readonly blocks: number;
}

const FORMAT_VERSION = 3;
const TRANSACTIONS_PER_BLOCK = 120;
const TOKEN_TRANSFERS_PER_BLOCK = 80;
const SUB_TRACES_PER_BLOCK = 40;
const ROWS_PER_BLOCK =
  TRANSACTIONS_PER_BLOCK + TOKEN_TRANSFERS_PER_BLOCK + TRANSACTIONS_PER_BLOCK + SUB_TRACES_PER_BLOCK;
const FIRST_BLOCK = 18_000_000;
const ETHER = 10n ** 18n;

/** Generates the dataset in `root`, or reuses it when a complete one of the same shape is there. */
export async function etlDataset(
  root: string,
  minimumRows: number,
  log: (message: string) => void,
): Promise<EtlDataset> {
  const blocks = Math.ceil(minimumRows / ROWS_PER_BLOCK);
  const directory = join(root, `etl-v${FORMAT_VERSION}-${blocks}-blocks`);
  const marker = join(directory, 'complete.json');
  if (existsSync(marker)) {
    const dataset = JSON.parse(readFileSync(marker, 'utf8')) as EtlDataset;
    log(`reusing ${directory} (${dataset.rows.toLocaleString('en-US')} rows); delete it to regenerate`);
    return dataset;
  }
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  log(`generating ${blocks.toLocaleString('en-US')} blocks into ${directory}`);
  const started = performance.now();
  const rows = await writeExport(directory, blocks);
  const bytes = ['transactions.csv', 'token_transfers.csv', 'traces.csv']
    .map((name) => statSync(join(directory, name)).size)
    .reduce((a, b) => a + b, 0);
  const dataset: EtlDataset = { directory, rows, bytes, blocks };
  writeFileSync(marker, JSON.stringify(dataset));
  log(
    `generated ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e9).toFixed(2)} GB in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return dataset;
}

class CsvFile {
  readonly #stream;
  #buffer = '';

  constructor(path: string, header: string) {
    this.#stream = createWriteStream(path);
    this.#buffer = `${header}\n`;
  }

  async add(line: string): Promise<void> {
    this.#buffer += `${line}\n`;
    if (this.#buffer.length > 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#stream.write(this.#buffer)) await once(this.#stream, 'drain');
    this.#buffer = '';
  }

  async close(): Promise<void> {
    await this.flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
  }
}

async function writeExport(directory: string, blocks: number): Promise<number> {
  const random = randomSource(42);
  const pick = (max: number) => Math.floor(random() * max);
  const users: Address[] = Array.from({ length: 200_000 }, (_, i) => syntheticAddress('0c', i));
  const user = () => users[pick(users.length)] as Address;
  const tokens = [
    MAINNET.usdc,
    MAINNET.usdt,
    MAINNET.weth,
    MAINNET.dai,
    ...Array.from({ length: 30 }, (_, i) => syntheticAddress('5b', i)),
  ];
  const longInput = `0x${'3593564c'}${'0'.repeat(56)}${'ab'.repeat(280)}`;

  const transactions = new CsvFile(
    join(directory, 'transactions.csv'),
    'hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type',
  );
  const tokenTransfers = new CsvFile(
    join(directory, 'token_transfers.csv'),
    'token_address,from_address,to_address,value,transaction_hash,log_index,block_number',
  );
  const traces = new CsvFile(
    join(directory, 'traces.csv'),
    'block_number,transaction_hash,transaction_index,from_address,to_address,value,input,output,trace_type,call_type,reward_type,gas,gas_used,subtraces,trace_address,error,status,trace_id',
  );
  let rows = 0;
  let launderer: Address | null = null;
  for (let b = 0; b < blocks; b++) {
    const block = FIRST_BLOCK + b;
    const blockHash = hashText('b1', block);
    const time = 1_700_000_000 + b * 12;
    const hashes: string[] = [];
    let logIndex = 0;
    for (let index = 0; index < TRANSACTIONS_PER_BLOCK; index++) {
      const hash = hashText('7e', block * 1000 + index);
      hashes.push(hash);
      let from = user();
      let to = user();
      const roll = random();
      let value = roll < 0.45 ? 0n : BigInt(1 + pick(2_000_000)) * 10n ** 12n;
      // The laundering path, on the first transaction of some blocks.
      if (index === 0 && b % 200 === 0) {
        from = MAINNET.seed;
        launderer = syntheticAddress('9d', b);
        to = launderer;
        value = 12n * ETHER;
      } else if (index === 0 && b % 200 === 3 && launderer) {
        from = launderer;
        to = b % 1000 === 3 ? MAINNET.tornado100Eth : MAINNET.binanceHotWallet;
        value = b % 1000 === 3 ? 10n * ETHER : 11n * ETHER;
      }
      const input =
        roll < 0.45
          ? random() < 0.8
            ? `0xa9059cbb${'0'.repeat(24)}${to.slice(2)}${'0'.repeat(48)}0f4240`
            : longInput
          : '0x';
      await transactions.add(
        `${hash},${pick(5000)},${blockHash},${block},${index},${from},${to},${value},${21_000 + pick(200_000)},${20_000_000_000 + pick(1_000_000_000)},${input},${time},${30_000_000_000},${1_500_000_000},2`,
      );
      // Root trace: the transaction's own call (its value is counted from transactions.csv).
      await traces.add(
        `${block},${hash},${index},${from},${to},${value},${input.slice(0, 10)},0x,call,call,,${100_000},${50_000},0,,,1,call_${hash}_`,
      );
      rows += 2;
    }
    for (let t = 0; t < TOKEN_TRANSFERS_PER_BLOCK; t++) {
      const txIndex = pick(TRANSACTIONS_PER_BLOCK);
      const token = tokens[pick(tokens.length)] as Address;
      await tokenTransfers.add(
        `${token},${user()},${user()},${BigInt(1 + pick(10_000_000)) * 10_000n},${hashes[txIndex]},${logIndex++},${block}`,
      );
      rows++;
    }
    for (let t = 0; t < SUB_TRACES_PER_BLOCK; t++) {
      const txIndex = pick(TRANSACTIONS_PER_BLOCK);
      const kind = random();
      const callType = kind < 0.5 ? 'call' : kind < 0.8 ? 'staticcall' : 'delegatecall';
      const value = callType === 'call' && random() < 0.2 ? BigInt(1 + pick(1_000_000)) * 10n ** 12n : 0n;
      const traceAddress = random() < 0.5 ? `${pick(3)}` : `"${pick(3)},${pick(4)}"`;
      await traces.add(
        `${block},${hashes[txIndex]},${txIndex},${user()},${user()},${value},0x70a08231,0x,call,${callType},,${30_000},${2_000},0,${traceAddress},,1,call_${hashes[txIndex]}_${t}`,
      );
      rows++;
    }
  }
  await Promise.all([transactions.close(), tokenTransfers.close(), traces.close()]);
  return rows;
}

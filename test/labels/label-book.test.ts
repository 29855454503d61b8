import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalAddress } from '../../shared/domain/address.ts';
import { type Label, mostSpecificLabel, stopsPropagation } from '../../shared/domain/label.ts';
import { InvalidLabelError } from '../../shared/labels/errors.ts';
import { builtInLabels, LabelBook, loadBuiltInLabels } from '../../shared/labels/label-book.ts';

/** "Binance 1" in Dune's cex_evms list: an Ethereum row that Dune applies to every EVM chain. */
const BINANCE_1 = '0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be';
const TORNADO_100_ETH = '0xa160cdab225685da1d56aa342ad8841c3b53f291';
const TORN_TOKEN = '0x77777feddddffc19ff86db637967013e6c6a116c';
const COINEX_BSC = '0x85cf05f35b6d542ac1d777d3f8cfde57578696fc';
const PANCAKE_V2_ROUTER = '0x10ed43c718714eb63d5aa57b78b54704e256024e';
const NOBODY = '0x000000000000000000000000000000000000bee5';
const DEPOSIT = '0x00000000000000000000000000000000000d3905';

describe('the built-in label book', () => {
  const book = builtInLabels();

  it('is built once per process', () => {
    expect(builtInLabels()).toBe(book);
  });

  it('finds a Dune exchange address on every EVM chain, not only on Ethereum', () => {
    for (const chain of [
      'ethereum',
      'bsc',
      'base',
      'polygon',
      'arbitrum',
      'optimism',
      'avalanche',
      'local',
    ]) {
      const label = mostSpecificLabel(book.labelsOf(chain, BINANCE_1));
      expect(label, chain).toMatchObject({ category: 'exchange', name: 'Binance' });
      expect(label?.source).toContain('cex_evms_addresses.sql@9f61b0dd [Binance 1]');
    }
  });

  it('names a Tornado pool as a mixer although it is also sanctioned', () => {
    const labels = book.labelsOf('ethereum', TORNADO_100_ETH) ?? [];
    expect(labels.map((label) => label.category).sort()).toEqual(['mixer', 'sanctioned']);
    expect(mostSpecificLabel(labels)).toMatchObject({ category: 'mixer', name: 'Tornado Cash: 100 ETH' });
    expect(stopsPropagation(mostSpecificLabel(labels))).toBe(true);
  });

  it('keeps chain-specific labels on their chain', () => {
    expect(mostSpecificLabel(book.labelsOf('ethereum', TORNADO_100_ETH))?.category).toBe('mixer');
    expect(book.labelsOf('bsc', TORNADO_100_ETH)).toBeUndefined();
    // CoinEx's BSC hot wallet is in Dune's every-chain list too; the BSC-only name stays on BSC.
    const names = (chain: string) => (book.labelsOf(chain, COINEX_BSC) ?? []).map((label) => label.name);
    expect(names('bsc')).toEqual(['CoinEx Hot Wallet - BSC', 'CoinEx']);
    expect(names('ethereum')).toEqual(['CoinEx']);
  });

  it('gives the local replay chain the labels of Ethereum', () => {
    expect(book.labelsOf('local', TORNADO_100_ETH)).toEqual(book.labelsOf('ethereum', TORNADO_100_ETH));
  });

  it('does not call Tornado governance contracts mixers', () => {
    const labels = book.labelsOf('ethereum', TORN_TOKEN) ?? [];
    expect(labels.map((label) => label.category).sort()).toEqual(['other', 'sanctioned']);
    expect(labels.find((label) => label.category === 'other')?.name).toBe('Tornado Cash: TORN Token');
    expect(mostSpecificLabel(labels)?.category).toBe('sanctioned');
  });

  it('carries the corrected names of the two Tornado USDC pools', () => {
    const name = (address: string) =>
      book.labelsOf('ethereum', address)?.find((label) => label.category === 'mixer')?.name;
    expect(name('0xd96f2b1c14db8458374d9aca76e26c3d18364307')).toBe('Tornado Cash: 100 USDC');
    expect(name('0x4736dcf1b7a3d580672cce6e7c65cd5cc9cfba9d')).toBe('Tornado Cash: 1,000 USDC');
  });

  it('labels the major DEX routers per chain', () => {
    expect(mostSpecificLabel(book.labelsOf('bsc', PANCAKE_V2_ROUTER))).toMatchObject({
      category: 'dex',
      name: 'PancakeSwap V2: Router',
    });
    expect(book.labelsOf('ethereum', PANCAKE_V2_ROUTER)).toBeUndefined();
    expect(
      mostSpecificLabel(book.labelsOf('local', '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45'))?.name,
    ).toBe('Uniswap V3: SwapRouter02');
  });

  it('never makes a custodian of an allow-listed token contract (USDT is tagged "exchange" at Etherscan)', () => {
    const usdt = '0xdac17f958d2ee523a2206206994597c13d831ec7';
    const busd = '0x4fabb145d64652a948d72533023f6e7a623c7c53';
    for (const address of [usdt, busd]) {
      const labels = book.labelsOf('ethereum', address) ?? [];
      expect(labels.length).toBeGreaterThan(0);
      expect(labels.every((label) => label.category === 'other')).toBe(true);
      expect(stopsPropagation(mostSpecificLabel(labels))).toBe(false);
    }
  });

  it('answers undefined for an address nobody labelled', () => {
    expect(book.labelsOf('ethereum', NOBODY)).toBeUndefined();
    expect(book.labelsOf('bsc', NOBODY)).toBeUndefined();
    expect(mostSpecificLabel(book.labelsOf('ethereum', NOBODY))).toBeUndefined();
  });

  it('expects canonical lowercase addresses: callers canonicalize at the edge', () => {
    const checksummed = '0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE';
    expect(book.labelsOf('bsc', checksummed)).toBeUndefined();
    expect(book.labelsOf('bsc', canonicalAddress(checksummed))).toBeDefined();
  });

  it('holds the whole dataset: exchange rows once, DEX venues per chain', () => {
    // 6,072 rows from labels.csv plus one label per (chain, DEX venue).
    expect(book.size).toBeGreaterThan(6_072 + 100);
  });
});

describe('learning exchange deposit addresses', () => {
  let book: LabelBook;
  const deposit: Label = {
    category: 'exchange',
    name: 'Binance',
    source: 'swept to 0x3f5c…f0be in tx 0xabc…',
    depositOf: BINANCE_1,
  };

  beforeEach(() => {
    // A fresh book per test: the process-wide one is shared by everything in the process.
    book = loadBuiltInLabels();
  });

  it('stores a learned deposit address once', () => {
    expect(book.labelsOf('bsc', DEPOSIT)).toBeUndefined();
    expect(book.learn('bsc', DEPOSIT, deposit)).toBe(true);
    expect(book.labelsOf('bsc', DEPOSIT)).toEqual([deposit]);
    expect(book.learn('bsc', DEPOSIT, { ...deposit, source: 'another sweep' })).toBe(false);
    expect(book.labelsOf('bsc', DEPOSIT)).toHaveLength(1);
  });

  it('keeps a learned deposit address on its own chain', () => {
    book.learn('bsc', DEPOSIT, deposit);
    expect(book.labelsOf('ethereum', DEPOSIT)).toBeUndefined();
    book.learn('local', DEPOSIT, deposit);
    expect(book.labelsOf('local', DEPOSIT)).toEqual([deposit]);
    expect(book.labelsOf('ethereum', DEPOSIT)).toBeUndefined();
  });

  it('lets taint flow through a learned deposit address (it only alerts)', () => {
    book.learn('ethereum', DEPOSIT, deposit);
    const label = mostSpecificLabel(book.labelsOf('ethereum', DEPOSIT));
    expect(label?.depositOf).toBe(BINANCE_1);
    expect(stopsPropagation(label)).toBe(false);
  });

  it('learns nothing new about an address already known under that name', () => {
    expect(book.learn('base', BINANCE_1, deposit)).toBe(false);
    expect(book.labelsOf('base', BINANCE_1)).toHaveLength(1);
  });

  it('adds to what is already known when the learned label is new for the address', () => {
    expect(book.learn('ethereum', TORNADO_100_ETH, { ...deposit, name: 'Kraken' })).toBe(true);
    const labels = book.labelsOf('ethereum', TORNADO_100_ETH) ?? [];
    expect(labels).toHaveLength(3);
    expect(mostSpecificLabel(labels)?.category).toBe('mixer');
  });

  it('does not change a list handed out earlier', () => {
    const before = book.labelsOf('ethereum', TORNADO_100_ETH);
    book.learn('ethereum', TORNADO_100_ETH, { ...deposit, name: 'Kraken' });
    expect(before).toHaveLength(2);
  });

  it('does not touch the process-wide book', () => {
    book.learn('bsc', DEPOSIT, deposit);
    expect(builtInLabels().labelsOf('bsc', DEPOSIT)).toBeUndefined();
  });

  it('refuses malformed labels with the reason', () => {
    expect(() => book.learn('bsc', '0xABC', deposit)).toThrow(InvalidLabelError);
    expect(() => book.learn('bsc', DEPOSIT.toUpperCase().replace('0X', '0x'), deposit)).toThrow(/lowercase/);
    expect(() => book.learn('bsc', DEPOSIT, { ...deposit, name: '' })).toThrow(/name is empty/);
    expect(() => book.learn('bsc', DEPOSIT, { ...deposit, source: ' ' })).toThrow(/source is empty/);
    expect(() => book.learn('bsc', DEPOSIT, { ...deposit, category: 'casino' as never })).toThrow(
      /unknown category/,
    );
    expect(() => book.learn('bsc', DEPOSIT, { ...deposit, depositOf: 'binance' })).toThrow(/depositOf/);
  });
});

describe('an empty label book', () => {
  it('merges its layers for an address labelled on the chain and on every chain', () => {
    const book = new LabelBook({ labelSourceOf: (chain) => (chain === 'replay' ? 'main' : chain) });
    const hot: Label = { category: 'exchange', name: 'Example', source: 'list A' };
    const flagged: Label = { category: 'sanctioned', name: 'SDN', source: 'list B' };
    const pool: Label = { category: 'dex', name: 'Pool', source: 'list C' };
    book.addToEveryEvmChain(NOBODY, hot);
    book.addToChain('main', NOBODY, flagged);
    book.addToChain('replay', NOBODY, pool);
    expect(book.labelsOf('other', NOBODY)).toEqual([hot]);
    expect(book.labelsOf('main', NOBODY)).toEqual([flagged, hot]);
    expect(book.labelsOf('replay', NOBODY)).toEqual([pool, flagged, hot]);
    expect(book.size).toBe(3);
  });
});

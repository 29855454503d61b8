import type { Address } from '../../shared/domain/address.ts';
import type { Case } from '../../shared/domain/case.ts';
import type { ChainInfo, TokenDirectory, TokenInfo } from '../../shared/domain/chain.ts';
import type { Label, LabelDirectory } from '../../shared/domain/label.ts';
import { CaseTracer, type TracerDeps } from '../../shared/domain/tracer.ts';
import { NATIVE_ASSET, type Transfer } from '../../shared/domain/transfer.ts';

/** Readable fake addresses: addr('a1') -> 0x00...00a1. */
export function addr(tag: string): Address {
  return `0x${tag.padStart(40, '0')}`;
}

export const ETH = 10n ** 18n;
export const USDC_UNIT = 10n ** 6n;

export const WETH = addr('e7e7');
export const USDC = addr('00c0');
export const SPOOF_TOKEN = addr('5900f');

export const SEED = addr('5eed');
export const HOT_WALLET = addr('b1a');
export const MIXER_POOL = addr('70c');
export const BRIDGE = addr('b21d9e');
export const ROUTER = addr('d3c');
export const SANCTIONED = addr('5a7c');

export const testChain: ChainInfo = {
  name: 'ethereum',
  chainId: 1,
  nativeSymbol: 'ETH',
  nativeDecimals: 18,
  explorerUrl: 'https://etherscan.io',
  wrappedNative: WETH,
  nativeMinAmount: 10n ** 15n,
};

const tokens: Record<Address, TokenInfo> = {
  [USDC]: { address: USDC, symbol: 'USDC', decimals: 6, minAmount: USDC_UNIT },
  [WETH]: { address: WETH, symbol: 'WETH', decimals: 18, minAmount: 10n ** 15n },
};

export const testTokens: TokenDirectory = {
  tokenOf: (_chain, address) => tokens[address],
};

/** A label directory over a fixed table, with learning, as the labels package provides in production. */
export function testLabels(): LabelDirectory & { learnedCount(): number } {
  const table = new Map<Address, Label[]>([
    [HOT_WALLET, [{ category: 'exchange', name: 'Binance', source: 'test' }]],
    [
      MIXER_POOL,
      [
        { category: 'sanctioned', name: 'OFAC SDN: Tornado Cash', source: 'test' },
        { category: 'mixer', name: 'Tornado Cash: 10 ETH', source: 'test' },
      ],
    ],
    [BRIDGE, [{ category: 'bridge', name: 'Example Bridge', source: 'test' }]],
    [ROUTER, [{ category: 'dex', name: 'Uniswap V3: Router', source: 'test' }]],
    [SANCTIONED, [{ category: 'sanctioned', name: 'OFAC SDN: LAZARUS GROUP', source: 'test' }]],
  ]);
  let learned = 0;
  return {
    labelsOf: (_chain, address) => table.get(address),
    learn: (_chain, address, label) => {
      const existing = table.get(address) ?? [];
      if (existing.some((known) => known.category === label.category && known.name === label.name))
        return false;
      table.set(address, [...existing, label]);
      learned++;
      return true;
    },
    learnedCount: () => learned,
  };
}

export function testCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'case-1',
    name: 'Test heist',
    seeds: [{ chain: 'ethereum', address: SEED }],
    model: 'haircut',
    maxHops: 6,
    minAmounts: {},
    extraTokens: {},
    ...overrides,
  };
}

export function testTracer(overrides: Partial<Case> = {}, deps: Partial<TracerDeps> = {}): CaseTracer {
  return new CaseTracer(testCase(overrides), {
    chain: testChain,
    tokens: testTokens,
    labels: testLabels(),
    ...deps,
  });
}

let txCounter = 0;

/** A one-transfer transaction; `tx` groups several transfers into one transaction. */
export function transfer(
  from: Address,
  to: Address,
  amount: bigint,
  options: { asset?: Address; tx?: string; block?: number; position?: string } = {},
): Transfer {
  const asset = options.asset ?? NATIVE_ASSET;
  const txHash = options.tx ?? `0x${(++txCounter).toString(16).padStart(64, '0')}`;
  return {
    chain: 'ethereum',
    blockNumber: options.block ?? 100,
    blockTime: 1_700_000_000,
    txHash,
    txIndex: 0,
    position: options.position ?? (asset === NATIVE_ASSET ? 'tx' : 'log:0'),
    from,
    to,
    asset,
    amount,
    kind: asset === NATIVE_ASSET ? 'native' : 'erc20',
  };
}

export function tainted(tracer: CaseTracer, address: Address, asset: string = NATIVE_ASSET): bigint {
  return tracer.ledger.get(address)?.holdings.get(asset)?.tainted ?? 0n;
}

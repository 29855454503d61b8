import type { Address } from '../domain/address.ts';

/**
 * Routers, vaults and main pools of the major DEX venues, labelled 'dex'. They commingle everyone's
 * funds, so taint stops there (DESIGN invariant 5) and the swap rule carries it to what the wallet
 * receives back instead.
 *
 * Every address was checked in a first-party deployment list or, for a few smaller venues, in
 * several independent public codebases; `source` names which (repository:path@commit, or a URL).
 * The Uniswap pools are not in any list: their addresses follow from CREATE2 (factory, sorted
 * tokens, fee, init code hash), and test/labels/dex-venues.test.ts recomputes every one of them.
 * Details in shared/labels/data/PROVENANCE.md.
 */
export interface DexVenue {
  readonly chains: readonly string[];
  readonly address: Address;
  readonly name: string;
  readonly source: string;
}

/** A Uniswap pool whose address is derived, not listed; tokens are symbols of known-tokens.ts. */
export interface DerivedUniswapPool {
  readonly chain: 'ethereum';
  readonly version: 'v2' | 'v3';
  readonly tokenA: string;
  readonly tokenB: string;
  /** Fee tier in hundredths of a basis point (v3 only): 500 = 0.05%. */
  readonly fee?: number;
  readonly address: Address;
}

const UNI_DOCS = 'Uniswap/docs:content/protocols';
const UR = 'Uniswap/universal-router:deploy-addresses';
const SRC = {
  uniV2: `${UNI_DOCS}/v2/deployments.mdx@1e570955`,
  uniV3Ethereum: `${UNI_DOCS}/v3/deployments/v3-ethereum-deployments.mdx@0cd8e42a`,
  uniV3Arbitrum: `${UNI_DOCS}/v3/deployments/v3-arbitrum-deployments.mdx@5a6645e2`,
  uniV3Optimism: `${UNI_DOCS}/v3/deployments/v3-optimism-deployments.mdx@0cd8e42a`,
  uniV3Polygon: `${UNI_DOCS}/v3/deployments/v3-polygon-deployments.mdx@5a6645e2`,
  uniV3Base: `${UNI_DOCS}/v3/deployments/v3-base-deployments.mdx@5a6645e2`,
  uniV3Bnb: `${UNI_DOCS}/v3/deployments/v3-bnb-deployments.mdx@1e570955`,
  uniV3Avalanche: `${UNI_DOCS}/v3/deployments/v3-avalanche-deployments.mdx@1e570955`,
  uniV4: `${UNI_DOCS}/v4/deployments.mdx@09d4f55d`,
  urMainnetV1: `${UR}/mainnet.json@00634678`,
  urMainnet: `${UR}/mainnet.json@872987f6`,
  urOptimism: `${UR}/optimism.json@872987f6`,
  urArbitrum: `${UR}/arbitrum.json@f47901e7`,
  urPolygon: `${UR}/polygon.json@f47901e7`,
  urBsc: `${UR}/bsc.json@f47901e7`,
  urBase: `${UR}/base.json@6b6b12de`,
  urAvalanche: `${UR}/avalanche.json@6b6b12de`,
  uniPoolV3:
    'derived: CREATE2(UniswapV3Factory 0x1f98431c, keccak(token0, token1, fee), init code 0xe34f199b)',
  uniPoolV2: 'derived: CREATE2(UniswapV2Factory 0x5c69bee7, keccak(token0, token1), init code 0x96e8ac42)',
  sushi: 'sushi-labs/sushi:src/config/features/sushiswap-v2.ts@0f826f9c',
  oneInch:
    '1inch/1inch-sdk-go:helpers/consts/contracts/contracts.go@72fc8933 (same on all chains but zkSync)',
  zeroEx: '0xProject/protocol:packages/contract-addresses/addresses.json@0046bb26',
  curvePools: 'curvefi/curve-js:src/constants/pools/ethereum.ts@0f2f8936',
  curveRouter: 'curvefi/curve-router-ng:deployments/release-Router v1.1-29-06-2024.txt@2495f124',
  balancer:
    'balancer/balancer-v2-monorepo:pkg/deployments/tasks/20210418-vault/output/{mainnet,polygon,arbitrum,optimism,bsc}.json',
  pancakeV2: 'https://developer.pancakeswap.finance/contracts/v2/addresses',
  pancakeV3: 'pancakeswap/pancake-developer:docs/pages/contracts/v3/addresses.md@0db2f86e',
  pancakeUr: 'pancakeswap/pancake-developer:docs/pages/contracts/universal-router/addresses.md@0e8db333',
  consensus:
    'public code index: the same router address in several independent files (no first-party list indexed)',
} as const;

const ALL = ['ethereum', 'bsc', 'polygon', 'arbitrum', 'optimism', 'base', 'avalanche'] as const;

function venue(chains: readonly string[], address: Address, name: string, source: string): DexVenue {
  return { chains, address, name, source };
}

/**
 * The pools with the most WETH/USDC/USDT/WBTC/DAI liquidity on Ethereum (v3 fee tiers that carry
 * the volume, and the historical v2 pairs). Token order as traded, not as sorted on chain.
 */
export const DERIVED_UNISWAP_POOLS: readonly DerivedUniswapPool[] = [
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'USDC',
    tokenB: 'WETH',
    fee: 500,
    address: '0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'USDC',
    tokenB: 'WETH',
    fee: 3000,
    address: '0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'WETH',
    tokenB: 'USDT',
    fee: 500,
    address: '0x11b815efb8f581194ae79006d24e0d814b7697f6',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'WETH',
    tokenB: 'USDT',
    fee: 3000,
    address: '0x4e68ccd3e89f51c3074ca5072bbac773960dfa36',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'WBTC',
    tokenB: 'WETH',
    fee: 500,
    address: '0x4585fe77225b41b697c938b018e2ac67ac5a20c0',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'WBTC',
    tokenB: 'WETH',
    fee: 3000,
    address: '0xcbcdf9626bc03e24f779434178a73a0b4bad62ed',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'WBTC',
    tokenB: 'USDC',
    fee: 3000,
    address: '0x99ac8ca7087fa4a2a1fb6357269965a2014abc35',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'USDC',
    tokenB: 'USDT',
    fee: 100,
    address: '0x3416cf6c708da44db2624d63ea0aaef7113527c6',
  },
  {
    chain: 'ethereum',
    version: 'v3',
    tokenA: 'DAI',
    tokenB: 'USDC',
    fee: 100,
    address: '0x5777d92f208679db4b9778590fa3cab3ac9e2168',
  },
  {
    chain: 'ethereum',
    version: 'v2',
    tokenA: 'USDC',
    tokenB: 'WETH',
    address: '0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc',
  },
  {
    chain: 'ethereum',
    version: 'v2',
    tokenA: 'WETH',
    tokenB: 'USDT',
    address: '0x0d4a11d5eeaac28ec3f61d100daf4d40471f1852',
  },
  {
    chain: 'ethereum',
    version: 'v2',
    tokenA: 'DAI',
    tokenB: 'WETH',
    address: '0xa478c2975ab1ea89e8196811f51a7b7ade33eb11',
  },
  {
    chain: 'ethereum',
    version: 'v2',
    tokenA: 'WBTC',
    tokenB: 'WETH',
    address: '0xbb2b8038a1640196fbe3e38816f3e67cba72d940',
  },
];

function poolName(pool: DerivedUniswapPool): string {
  const pair = `${pool.tokenA}/${pool.tokenB}`;
  return pool.version === 'v3' ? `Uniswap V3: ${pair} ${(pool.fee ?? 0) / 10_000}%` : `Uniswap V2: ${pair}`;
}

export const DEX_VENUES: readonly DexVenue[] = [
  // Uniswap V2
  venue(['ethereum'], '0x7a250d5630b4cf539739df2c5dacb4c659f2488d', 'Uniswap V2: Router02', SRC.uniV2),
  venue(
    ['arbitrum', 'avalanche', 'bsc', 'base'],
    '0x4752ba5dbc23f44d87826276bf6fd6b1c372ad24',
    'Uniswap V2: Router02',
    SRC.uniV2,
  ),
  venue(['optimism'], '0x4a7b5da61326a6379179b40d00f57e5bbdc962c2', 'Uniswap V2: Router02', SRC.uniV2),
  venue(['polygon'], '0xedf6066a2b290c185783862c7f4776a2c8077ad1', 'Uniswap V2: Router02', SRC.uniV2),

  // Uniswap V3 routers
  venue(
    ['ethereum'],
    '0xe592427a0aece92de3edee1f18e0157c05861564',
    'Uniswap V3: SwapRouter',
    SRC.uniV3Ethereum,
  ),
  venue(
    ['arbitrum'],
    '0xe592427a0aece92de3edee1f18e0157c05861564',
    'Uniswap V3: SwapRouter',
    SRC.uniV3Arbitrum,
  ),
  venue(
    ['optimism'],
    '0xe592427a0aece92de3edee1f18e0157c05861564',
    'Uniswap V3: SwapRouter',
    SRC.uniV3Optimism,
  ),
  venue(
    ['polygon'],
    '0xe592427a0aece92de3edee1f18e0157c05861564',
    'Uniswap V3: SwapRouter',
    SRC.uniV3Polygon,
  ),
  venue(
    ['ethereum'],
    '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45',
    'Uniswap V3: SwapRouter02',
    SRC.uniV3Ethereum,
  ),
  venue(
    ['arbitrum'],
    '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45',
    'Uniswap V3: SwapRouter02',
    SRC.uniV3Arbitrum,
  ),
  venue(
    ['optimism'],
    '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45',
    'Uniswap V3: SwapRouter02',
    SRC.uniV3Optimism,
  ),
  venue(
    ['polygon'],
    '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45',
    'Uniswap V3: SwapRouter02',
    SRC.uniV3Polygon,
  ),
  venue(['base'], '0x2626664c2603336e57b271c5c0b26f421741e481', 'Uniswap V3: SwapRouter02', SRC.uniV3Base),
  venue(['bsc'], '0xb971ef87ede563556b2ed4b1c0b0019111dd85d2', 'Uniswap V3: SwapRouter02', SRC.uniV3Bnb),
  venue(
    ['avalanche'],
    '0xbb00ff08d01d300023c629e8ffffcb65a5a578ce',
    'Uniswap V3: SwapRouter02',
    SRC.uniV3Avalanche,
  ),

  // Uniswap Universal Routers: the current one (v4-capable) and earlier versions still in use.
  venue(['ethereum'], '0x66a9893cc07d91d95644aedd05d03f95e1dba8af', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['optimism'], '0x851116d9223fabed8e56c0e6b8ad0c31d98b3507', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['base'], '0x6ff5693b99212da76ad316178a184ab56d299b43', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['arbitrum'], '0xa51afafe0263b40edaef0df8781ea9aa03e381a3', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['polygon'], '0x1095692a6237d83c6a72f3f5efedb9a670c49223', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['avalanche'], '0x94b75331ae8d42c1b61065089b7d48fe14aa73b7', 'Uniswap: Universal Router', SRC.uniV4),
  venue(['bsc'], '0x1906c1d672b88cd1b9ac7593301ca990f94eae07', 'Uniswap: Universal Router', SRC.uniV4),
  venue(
    ['ethereum'],
    '0x4c82d1fbfe28c977cbb58d8c7ff8fcf9f70a2cca',
    'Uniswap: Universal Router 2.1.1',
    SRC.uniV4,
  ),
  venue(
    ['optimism', 'arbitrum', 'polygon', 'avalanche', 'bsc'],
    '0x8b844f885672f333bc0042cb669255f93a4c1e6b',
    'Uniswap: Universal Router 2.1.1',
    SRC.uniV4,
  ),
  venue(['base'], '0xfdf682f51fe81aa4898f0ae2163d8a55c127fbc7', 'Uniswap: Universal Router 2.1.1', SRC.uniV4),
  venue(
    ['ethereum'],
    '0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b',
    'Uniswap: Universal Router v1',
    SRC.urMainnet,
  ),
  venue(
    ['ethereum'],
    '0x4c60051384bd2d3c01bfc845cf5f4b44bcbe9de5',
    'Uniswap: Universal Router v1.1',
    SRC.urMainnetV1,
  ),
  venue(
    ['ethereum'],
    '0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad',
    'Uniswap: Universal Router v1.2',
    SRC.urMainnet,
  ),
  venue(['base'], '0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad', 'Uniswap: Universal Router v1.2', SRC.urBase),
  venue(
    ['base'],
    '0xec8b0f7ffe3ae75d7ffab09429e3675bb63503e4',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urBase,
  ),
  venue(
    ['optimism'],
    '0xb555edf5dcf85f42ceef1f3630a52a108e55a654',
    'Uniswap: Universal Router v1',
    SRC.urOptimism,
  ),
  venue(
    ['optimism'],
    '0xec8b0f7ffe3ae75d7ffab09429e3675bb63503e4',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urOptimism,
  ),
  venue(
    ['optimism'],
    '0xcb1355ff08ab38bbce60111f1bb2b784be25d7e8',
    'Uniswap: Universal Router v1.2',
    SRC.urOptimism,
  ),
  venue(
    ['arbitrum'],
    '0x4c60051384bd2d3c01bfc845cf5f4b44bcbe9de5',
    'Uniswap: Universal Router v1',
    SRC.urArbitrum,
  ),
  venue(
    ['arbitrum'],
    '0xec8b0f7ffe3ae75d7ffab09429e3675bb63503e4',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urArbitrum,
  ),
  venue(
    ['arbitrum'],
    '0x5e325eda8064b456f4781070c0738d849c824258',
    'Uniswap: Universal Router v1.2',
    SRC.urArbitrum,
  ),
  venue(
    ['polygon'],
    '0x4c60051384bd2d3c01bfc845cf5f4b44bcbe9de5',
    'Uniswap: Universal Router v1',
    SRC.urPolygon,
  ),
  venue(
    ['polygon'],
    '0x643770e279d5d0733f21d6dc03a8efbabf3255b4',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urPolygon,
  ),
  venue(
    ['polygon'],
    '0xec7be89e9d109e7e3fec59c222cf297125fefda2',
    'Uniswap: Universal Router v1.2',
    SRC.urPolygon,
  ),
  venue(['bsc'], '0x5dc88340e1c5c6366864ee415d6034cadd1a9897', 'Uniswap: Universal Router v1', SRC.urBsc),
  venue(
    ['bsc'],
    '0xec8b0f7ffe3ae75d7ffab09429e3675bb63503e4',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urBsc,
  ),
  venue(['bsc'], '0x4dae2f939acf50408e13d58534ff8c2776d45265', 'Uniswap: Universal Router v1.2', SRC.urBsc),
  venue(
    ['avalanche'],
    '0x82635af6146972cd6601161c4472ffe97237d292',
    'Uniswap: Universal Router v1.2 (no V2)',
    SRC.urAvalanche,
  ),
  venue(
    ['avalanche'],
    '0x4dae2f939acf50408e13d58534ff8c2776d45265',
    'Uniswap: Universal Router v1.2',
    SRC.urAvalanche,
  ),

  // Uniswap V4 keeps every pool's tokens in one singleton.
  venue(['ethereum'], '0x000000000004444c5dc75cb358380d2e3de08a90', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['optimism'], '0x9a13f98cb987694c9f086b1f5eb990eea8264ec3', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['base'], '0x498581ff718922c3f8e6a244956af099b2652b2b', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['arbitrum'], '0x360e68faccca8ca495c1b759fd9eee466db9fb32', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['polygon'], '0x67366782805870060151383f4bbff9dab53e5cd6', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['avalanche'], '0x06380c0e0912312b5150364b9dc4542ba0dbbc85', 'Uniswap V4: PoolManager', SRC.uniV4),
  venue(['bsc'], '0x28e2ea090877bf75740558f6bfb36a5ffee9e9df', 'Uniswap V4: PoolManager', SRC.uniV4),

  // SushiSwap (V2 router)
  venue(['ethereum'], '0xd9e1ce17f2641f24ae83637ab66a2cca9c378b9f', 'SushiSwap: Router', SRC.sushi),
  venue(
    ['polygon', 'bsc', 'arbitrum', 'avalanche'],
    '0x1b02da8cb0d097eb8d57a175b88c7d8b47997506',
    'SushiSwap: Router',
    SRC.sushi,
  ),
  venue(['base'], '0x6bded42c6da8fbf0d2ba55b2fa120c5e0c8d7891', 'SushiSwap: Router', SRC.sushi),
  venue(['optimism'], '0x2abf469074dc0b54d793850807e6eb5faf2625b1', 'SushiSwap: Router', SRC.sushi),

  // Aggregators
  venue(ALL, '0x1111111254eeb25477b68fb85ed929f73a960582', '1inch: Aggregation Router v5', SRC.oneInch),
  venue(ALL, '0x111111125421ca6dc452d289314280a0f8842a65', '1inch: Aggregation Router v6', SRC.oneInch),
  venue(
    ['ethereum', 'bsc', 'polygon', 'avalanche'],
    '0xdef1c0ded9bec7f1a1670819833240f027b25eff',
    '0x: Exchange Proxy',
    SRC.zeroEx,
  ),
  venue(['optimism'], '0xdef1abe32c034e558cdd535791643c58a13acc10', '0x: Exchange Proxy', SRC.zeroEx),

  // Curve
  venue(
    ['ethereum'],
    '0xbebc44782c7db0a1a60cb6fe97d0b483032ff1c7',
    'Curve: 3pool (DAI/USDC/USDT)',
    SRC.curvePools,
  ),
  venue(
    ['ethereum'],
    '0xdc24316b9ae028f1497c275eb9192a3ea0f67022',
    'Curve: stETH pool (ETH/stETH)',
    SRC.curvePools,
  ),
  venue(
    ['ethereum'],
    '0xd51a44d3fae010294c616388b506acda1bfaae46',
    'Curve: tricrypto2 (USDT/WBTC/WETH)',
    SRC.curvePools,
  ),
  venue(['ethereum'], '0xd632f22692fac7611d2aa1c0d552930d43caed3b', 'Curve: FRAX/3CRV pool', SRC.curvePools),
  venue(['ethereum'], '0xed279fdd11ca84beef15af5d39bb4d4bee23f0ca', 'Curve: LUSD/3CRV pool', SRC.curvePools),
  venue(
    ['ethereum'],
    '0x1005f7406f32a61bd760cfa14accd2737913d546',
    'Curve: 2pool (USDC/USDT)',
    SRC.curvePools,
  ),
  venue(['ethereum'], '0x16c6521dff6bab339122a0fe25a9116693265353', 'Curve: Router NG v1.1', SRC.curveRouter),
  venue(
    ['optimism', 'polygon', 'avalanche'],
    '0x0dcded3545d565ba3b19e683431381007245d983',
    'Curve: Router NG v1.1',
    SRC.curveRouter,
  ),
  venue(['arbitrum'], '0x2191718cd32d02b8e60badffea33e4b5dd9a0a0d', 'Curve: Router NG v1.1', SRC.curveRouter),
  venue(['base'], '0x4f37a9d177470499a2dd084621020b023fcffc1f', 'Curve: Router NG v1.1', SRC.curveRouter),
  venue(['bsc'], '0xa72c85c258a81761433b4e8da60505fe3dd551cc', 'Curve: Router NG v1.1', SRC.curveRouter),

  // Balancer V2 holds the tokens of all its pools in one Vault.
  venue(
    ['ethereum', 'polygon', 'arbitrum', 'optimism', 'bsc'],
    '0xba12222222228d8ba445958a75a0704d566bf2c8',
    'Balancer V2: Vault',
    SRC.balancer,
  ),

  // PancakeSwap
  venue(['bsc'], '0x10ed43c718714eb63d5aa57b78b54704e256024e', 'PancakeSwap V2: Router', SRC.pancakeV2),
  venue(['ethereum'], '0xeff92a263d31888d860bd50809a8d171709b7b1c', 'PancakeSwap V2: Router', SRC.pancakeV2),
  venue(
    ['arbitrum', 'base'],
    '0x8cfe327cec66d1c090dd72bd0ff11d690c33a2eb',
    'PancakeSwap V2: Router',
    SRC.pancakeV2,
  ),
  venue(
    ['bsc', 'ethereum', 'arbitrum', 'base'],
    '0x1b81d678ffb9c0263b24a97847620c99d213eb14',
    'PancakeSwap V3: SwapRouter',
    SRC.pancakeV3,
  ),
  venue(
    ['bsc', 'ethereum'],
    '0x13f4ea83d0bd40e75c8222255bc855a974568dd4',
    'PancakeSwap: Smart Router',
    SRC.pancakeV3,
  ),
  venue(['base'], '0x678aa4bf4e210cf2166753e054d5b7c31cc7fa86', 'PancakeSwap: Smart Router', SRC.pancakeV3),
  venue(
    ['arbitrum'],
    '0x32226588378236fd0c7c4053999f88ac0e5cac77',
    'PancakeSwap: Smart Router',
    SRC.pancakeV3,
  ),
  venue(
    ['bsc'],
    '0x1a0a18ac4becddbd6389559687d1a73d8927e416',
    'PancakeSwap: Universal Router',
    SRC.pancakeUr,
  ),
  venue(
    ['ethereum'],
    '0x65b382653f7c31bc0af67f188122035461ec9c76',
    'PancakeSwap: Universal Router',
    SRC.pancakeUr,
  ),
  venue(
    ['arbitrum', 'base'],
    '0xfe6508f0015c778bdcc1fb5465ba5ebe224c9912',
    'PancakeSwap: Universal Router',
    SRC.pancakeUr,
  ),
  venue(
    ['bsc', 'base'],
    '0xd9c500dff816a1da21a48a732d3498bf09dc9aeb',
    'PancakeSwap Infinity: Universal Router',
    SRC.pancakeUr,
  ),

  // The leading native venue of each L2 / sidechain
  venue(['base'], '0xcf77a3ba9a5ca399b7c97c74d54e5b1beb874e43', 'Aerodrome: Router', SRC.consensus),
  venue(['optimism'], '0xa062ae8a9c5e11aaa026fc2670b0d65ccc8b2858', 'Velodrome V2: Router', SRC.consensus),
  venue(['avalanche'], '0x60ae616a2155ee3d9a68541ba4544862310933d4', 'Trader Joe: Router', SRC.consensus),
  venue(['polygon'], '0xa5e0829caced8ffdd4de3c43696c57f7d7a678ff', 'QuickSwap: Router', SRC.consensus),
  venue(['arbitrum'], '0xc873fecbd354f5a56e00e710b90ef4201db2448d', 'Camelot: Router', SRC.consensus),

  // Main Uniswap pools on Ethereum (derived, see above)
  ...DERIVED_UNISWAP_POOLS.map((pool) =>
    venue([pool.chain], pool.address, poolName(pool), pool.version === 'v3' ? SRC.uniPoolV3 : SRC.uniPoolV2),
  ),
];

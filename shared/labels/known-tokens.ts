import type { Address } from '../domain/address.ts';

/**
 * The major assets per chain that taint may flow through (DESIGN invariant 4: anyone can deploy a
 * token that emits `Transfer(from=hacker, to=x)`, so only tokens on this list, or vouched for by a
 * case, carry taint).
 *
 * Every address was checked against at least one first-party or widely used public list; `source`
 * names it (details and commits in shared/labels/data/PROVENANCE.md). Where two lists disagreed the
 * entry follows the issuer or the majority and PROVENANCE.md says so (Base wstETH/rETH).
 *
 * `dust` is in token units (a decimal string, converted with the token's decimals): about 1 US
 * dollar for dollar stablecoins, 0.001 ETH for ETH and its staking derivatives, 0.00005 BTC for BTC
 * wrappers, and the chain's native dust for its wrapped coin (see chains.ts for the reasoning).
 */
export interface KnownToken {
  readonly chain: string;
  readonly address: Address;
  readonly symbol: string;
  readonly decimals: number;
  readonly dust: string;
  readonly source: string;
}

const SRC = {
  uniswapDocs: 'Uniswap/docs:content/protocols/v3/deployments/*.mdx (wrapped native tables)',
  circle: 'https://developers.circle.com/stablecoins/usdc-contract-addresses',
  sushi: 'sushi-labs/sushi:src/currency/token-addresses.ts@0269936b',
  sushiLsds: 'sushi-labs/sushi:src/config/token-maps/lsds.ts@0fc85cf6',
  curve: 'curvefi/curve-js:src/constants/pools/ethereum.ts@0f2f8936',
  aavePolygon: 'bgd-labs/aave-address-book:src/ts/AaveV3PolygonAssets.ts@01395f7e',
  aaveAvalanche: 'bgd-labs/aave-address-book:src/ts/AaveV3AvalancheAssets.ts@4aa1925f',
  bridgedUsdc: 'public code index: bridged USDC.e lists agreeing in several independent files',
  consensus: 'public code index: the same address in several independent files (no issuer page indexed)',
} as const;

const USD = '1';
const ETH = '0.001';
const BTC = '0.00005';

function token(
  chain: string,
  address: Address,
  symbol: string,
  decimals: number,
  dust: string,
  source: string,
): KnownToken {
  return { chain, address, symbol, decimals, dust, source };
}

export const KNOWN_TOKENS: readonly KnownToken[] = [
  // Ethereum
  token('ethereum', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', 'WETH', 18, ETH, SRC.uniswapDocs),
  token('ethereum', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 'USDC', 6, USD, SRC.circle),
  token('ethereum', '0xdac17f958d2ee523a2206206994597c13d831ec7', 'USDT', 6, USD, SRC.sushi),
  token('ethereum', '0x6b175474e89094c44da98b954eedeac495271d0f', 'DAI', 18, USD, SRC.sushi),
  token('ethereum', '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', 'WBTC', 8, BTC, SRC.sushi),
  token('ethereum', '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf', 'cbBTC', 8, BTC, SRC.consensus),
  token('ethereum', '0xae7ab96520de3a18e5e111b5eaab095312d7fe84', 'stETH', 18, ETH, SRC.sushiLsds),
  token('ethereum', '0x7f39c581f595b53c5cb19bd0b3f8da6c935e2ca0', 'wstETH', 18, ETH, SRC.sushiLsds),
  token('ethereum', '0xae78736cd615f374d3085123a210448e74fc6393', 'rETH', 18, ETH, SRC.sushiLsds),
  token('ethereum', '0xbe9895146f7af43049ca1c1ae358b0541ea49704', 'cbETH', 18, ETH, SRC.sushiLsds),
  token('ethereum', '0xcd5fe23c85820f7b72d0926fc9b05b43e359b7ee', 'weETH', 18, ETH, SRC.sushiLsds),
  // Mantle staked ETH: among the assets taken in the Bybit theft (2025-02), so part of real laundering paths.
  token('ethereum', '0xd5f7838f5c461feff7fe49ea5ebaf7728bb0adfa', 'mETH', 18, ETH, SRC.consensus),
  token('ethereum', '0x4fabb145d64652a948d72533023f6e7a623c7c53', 'BUSD', 18, USD, SRC.curve),
  token('ethereum', '0x0000000000085d4780b73119b644ae5ecd22b376', 'TUSD', 18, USD, SRC.curve),
  token('ethereum', '0x853d955acef822db058eb8505911ed77f175b99e', 'FRAX', 18, USD, SRC.sushi),
  token('ethereum', '0x5f98805a4e8be255a32880fdec7f6728c6568ba0', 'LUSD', 18, USD, SRC.sushi),
  token('ethereum', '0xc5f0f7b66764f6ec8c8dff7ba683102295e16409', 'FDUSD', 18, USD, SRC.consensus),
  token('ethereum', '0x6c3ea9036406852006290770bedfcaba0e23a0e8', 'PYUSD', 6, USD, SRC.consensus),
  token('ethereum', '0x4c9edd5852cd905f086c759e8383e09bff1e68b3', 'USDe', 18, USD, SRC.consensus),

  // BNB Smart Chain: most assets are Binance-pegged copies with 18 decimals, USDT and USDC included.
  token('bsc', '0xbb4cdb9cbd36b01bd1cbaebf2de08d9173bc095c', 'WBNB', 18, '0.005', SRC.uniswapDocs),
  token('bsc', '0x55d398326f99059ff775485246999027b3197955', 'USDT', 18, USD, SRC.sushi),
  token('bsc', '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d', 'USDC', 18, USD, SRC.sushi),
  token('bsc', '0xe9e7cea3dedca5984780bafc599bd69add087d56', 'BUSD', 18, USD, SRC.sushi),
  token('bsc', '0xc5f0f7b66764f6ec8c8dff7ba683102295e16409', 'FDUSD', 18, USD, SRC.consensus),
  token('bsc', '0x1af3f329e8be154074d8769d1ffa4ee058b1dbc3', 'DAI', 18, USD, SRC.sushi),
  token('bsc', '0x2170ed0880ac9a755fd29b2688956bd959f933f8', 'ETH', 18, ETH, SRC.sushi),
  token('bsc', '0x7130d2a12b9bcbfae4f2634d864a1ee1ce3ead9c', 'BTCB', 18, BTC, SRC.consensus),

  // Polygon PoS
  token('polygon', '0x0d500b1d8e8ef31e21c99d1db9a6444d3adf1270', 'WPOL', 18, '10', SRC.uniswapDocs),
  token('polygon', '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359', 'USDC', 6, USD, SRC.circle),
  token('polygon', '0x2791bca1f2de4661ed88a30c99a7a9449aa84174', 'USDC.e', 6, USD, SRC.aavePolygon),
  token('polygon', '0xc2132d05d31c914a87c6611c10748aeb04b58e8f', 'USDT', 6, USD, SRC.aavePolygon),
  token('polygon', '0x8f3cf7ad23cd3cadbd9735aff958023239c6a063', 'DAI', 18, USD, SRC.aavePolygon),
  token('polygon', '0x7ceb23fd6bc0add59e62ac25578270cff1b9f619', 'WETH', 18, ETH, SRC.aavePolygon),
  token('polygon', '0x1bfd67037b42cf73acf2047067bd4f2c47d9bfd6', 'WBTC', 8, BTC, SRC.aavePolygon),
  token('polygon', '0x03b54a6e9a984069379fae1a4fc4dbae93b3bccd', 'wstETH', 18, ETH, SRC.aavePolygon),
  token('polygon', '0x0266f4f08d82372cf0fcbccc0ff74309089c74d1', 'rETH', 18, ETH, SRC.sushiLsds),

  // Arbitrum One
  token('arbitrum', '0x82af49447d8a07e3bd95bd0d56f35241523fbab1', 'WETH', 18, ETH, SRC.uniswapDocs),
  token('arbitrum', '0xaf88d065e77c8cc2239327c5edb3a432268e5831', 'USDC', 6, USD, SRC.circle),
  token('arbitrum', '0xff970a61a04b1ca14834a43f5de4533ebddb5cc8', 'USDC.e', 6, USD, SRC.bridgedUsdc),
  token('arbitrum', '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9', 'USDT', 6, USD, SRC.sushi),
  token('arbitrum', '0xda10009cbd5d07dd0cecc66161fc93d7c9000da1', 'DAI', 18, USD, SRC.sushi),
  token('arbitrum', '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f', 'WBTC', 8, BTC, SRC.sushi),
  token('arbitrum', '0x5979d7b546e38e414f7e9822514be443a4800529', 'wstETH', 18, ETH, SRC.sushiLsds),
  token('arbitrum', '0xec70dcb4a1efa46b8f2d97c310c9c4790ba5ffa8', 'rETH', 18, ETH, SRC.sushiLsds),
  token('arbitrum', '0x1debd73e752beaf79865fd6446b0c970eae7732f', 'cbETH', 18, ETH, SRC.sushiLsds),

  // OP Mainnet
  token('optimism', '0x4200000000000000000000000000000000000006', 'WETH', 18, ETH, SRC.uniswapDocs),
  token('optimism', '0x0b2c639c533813f4aa9d7837caf62653d097ff85', 'USDC', 6, USD, SRC.circle),
  token('optimism', '0x7f5c764cbc14f9669b88837ca1490cca17c31607', 'USDC.e', 6, USD, SRC.bridgedUsdc),
  token('optimism', '0x94b008aa00579c1307b0ef2c499ad98a8ce58e58', 'USDT', 6, USD, SRC.sushi),
  token('optimism', '0xda10009cbd5d07dd0cecc66161fc93d7c9000da1', 'DAI', 18, USD, SRC.sushi),
  token('optimism', '0x68f180fcce6836688e9084f035309e29bf0a2095', 'WBTC', 8, BTC, SRC.sushi),
  token('optimism', '0x1f32b1c2345538c0c6f582fcb022739c4a194ebb', 'wstETH', 18, ETH, SRC.sushiLsds),
  token('optimism', '0x9bcef72be871e61ed4fbbc7630889bee758eb81d', 'rETH', 18, ETH, SRC.sushiLsds),
  token('optimism', '0xaddb6a0412de1ba0f936dcaeb8aaa24578dcf3b2', 'cbETH', 18, ETH, SRC.sushiLsds),

  // Base
  token('base', '0x4200000000000000000000000000000000000006', 'WETH', 18, ETH, SRC.uniswapDocs),
  token('base', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', 'USDC', 6, USD, SRC.circle),
  token('base', '0xd9aaec86b65d86f6a7b5b1b0c42ffa531710b6ca', 'USDbC', 6, USD, SRC.consensus),
  token('base', '0xfde4c96c8593536e31f229ea8f37b2ada2699bb2', 'USDT', 6, USD, SRC.consensus),
  token('base', '0x50c5725949a6f0c72e6c4a641f24049a917db0cb', 'DAI', 18, USD, SRC.sushi),
  token('base', '0x2ae3f1ec7f1f5012cfeab0185bfc7aa3cf0dec22', 'cbETH', 18, ETH, SRC.sushiLsds),
  // Sushi's lsds.ts swaps these two; Lido's and Rocket Pool's integrators (Moonwell, Morpho, Aave
  // lists) agree on wstETH = 0xc1cb..., rETH = 0xb6fe....
  token('base', '0xc1cba3fcea344f92d9239c08c0568f6f2f0ee452', 'wstETH', 18, ETH, SRC.consensus),
  token('base', '0xb6fe221fe9eef5aba221c348ba20a1bf5e73624c', 'rETH', 18, ETH, SRC.consensus),
  token('base', '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf', 'cbBTC', 8, BTC, SRC.consensus),

  // Avalanche C-Chain: ".e" tokens are the Avalanche Bridge copies of Ethereum assets.
  token('avalanche', '0xb31f66aa3c1e785363f0875a1b74e27b85fd66c7', 'WAVAX', 18, '0.1', SRC.uniswapDocs),
  token('avalanche', '0xb97ef9ef8734c71904d8002f8b6bc66dd9c48a6e', 'USDC', 6, USD, SRC.circle),
  token('avalanche', '0xa7d7079b0fead91f3e65f86e8915cb59c1a4c664', 'USDC.e', 6, USD, SRC.bridgedUsdc),
  token('avalanche', '0x9702230a8ea53601f5cd2dc00fdbc13d4df4a8c7', 'USDt', 6, USD, SRC.aaveAvalanche),
  token('avalanche', '0xc7198437980c041c805a1edcba50c1ce5db95118', 'USDT.e', 6, USD, SRC.consensus),
  token('avalanche', '0xd586e7f844cea2f87f50152665bcbc2c279d8d70', 'DAI.e', 18, USD, SRC.aaveAvalanche),
  token('avalanche', '0x49d5c2bdffac6ce2bfdb6640f4f80f226bc10bab', 'WETH.e', 18, ETH, SRC.aaveAvalanche),
  token('avalanche', '0x50b7545627a5162f82a992c33b87adc75187b218', 'WBTC.e', 8, BTC, SRC.aaveAvalanche),
  token('avalanche', '0x152b9d0fdc40c096757f570a51e494bd4b943e50', 'BTC.b', 8, BTC, SRC.aaveAvalanche),
  token('avalanche', '0x2b2c81e08f1af8835a78bb2a90ae924ace0ea4be', 'sAVAX', 18, '0.1', SRC.aaveAvalanche),
];

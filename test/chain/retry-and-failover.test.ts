import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../shared/chain/backoff.ts';
import { resolveChainReaderConfig } from '../../shared/chain/chain-reader-config.ts';
import { pickEndpoint, RpcEndpoint, redactRpcUrl } from '../../shared/chain/rpc-endpoint.ts';

describe('retry and failover rules', () => {
  it('full jitter draws uniformly below base * 2^retry, capped, and honours Retry-After up to the cap', () => {
    expect([0, 1, 2, 3, 4].map((retry) => fullJitterDelay(retry, 100, 1_000, () => 0.5))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect(fullJitterDelay(0, 100, 1_000, () => 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 1_000, () => 0, 5_000)).toBe(1_000);
  });

  it('fails over to the first healthy endpoint, else to the one back soonest', () => {
    const [a, b, c] = ['http://a', 'http://b', 'http://c'].map((url) => new RpcEndpoint(url)) as [
      RpcEndpoint,
      RpcEndpoint,
      RpcEndpoint,
    ];
    expect(pickEndpoint([a, b, c], 0)).toBe(a);
    a.putAside(0, 100);
    expect(pickEndpoint([a, b, c], 10)).toBe(b);
    b.putAside(0, 50);
    c.putAside(0, 80);
    expect(pickEndpoint([a, b, c], 10)).toBe(b);
    expect(pickEndpoint([a, b, c], 60)).toBe(b);
    expect(pickEndpoint([a, b, c], 100)).toBe(a);
  });

  it('never shows an API key in a URL', () => {
    expect(redactRpcUrl('https://eth-mainnet.g.alchemy.com/v2/abc123')).toBe(
      'https://eth-mainnet.g.alchemy.com/...',
    );
    expect(redactRpcUrl('https://rpc.example?key=abc')).toBe('https://rpc.example/...');
    expect(redactRpcUrl('https://user:pass@rpc.example/')).toBe('https://rpc.example/...');
    expect(redactRpcUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545');
  });

  it('fills in documented defaults and names the bad field', () => {
    const config = resolveChainReaderConfig({
      chain: 'ethereum',
      chainId: 1,
      rpcUrls: ['https://rpc.example'],
      tracing: 'block',
    });
    expect(config).toMatchObject({
      maxBlocksPerRange: 100,
      maxBatchSize: 50,
      maxAttempts: 6,
      traceWholeBlocks: false,
    });
    expect(() => resolveChainReaderConfig({ ...config, chainId: 0 })).toThrow(
      /configuration of ethereum is invalid: chainId/,
    );
    expect(() => resolveChainReaderConfig({ ...config, chain: 'Ethereum Mainnet' })).toThrow(
      /chain must be a lowercase name/,
    );
  });
});

import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedServer,
  type EthereumNode,
  startDynamoDbServer,
  startEthereumNode,
} from '../../infra/local/servers/index.ts';
import { ChainReader } from '../../shared/chain/index.ts';
import type { Address } from '../../shared/domain/address.ts';
import { ChainIngester, type IngestStep } from '../../shared/ingest/index.ts';
import { builtInTokens, chainRegistry, loadBuiltInLabels } from '../../shared/labels/index.ts';
import { createDynamoDbClient } from '../../shared/runtime/clients.ts';
import { createTable, DynamoDbStore, type Store } from '../../shared/store/index.ts';
import { fund, mineBlocks, sendAs } from '../helpers/impersonated-sender.ts';

const ETH = 10n ** 18n;
const SEED = '0x5eed0000000000000000000000000000000001a9';
const A = '0xa0000000000000000000000000000000000001a9';
const B = '0xb0000000000000000000000000000000000001a9';

/**
 * The real store, except that its index never shows a tainted wallet: the worst case of a GSI that
 * lags the writes (DynamoDB's indexes are eventually consistent; dynalite's are not, so it is forced).
 */
function withLaggingIndex(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'loadTaintedAddresses') {
        return async (_chain: string, caseIds: readonly string[]) =>
          new Map(caseIds.map((id) => [id, new Set<Address>()]));
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('ingester reloads over an index that lags its writes', () => {
  let dynamo: EmbeddedServer;
  let node: EthereumNode;

  beforeAll(async () => {
    [dynamo, node] = await Promise.all([startDynamoDbServer(), startEthereumNode()]);
  });
  afterAll(async () => {
    await Promise.all([dynamo?.close(), node?.close()]);
  });

  it('still follows a wallet it tainted in the previous range after the cases are reloaded', async () => {
    const client = createDynamoDbClient(dynamo.endpoint);
    await createTable(client, 'lag');
    const real = new DynamoDbStore({ client, tableName: 'lag' });
    const store = withLaggingIndex(real);
    const actor = { by: 'test', at: new Date().toISOString() };
    await real.createCase(
      'lag-case',
      { name: 'Lag', model: 'haircut', maxHops: 6, minAmounts: {}, extraTokens: {} },
      actor,
    );
    await real.addSeed('lag-case', { chain: 'local', address: SEED }, actor);

    const chain = chainRegistry.require('local');
    const ingester = new ChainIngester({
      chain,
      source: new ChainReader({
        chain: 'local',
        chainId: chain.chainId,
        rpcUrls: [node.url],
        tracing: 'transaction',
      }),
      store,
      labels: loadBuiltInLabels(),
      tokens: builtInTokens(),
      formatAddress: getAddress,
      finality: { confirmations: 0 },
      maxBlocksPerRange: 5,
      startBlock: 0,
    });
    const drain = async () => {
      const steps: IngestStep[] = [];
      for (;;) {
        const step = await ingester.step();
        steps.push(step);
        if (step.status !== 'processed') return steps;
      }
    };

    await fund(node.provider, SEED, 20n * ETH);
    await fund(node.provider, A, 1n * ETH);
    await sendAs(node.provider, { from: SEED, to: A, value: 10n * ETH });
    await drain();
    expect((await real.getWallet('lag-case', 'local', A))?.wallet.link.hop).toBe(1);

    // Something changes the chain's cases (another seed, a label): the ingester reloads them.
    await real.bumpTaintEpoch('local');
    const onward = await sendAs(node.provider, { from: A, to: B, value: 4n * ETH });
    await mineBlocks(node.provider, 1);
    await drain();

    const alerts = await real.listAlerts('lag-case');
    expect(alerts.items.map((stored) => [stored.alert.kind, stored.alert.txHash])).toContainEqual([
      'FUNDS_MOVED',
      onward.hash,
    ]);
    expect((await real.getWallet('lag-case', 'local', B))?.wallet.holdings.get('native')?.tainted).toBe(
      4n * ETH,
    );
  });
});

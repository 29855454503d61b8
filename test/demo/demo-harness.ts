import { type DemoScenarioLog, runDemoScenario } from '../../infra/local/demo/index.ts';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';

/** One embedded node with the demo replayed on it, shared by the tests of a file. */
export interface ReplayedDemo {
  readonly node: EthereumNode;
  readonly log: DemoScenarioLog;
}

export async function replayDemo(
  options: { confirmations?: number; extraBlocks?: number } = {},
): Promise<ReplayedDemo> {
  const node = await startEthereumNode();
  try {
    const log = await runDemoScenario(node.url, options);
    return { node, log };
  } catch (error) {
    await node.close();
    throw error;
  }
}

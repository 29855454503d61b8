/**
 * Why the demo scenario could not be replayed. Each names what to do: the caller (`npm start`, a test)
 * shows the message as it is.
 */

/** The node answered a JSON-RPC call with an error, or not at all. */
export class DemoRpcError extends Error {
  readonly method: string;
  readonly code: number | null;

  constructor(method: string, detail: string, code: number | null = null) {
    super(
      `the Ethereum node refused ${method}: ${detail}` +
        (method.startsWith('hardhat_') || method.startsWith('evm_')
          ? ' (the demo needs a development node with Hardhat-style methods: the embedded node, Hardhat or anvil)'
          : ''),
    );
    this.name = 'DemoRpcError';
    this.method = method;
    this.code = code;
  }
}

/** The node is not a local development chain: impersonating real addresses only makes sense there. */
export class DemoChainError extends Error {
  readonly chainId: number;

  constructor(chainId: number, expected: number) {
    super(
      `the demo replays real mainnet addresses by impersonation and runs only on the local development chain ` +
        `(chain id ${expected}); this node has chain id ${chainId}`,
    );
    this.name = 'DemoChainError';
    this.chainId = chainId;
  }
}

/**
 * The scenario already ran on this node (or the node holds state at its addresses): a replay would see
 * other nonces and balances and raise other alerts, so it refuses instead.
 */
export class DemoNodeNotFreshError extends Error {
  constructor(detail: string) {
    super(
      `the demo scenario runs once per fresh node, and this one is not fresh: ${detail}. Restart the node.`,
    );
    this.name = 'DemoNodeNotFreshError';
  }
}

/** A step's transaction failed, or the chain shows something other than what the step meant to do. */
export class DemoStepError extends Error {
  readonly step: string;
  readonly txHash: string | null;

  constructor(step: string, detail: string, txHash: string | null = null) {
    super(`demo step "${step}" ${detail}${txHash ? ` (tx ${txHash})` : ''}`);
    this.name = 'DemoStepError';
    this.step = step;
    this.txHash = txHash;
  }
}

/** A committed contract artifact is missing or damaged: rebuild with `npx tsx contracts/build.ts`. */
export class DemoArtifactError extends Error {
  constructor(contract: string, detail: string) {
    super(`demo contract artifact ${contract}: ${detail} (rebuild with: npx tsx contracts/build.ts)`);
    this.name = 'DemoArtifactError';
  }
}

/** The project's data lacks something the scenario is built on (its seed wallet, a label). */
export class DemoPremiseError extends Error {
  constructor(detail: string) {
    super(`the demo scenario cannot run: ${detail}`);
    this.name = 'DemoPremiseError';
  }
}

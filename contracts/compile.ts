import { readFileSync } from 'node:fs';
import solc from 'solc';

/**
 * Compiles the demo's contracts with the npm `solc` package (solcjs, the compiler as WebAssembly):
 * offline, same bytes on every machine for the same compiler version and settings. The local stack
 * never compiles at run time: it loads the artifacts `contracts/build.ts` commits under
 * infra/local/demo/artifacts/, and test/demo/artifacts.test.ts checks they match a fresh compile.
 */

/** Each source file holds one contract of the same name. */
export const DEMO_CONTRACTS = [
  'MainnetTokenStandIn',
  'WrappedEtherStandIn',
  'SwapRouterStandIn',
  'EthForwarder',
  'SpoofedToken',
] as const;

export type DemoContractName = (typeof DEMO_CONTRACTS)[number];

/**
 * Cancun: every current EVM node runs it (Hardhat EDR, anvil, geth), and nothing here needs newer
 * opcodes. No metadata hash in the bytecode, so that editing a comment does not change the bytes.
 */
export const COMPILER_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

export interface ContractArtifact {
  readonly contractName: string;
  readonly sourceName: string;
  readonly compiler: string;
  readonly abi: readonly unknown[];
  /** Creation code: what a deployment transaction sends. */
  readonly bytecode: string;
  /** Runtime code: what `hardhat_setCode` installs at an address (no constructor runs). */
  readonly deployedBytecode: string;
}

interface SolcMessage {
  severity: 'error' | 'warning' | 'info';
  formattedMessage: string;
}

interface SolcOutput {
  errors?: SolcMessage[];
  contracts?: Record<
    string,
    Record<
      string,
      { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

export class ContractCompileError extends Error {
  constructor(messages: readonly string[]) {
    super(`the demo contracts do not compile:\n${messages.join('\n')}`);
    this.name = 'ContractCompileError';
  }
}

function sourceName(contract: DemoContractName): string {
  return `contracts/${contract}.sol`;
}

/** Compiles every demo contract; warnings fail the build too, so the sources stay clean. */
export function compileDemoContracts(): Record<DemoContractName, ContractArtifact> {
  const sources: Record<string, { content: string }> = {};
  for (const contract of DEMO_CONTRACTS) {
    sources[sourceName(contract)] = {
      content: readFileSync(new URL(`./${contract}.sol`, import.meta.url), 'utf8'),
    };
  }
  const input = { language: 'Solidity', sources, settings: COMPILER_SETTINGS };
  const findImport = (path: string) => {
    const known = sources[path];
    return known ? { contents: known.content } : { error: `import not found: ${path}` };
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
  const problems = (output.errors ?? []).filter((message) => message.severity !== 'info');
  if (problems.length > 0)
    throw new ContractCompileError(problems.map((message) => message.formattedMessage));

  const compiler = solc.version();
  const artifacts = {} as Record<DemoContractName, ContractArtifact>;
  for (const contract of DEMO_CONTRACTS) {
    const compiled = output.contracts?.[sourceName(contract)]?.[contract];
    if (!compiled) throw new ContractCompileError([`no output for ${contract} in ${sourceName(contract)}`]);
    artifacts[contract] = {
      contractName: contract,
      sourceName: sourceName(contract),
      compiler,
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
    };
  }
  return artifacts;
}

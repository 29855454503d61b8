import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

/** A compiled contract: what deployment (bytecode) or hardhat_setCode (deployedBytecode) needs. */
export interface CompiledContract {
  readonly name: string;
  readonly abi: readonly unknown[];
  /** Creation code, 0x-prefixed. */
  readonly bytecode: string;
  /** Runtime code, 0x-prefixed: what sits at the contract's address. */
  readonly deployedBytecode: string;
}

const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'contracts');

/** The test contracts shipped beside this helper (TestToken, SpoofToken, ValueRouter, PayThenRevert, SmartAccount). */
export const TEST_CONTRACTS_FILE = join(CONTRACTS_DIR, 'TestContracts.sol');

const cache = new Map<string, Map<string, CompiledContract>>();

/**
 * Compiles Solidity sources offline with solcjs (the npm `solc` package, no download), optimizer on,
 * EVM version cancun (what the embedded node runs and mainnet supports). Results are cached per source
 * set for the life of the process: solcjs takes a few seconds.
 * Throws with the compiler's messages on any error.
 */
export function compileSolidity(sources: Record<string, string>): Map<string, CompiledContract> {
  const key = JSON.stringify(sources);
  const cached = cache.get(key);
  if (cached) return cached;
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((entry) => entry.severity === 'error');
  if (errors.length > 0) {
    throw new Error(
      `Solidity compilation failed:\n${errors.map((entry) => entry.formattedMessage).join('\n')}`,
    );
  }
  const contracts = new Map<string, CompiledContract>();
  for (const file of Object.values(output.contracts ?? {})) {
    for (const [name, contract] of Object.entries(file)) {
      contracts.set(name, {
        name,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      });
    }
  }
  cache.set(key, contracts);
  return contracts;
}

/** The contracts of TestContracts.sol, by name. */
export function compileTestContracts(): Map<string, CompiledContract> {
  return compileSolidity({ 'TestContracts.sol': readFileSync(TEST_CONTRACTS_FILE, 'utf8') });
}

/** One test contract by name; throws naming the ones that exist. */
export function testContract(name: string): CompiledContract {
  const contracts = compileTestContracts();
  const contract = contracts.get(name);
  if (!contract)
    throw new Error(`no contract ${name} in TestContracts.sol (have: ${[...contracts.keys()].join(', ')})`);
  return contract;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

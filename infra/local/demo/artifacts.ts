import { readFileSync } from 'node:fs';
import { Interface } from 'ethers';
import { DemoArtifactError } from './errors.ts';

/**
 * The demo's compiled contracts, as committed by contracts/build.ts (sources in contracts/). Loaded,
 * never compiled, at run time.
 */
export type DemoContractName =
  | 'MainnetTokenStandIn'
  | 'WrappedEtherStandIn'
  | 'SwapRouterStandIn'
  | 'EthForwarder'
  | 'SpoofedToken';

export interface DemoContract {
  readonly name: DemoContractName;
  readonly abi: Interface;
  /** Creation code, for deployment transactions. */
  readonly bytecode: string;
  /** Runtime code, for `hardhat_setCode` at a real address. */
  readonly deployedBytecode: string;
}

const HEX_CODE = /^0x(?:[0-9a-f]{2})+$/;
const loaded = new Map<DemoContractName, DemoContract>();

export function demoContract(name: DemoContractName): DemoContract {
  const known = loaded.get(name);
  if (known) return known;
  let artifact: { contractName?: unknown; abi?: unknown; bytecode?: unknown; deployedBytecode?: unknown };
  try {
    artifact = JSON.parse(readFileSync(new URL(`./artifacts/${name}.json`, import.meta.url), 'utf8'));
  } catch (error) {
    throw new DemoArtifactError(name, `cannot be read: ${(error as Error).message}`);
  }
  if (artifact.contractName !== name) throw new DemoArtifactError(name, 'names another contract');
  if (!Array.isArray(artifact.abi)) throw new DemoArtifactError(name, 'has no ABI');
  for (const field of ['bytecode', 'deployedBytecode'] as const) {
    const code = artifact[field];
    if (typeof code !== 'string' || !HEX_CODE.test(code))
      throw new DemoArtifactError(name, `${field} is not code`);
  }
  const contract: DemoContract = {
    name,
    abi: new Interface(artifact.abi as string[]),
    bytecode: artifact.bytecode as string,
    deployedBytecode: artifact.deployedBytecode as string,
  };
  loaded.set(name, contract);
  return contract;
}

import { Interface, type InterfaceAbi } from 'ethers';
import type { Eip1193Provider } from '../../infra/local/servers/index.ts';
import type { CompiledContract } from './solidity-compiler.ts';

/** What a test sends: any `from` (impersonated), optional recipient, value in wei, call data, gas. */
export interface TransactionRequest {
  readonly from: string;
  /** Omitted: contract creation with `data` as creation code. */
  readonly to?: string;
  readonly value?: bigint;
  readonly data?: string;
  /** Needed for transactions expected to fail (gas estimation refuses them). */
  readonly gas?: bigint;
}

export interface MinedTransaction {
  readonly hash: string;
  readonly blockNumber: number;
  readonly succeeded: boolean;
  /** For contract creations. */
  readonly contractAddress: string | null;
}

const DEFAULT_FAILED_TX_GAS = 300_000n;

/**
 * Sends a transaction from any address on the embedded node (hardhat_impersonateAccount), so that
 * scenarios can use real mainnet addresses. With automining (the default) it returns once mined.
 * A transaction that reverts is still mined (status 0); Hardhat reports it as an error carrying the
 * hash, which this helper turns into `succeeded: false` instead of throwing. Funds are not added:
 * call `fund` first.
 */
export async function sendAs(
  provider: Eip1193Provider,
  request: TransactionRequest,
): Promise<MinedTransaction> {
  await provider.request({ method: 'hardhat_impersonateAccount', params: [request.from] });
  const tx: Record<string, string> = { from: request.from };
  if (request.to) tx.to = request.to;
  if (request.value !== undefined) tx.value = hex(request.value);
  if (request.data) tx.data = request.data;
  if (request.gas !== undefined) tx.gas = hex(request.gas);
  let hash: string;
  try {
    hash = (await provider.request({ method: 'eth_sendTransaction', params: [tx] })) as string;
  } catch (error) {
    const mined = (error as { transactionHash?: unknown }).transactionHash;
    if (typeof mined !== 'string') {
      // Gas estimation failed: the transaction was never sent. Send it again with a gas limit so it is
      // mined and fails on chain, which is what a test of failed transactions wants.
      if (request.gas !== undefined) throw error;
      return sendAs(provider, { ...request, gas: DEFAULT_FAILED_TX_GAS });
    }
    hash = mined;
  }
  const receipt = (await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] })) as {
    blockNumber: string;
    status: string;
    contractAddress: string | null;
  } | null;
  if (!receipt) throw new Error(`transaction ${hash} was not mined: is automining off?`);
  return {
    hash,
    blockNumber: Number(receipt.blockNumber),
    succeeded: receipt.status === '0x1',
    contractAddress: receipt.contractAddress,
  };
}

/**
 * Sends without waiting for mining, for filling blocks with several transactions while automining is
 * off (`evm_setAutomine` false, then `evm_mine`). Give `gas`: estimation against pending state is not
 * what a test wants. Returns the transaction hash.
 */
export async function submitAs(provider: Eip1193Provider, request: TransactionRequest): Promise<string> {
  await provider.request({ method: 'hardhat_impersonateAccount', params: [request.from] });
  const tx: Record<string, string> = { from: request.from, gas: hex(request.gas ?? DEFAULT_FAILED_TX_GAS) };
  if (request.to) tx.to = request.to;
  if (request.value !== undefined) tx.value = hex(request.value);
  if (request.data) tx.data = request.data;
  return (await provider.request({ method: 'eth_sendTransaction', params: [tx] })) as string;
}

/** Sets an address's balance in wei (hardhat_setBalance). */
export async function fund(provider: Eip1193Provider, address: string, wei: bigint): Promise<void> {
  await provider.request({ method: 'hardhat_setBalance', params: [address, hex(wei)] });
}

/** Deploys a compiled contract from `from`; throws if the creation fails. Returns the contract address. */
export async function deployContract(
  provider: Eip1193Provider,
  from: string,
  contract: CompiledContract,
  constructorArgs: readonly unknown[] = [],
): Promise<string> {
  const encodedArgs = new Interface(contract.abi as InterfaceAbi).encodeDeploy(constructorArgs as unknown[]);
  const mined = await sendAs(provider, { from, data: contract.bytecode + encodedArgs.slice(2) });
  if (!mined.succeeded || !mined.contractAddress)
    throw new Error(`deploying ${contract.name} failed (${mined.hash})`);
  return mined.contractAddress.toLowerCase();
}

/** ABI-encoded call data for `fn(args)` of a compiled contract. */
export function callData(contract: CompiledContract, fn: string, args: readonly unknown[] = []): string {
  return new Interface(contract.abi as InterfaceAbi).encodeFunctionData(fn, args as unknown[]);
}

/** Mines `count` empty blocks at once. */
/**
 * One `evm_mine` per block: `hardhat_mine` of more than a few blocks leaves zero parent hashes on the
 * blocks in between, which the chain reader rightly refuses as a chain that changed while read.
 */
export async function mineBlocks(provider: Eip1193Provider, count: number): Promise<void> {
  for (let mined = 0; mined < count; mined++) await provider.request({ method: 'evm_mine', params: [] });
}

export async function latestBlockNumber(provider: Eip1193Provider): Promise<number> {
  return Number((await provider.request({ method: 'eth_blockNumber' })) as string);
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

import { AbiCoder, keccak256, toBeHex, toQuantity, toUtf8Bytes, zeroPadValue } from 'ethers';
import type { Address } from '../../../shared/domain/address.ts';
import { demoContract } from './artifacts.ts';
import { DEMO_COUNTERPARTIES, DEMO_TOKENS, type DemoToken } from './cast.ts';
import type { DemoRpc } from './demo-rpc.ts';

/**
 * Puts stand-ins for mainnet contracts at their real addresses on the local chain, and gives wallets
 * their starting balances, without transactions: `hardhat_setCode` installs RUNTIME code (no constructor
 * runs) and `hardhat_setStorageAt` writes the state a constructor or earlier history would have left.
 *
 * Storage layout relied on (contracts/MainnetTokenStandIn.sol; WrappedEtherStandIn inherits it):
 *   slot 0 balanceOf mapping, slot 1 allowance mapping, slot 2 totalSupply,
 *   slot 3 name, slot 4 symbol (short strings), slot 5 decimals.
 * SwapRouterStandIn keeps no storage: its inventory is its balance in each token.
 */

const SLOT_BALANCE_OF = 0n;
const SLOT_TOTAL_SUPPLY = 2n;
const SLOT_NAME = 3n;
const SLOT_SYMBOL = 4n;
const SLOT_DECIMALS = 5n;

/** Storage slot of `mapping(address => ...)` at `slot` for key `owner` (Solidity layout rules). */
export function mappingSlot(owner: Address, slot: bigint): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [owner, slot]));
}

/** A string of at most 31 bytes as Solidity stores it: bytes left-aligned, length * 2 in the last byte. */
export function shortStringWord(text: string): string {
  const bytes = toUtf8Bytes(text);
  if (bytes.length > 31) throw new RangeError(`"${text}" is too long for a short string slot`);
  const word = new Uint8Array(32);
  word.set(bytes);
  word[31] = bytes.length * 2;
  return `0x${Buffer.from(word).toString('hex')}`;
}

function word(value: bigint): string {
  return zeroPadValue(toBeHex(value), 32);
}

async function setStorage(
  rpc: DemoRpc,
  contract: Address,
  slot: bigint | string,
  value: string,
): Promise<void> {
  // Slots are QUANTITY (no leading zeros) for Hardhat; values are 32-byte DATA.
  await rpc.call('hardhat_setStorageAt', [contract, toQuantity(slot), value]);
}

export async function setEthBalance(rpc: DemoRpc, wallet: Address, amount: bigint): Promise<void> {
  await rpc.call('hardhat_setBalance', [wallet, toQuantity(amount)]);
}

/** Token balances as they stand before the scenario, per holder, in base units. */
export type TokenHoldings = ReadonlyArray<readonly [holder: Address, amount: bigint]>;

async function installToken(
  rpc: DemoRpc,
  token: DemoToken,
  runtimeCode: string,
  holdings: TokenHoldings,
): Promise<void> {
  await rpc.call('hardhat_setCode', [token.address, runtimeCode]);
  await setStorage(rpc, token.address, SLOT_NAME, shortStringWord(token.name));
  await setStorage(rpc, token.address, SLOT_SYMBOL, shortStringWord(token.symbol));
  await setStorage(rpc, token.address, SLOT_DECIMALS, word(BigInt(token.decimals)));
  let supply = 0n;
  for (const [holder, amount] of holdings) {
    await setStorage(rpc, token.address, mappingSlot(holder, SLOT_BALANCE_OF), word(amount));
    supply += amount;
  }
  await setStorage(rpc, token.address, SLOT_TOTAL_SUPPLY, word(supply));
}

export interface StandInHoldings {
  readonly usdc: TokenHoldings;
  readonly usdt: TokenHoldings;
  readonly weth: TokenHoldings;
}

/**
 * USDC, USDT and WETH stand-ins at their mainnet addresses with the given holders, and the swap router
 * stand-in at the Uniswap V2 Router02 address. Wrapped ether is backed by as much real ETH in the WETH
 * contract, so that `withdraw` works as on mainnet.
 */
export async function installMainnetStandIns(rpc: DemoRpc, holdings: StandInHoldings): Promise<void> {
  const token = demoContract('MainnetTokenStandIn').deployedBytecode;
  await installToken(rpc, DEMO_TOKENS.usdc, token, holdings.usdc);
  await installToken(rpc, DEMO_TOKENS.usdt, token, holdings.usdt);
  await installToken(
    rpc,
    DEMO_TOKENS.weth,
    demoContract('WrappedEtherStandIn').deployedBytecode,
    holdings.weth,
  );
  const wrapped = holdings.weth.reduce((sum, [, amount]) => sum + amount, 0n);
  await setEthBalance(rpc, DEMO_TOKENS.weth.address, wrapped);
  await rpc.call('hardhat_setCode', [
    DEMO_COUNTERPARTIES.uniswapRouter.address,
    demoContract('SwapRouterStandIn').deployedBytecode,
  ]);
}

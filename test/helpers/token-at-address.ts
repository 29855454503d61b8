import { AbiCoder, keccak256, toUtf8Bytes } from 'ethers';
import type { Eip1193Provider } from '../../infra/local/servers/index.ts';
import { callData, type MinedTransaction, sendAs } from './impersonated-sender.ts';
import { testContract } from './solidity-compiler.ts';

/** Real token contracts of Ethereum mainnet, for scenarios that use real addresses. */
export const MAINNET_TOKENS = {
  USDC: { address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', symbol: 'USDC', decimals: 6 },
  USDT: { address: '0xdac17f958d2ee523a2206206994597c13d831ec7', symbol: 'USDT', decimals: 6 },
} as const;

export interface TokenSpec {
  /** Where to install the token, e.g. MAINNET_TOKENS.USDC.address. */
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
  /** Starting balances in base units (no Transfer logs are emitted for them). */
  readonly balances?: Readonly<Record<string, bigint>>;
}

export interface InstalledToken {
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
  /** An ERC-20 transfer sent by `from` (impersonated): one Transfer log. */
  transfer(from: string, to: string, amount: bigint): Promise<MinedTransaction>;
  /** Mints to `to`: a Transfer log from the zero address. `by` sends the transaction. */
  mint(by: string, to: string, amount: bigint): Promise<MinedTransaction>;
  balanceOf(holder: string): Promise<bigint>;
}

// Storage layout of TestToken (see TestContracts.sol).
const BALANCES_SLOT = 0n;
const TOTAL_SUPPLY_SLOT = 2n;
const DECIMALS_SLOT = 3n;
const SYMBOL_SLOT = 4n;

/**
 * Installs the minimal ERC-20 of TestContracts.sol at any address (a real token's mainnet address) with
 * hardhat_setCode, and writes its decimals, symbol and starting balances into storage with
 * hardhat_setStorageAt. Transfers then emit real Transfer logs from that address.
 */
export async function installTokenAt(provider: Eip1193Provider, spec: TokenSpec): Promise<InstalledToken> {
  const token = testContract('TestToken');
  const address = spec.address.toLowerCase();
  await provider.request({ method: 'hardhat_setCode', params: [address, token.deployedBytecode] });
  const setSlot = (slot: bigint, value: string) =>
    provider.request({ method: 'hardhat_setStorageAt', params: [address, `0x${slot.toString(16)}`, value] });
  await setSlot(DECIMALS_SLOT, word(BigInt(spec.decimals)));
  await setSlot(SYMBOL_SLOT, shortString(spec.symbol));
  let supply = 0n;
  for (const [holder, amount] of Object.entries(spec.balances ?? {})) {
    await setSlot(balanceSlot(holder), word(amount));
    supply += amount;
  }
  await setSlot(TOTAL_SUPPLY_SLOT, word(supply));

  return {
    address,
    symbol: spec.symbol,
    decimals: spec.decimals,
    transfer: (from, to, amount) =>
      sendAs(provider, { from, to: address, data: callData(token, 'transfer', [to, amount]) }),
    mint: (by, to, amount) =>
      sendAs(provider, { from: by, to: address, data: callData(token, 'mint', [to, amount]) }),
    balanceOf: async (holder) => {
      const raw = await provider.request({
        method: 'eth_call',
        params: [{ to: address, data: callData(token, 'balanceOf', [holder]) }, 'latest'],
      });
      return BigInt(raw as string);
    },
  };
}

/** Storage slot of balanceOf[holder]: keccak256(abi.encode(holder, slot)). */
function balanceSlot(holder: string): bigint {
  return BigInt(
    keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [holder, BALANCES_SLOT])),
  );
}

function word(value: bigint): string {
  return `0x${value.toString(16).padStart(64, '0')}`;
}

/** Solidity's storage of a string under 32 bytes: the bytes left-aligned, length * 2 in the last byte. */
function shortString(text: string): string {
  const bytes = toUtf8Bytes(text);
  if (bytes.length > 31) throw new Error(`symbol ${text} is longer than 31 bytes`);
  const hex = Buffer.from(bytes).toString('hex').padEnd(62, '0');
  return `0x${hex}${(bytes.length * 2).toString(16).padStart(2, '0')}`;
}

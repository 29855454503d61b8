import type { Address } from './address.ts';
import {
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertAsset,
  type AlertKind,
  alertId,
  SEVERITY_OF,
} from './alert.ts';
import { formatUnits, mulDiv } from './amount.ts';
import { type Case, minAmountKey } from './case.ts';
import type { ChainInfo, TokenDirectory, TokenInfo } from './chain.ts';
import {
  type Label,
  type LabelCategory,
  type LabelDirectory,
  mostSpecificLabel,
  stopsPropagation,
} from './label.ts';
import { type AssetTaint, linkToPath, seedWallet, type TaintedWallet, TaintLedger } from './taint-ledger.ts';
import { type AssetId, NATIVE_ASSET, type Transfer } from './transfer.ts';

export interface TracerDeps {
  readonly chain: ChainInfo;
  readonly tokens: TokenDirectory;
  readonly labels: LabelDirectory;
  /** EIP-55 checksumming for output; the core cannot hash (no keccak here), so adapters inject it. */
  readonly formatAddress?: (address: Address) => string;
}

/** A movement of tainted value, for the flow graph and the evidence trail. */
export interface FlowEdge {
  readonly chain: string;
  readonly txHash: string;
  readonly position: string;
  readonly blockNumber: number;
  readonly blockTime: number;
  readonly from: Address;
  readonly to: Address;
  readonly asset: AssetId;
  readonly amount: bigint;
  readonly taintedAmount: bigint;
  /** Hops from the seed to the recipient. */
  readonly hop: number;
  /** Set when the recipient ends the trail: a custodian or pool (exchange, mixer, bridge, dex). */
  readonly stop: LabelCategory | null;
  readonly counterparty: Label | null;
}

/** A wallet found to be an exchange's deposit address: it swept tainted value to the exchange. */
export interface LearnedDepositAddress {
  readonly chain: string;
  readonly address: Address;
  readonly exchange: string;
  readonly hotWallet: Address;
  readonly txHash: string;
  readonly blockNumber: number;
}

/** The label a learned deposit address carries, wherever it is kept: one wording, with its evidence. */
export function depositAddressLabel(learned: LearnedDepositAddress): Label {
  return {
    category: 'exchange',
    name: learned.exchange,
    source: `learned: swept to ${learned.exchange} hot wallet ${learned.hotWallet} in ${learned.txHash}`,
    depositOf: learned.hotWallet,
  };
}

export interface TraceOutcome {
  readonly alerts: Alert[];
  readonly edges: FlowEdge[];
  readonly learned: LearnedDepositAddress[];
}

const NOTHING: TraceOutcome = Object.freeze({
  alerts: Object.freeze([]) as unknown as Alert[],
  edges: Object.freeze([]) as unknown as FlowEdge[],
  learned: Object.freeze([]) as unknown as LearnedDepositAddress[],
});

const ALERT_OF_STOP: Partial<Record<LabelCategory, AlertKind>> = {
  exchange: 'EXCHANGE_DEPOSIT',
  mixer: 'MIXER_DEPOSIT',
  bridge: 'BRIDGE_DEPOSIT',
};

/** Tainted value a wallet put into a DEX in the current transaction; the swap's output inherits it. */
interface SwapInput {
  readonly wallet: TaintedWallet;
  readonly asset: AssetId;
  amount: bigint;
  tainted: bigint;
}

/**
 * Follows the stolen value of one case on one chain. Feed it every transaction of the chain in order;
 * it decides, per transfer, how much tainted value moves, who becomes tainted at which hop, and which
 * events deserve an alert. Deterministic: the same transfers in the same order give the same result.
 */
export class CaseTracer {
  readonly caseDef: Case;
  readonly ledger: TaintLedger;
  readonly #chain: ChainInfo;
  readonly #tokens: TokenDirectory;
  readonly #labels: LabelDirectory;
  readonly #format: (address: Address) => string;
  readonly #caseTokens: Map<Address, TokenInfo>;
  readonly #seeds: Set<Address>;
  readonly #minAmounts = new Map<AssetId, bigint>();

  /**
   * With no ledger, the case's seeds on this chain are planted in a new one. A ledger passed in is the
   * caller's stored state (possibly only the wallets a block range touches): it is used as it is.
   */
  constructor(caseDef: Case, deps: TracerDeps, ledger?: TaintLedger) {
    this.caseDef = caseDef;
    this.#chain = deps.chain;
    this.#tokens = deps.tokens;
    this.#labels = deps.labels;
    this.#format = deps.formatAddress ? remembered(deps.formatAddress) : (address) => address;
    this.#caseTokens = new Map(
      (caseDef.extraTokens[deps.chain.name] ?? []).map((token) => [token.address, token]),
    );
    this.#seeds = new Set(
      caseDef.seeds.filter((seed) => seed.chain === deps.chain.name).map((seed) => seed.address),
    );
    this.ledger = ledger ?? new TaintLedger();
    if (!ledger) {
      for (const seed of this.#seeds) this.ledger.put(seedWallet(seed));
    }
  }

  get chain(): ChainInfo {
    return this.#chain;
  }

  isSeed(address: Address): boolean {
    return this.#seeds.has(address);
  }

  /** The token, or undefined when taint must not flow through it (not allow-listed, not named by the case). */
  followedToken(address: Address): TokenInfo | undefined {
    return this.#tokens.tokenOf(this.#chain.name, address) ?? this.#caseTokens.get(address);
  }

  describeAsset(asset: AssetId): AlertAsset {
    if (asset === NATIVE_ASSET) {
      return { address: null, symbol: this.#chain.nativeSymbol, decimals: this.#chain.nativeDecimals };
    }
    const token = this.followedToken(asset);
    return { address: this.#format(asset), symbol: token?.symbol ?? '?', decimals: token?.decimals ?? 0 };
  }

  labelOf(address: Address): Label | undefined {
    return mostSpecificLabel(this.#labels.labelsOf(this.#chain.name, address));
  }

  /** Dust threshold: the case's own, else the chain's or token's default. */
  minAmount(asset: AssetId): bigint {
    let minimum = this.#minAmounts.get(asset);
    if (minimum === undefined) {
      minimum =
        this.caseDef.minAmounts[minAmountKey(this.#chain.name, asset)] ??
        (asset === NATIVE_ASSET ? this.#chain.nativeMinAmount : (this.followedToken(asset)?.minAmount ?? 1n));
      this.#minAmounts.set(asset, minimum);
    }
    return minimum;
  }

  /** All transfers of one transaction, in `compareTransfers` order. */
  processTransaction(transfers: readonly Transfer[]): TraceOutcome {
    // Fast path: almost all traffic on a chain has nothing to do with a case.
    let touched = false;
    for (const transfer of transfers) {
      if (this.ledger.has(transfer.from) || this.ledger.has(transfer.to)) {
        touched = true;
        break;
      }
    }
    if (!touched) return NOTHING;

    const outcome: TraceOutcome = { alerts: [], edges: [], learned: [] };
    const swaps: SwapInput[] = [];
    for (const transfer of transfers) this.#apply(transfer, outcome, swaps);
    if (swaps.length > 0) this.#carryTaintThroughSwaps(transfers, swaps, outcome);
    return outcome;
  }

  #isFollowed(transfer: Transfer): boolean {
    return transfer.asset === NATIVE_ASSET || this.followedToken(transfer.asset) !== undefined;
  }

  #apply(transfer: Transfer, outcome: TraceOutcome, swaps: SwapInput[]): void {
    // Zero-value transfers move nothing: they are how address poisoning plants look-alikes in a history.
    if (transfer.amount <= 0n || transfer.from === transfer.to) return;
    // A token off the allow-list can emit Transfer(from=seed) at will: it is not evidence of anything.
    if (!this.#isFollowed(transfer)) return;

    const sender = this.ledger.get(transfer.from);
    const recipient = this.ledger.get(transfer.to);
    if (!sender) {
      if (recipient) this.#unwrapOrCredit(transfer, recipient);
      return;
    }

    const tainted = this.#debit(sender, transfer.asset, transfer.amount);
    if (tainted === 0n || tainted < this.minAmount(transfer.asset)) {
      // Dust is not followed; value still lands where it lands, so a tainted recipient's books stay true.
      if (recipient) this.#credit(recipient, transfer.asset, transfer.amount, tainted);
      return;
    }

    const label = this.labelOf(transfer.to);
    const hop = sender.link.hop + 1;
    if (transfer.to === this.#chain.wrappedNative && transfer.asset === NATIVE_ASSET) {
      this.#wrap(transfer, sender, tainted, outcome);
      return;
    }
    if (stopsPropagation(label)) {
      this.#arriveAtCustodian(transfer, sender, tainted, hop, label as Label, outcome, swaps);
      return;
    }

    let kind: AlertKind | null = null;
    let exchange: string | null = null;
    let depositAddress: Address | null = null;
    if (label?.depositOf !== undefined) {
      // A learned deposit address: the exchange can freeze this now, before the sweep.
      kind = 'EXCHANGE_DEPOSIT';
      exchange = label.name;
      depositAddress = transfer.to;
    } else if (label?.category === 'sanctioned' && !recipient && !this.#seeds.has(transfer.to)) {
      kind = 'SANCTIONED_COUNTERPARTY';
    }

    let reached = recipient;
    if (reached) {
      this.#credit(reached, transfer.asset, transfer.amount, tainted);
      if (!reached.seed && hop < reached.link.hop) {
        reached.link = { address: reached.address, txHash: transfer.txHash, hop, previous: sender.link };
      }
    } else if (hop <= this.caseDef.maxHops) {
      reached = {
        address: transfer.to,
        seed: false,
        link: { address: transfer.to, txHash: transfer.txHash, hop, previous: sender.link },
        holdings: new Map(),
        firstBlock: transfer.blockNumber,
      };
      this.ledger.put(reached);
      this.#credit(reached, transfer.asset, transfer.amount, tainted);
      kind ??= 'FUNDS_MOVED';
    }
    if (reached) {
      outcome.edges.push(this.#edge(transfer, tainted, hop, null, label ?? null));
    }
    if (kind) {
      outcome.alerts.push(
        this.#alert(kind, transfer, sender, tainted, hop, label ?? null, exchange, depositAddress),
      );
    }
  }

  #arriveAtCustodian(
    transfer: Transfer,
    sender: TaintedWallet,
    tainted: bigint,
    hop: number,
    label: Label,
    outcome: TraceOutcome,
    swaps: SwapInput[],
  ): void {
    outcome.edges.push(this.#edge(transfer, tainted, hop, label.category, label));
    if (label.category === 'dex') {
      const open = swaps.find((swap) => swap.wallet === sender && swap.asset === transfer.asset);
      if (open) {
        open.amount += transfer.amount;
        open.tainted += tainted;
      } else {
        swaps.push({ wallet: sender, asset: transfer.asset, amount: transfer.amount, tainted });
      }
      return;
    }
    const kind = ALERT_OF_STOP[label.category];
    if (!kind) return;
    let exchange: string | null = null;
    let depositAddress: Address | null = null;
    if (label.category === 'exchange') {
      exchange = label.name;
      // Victor (FC 2020): an address that forwards to an exchange hot wallet is that exchange's deposit
      // address. A seed is the thief's own wallet, not a deposit address, so it is not learned.
      if (!sender.seed) {
        depositAddress = sender.address;
        this.#learnDepositAddress(transfer, label, outcome);
      }
    }
    outcome.alerts.push(this.#alert(kind, transfer, sender, tainted, hop, label, exchange, depositAddress));
  }

  #learnDepositAddress(transfer: Transfer, hotWallet: Label, outcome: TraceOutcome): void {
    const learned: LearnedDepositAddress = {
      chain: this.#chain.name,
      address: transfer.from,
      exchange: hotWallet.name,
      hotWallet: transfer.to,
      txHash: transfer.txHash,
      blockNumber: transfer.blockNumber,
    };
    if (this.#labels.learn(this.#chain.name, transfer.from, depositAddressLabel(learned))) {
      outcome.learned.push(learned);
    }
  }

  /**
   * Native coin sent to the wrapped-native contract (WETH9 and its clones) comes back as the same amount
   * of the wrapped token, announced by a `Deposit` event rather than a `Transfer`: carry the taint over.
   */
  #wrap(transfer: Transfer, sender: TaintedWallet, tainted: bigint, outcome: TraceOutcome): void {
    const wrapped = this.#chain.wrappedNative as Address;
    this.#credit(sender, wrapped, transfer.amount, tainted);
    outcome.edges.push(this.#edge(transfer, tainted, sender.link.hop, 'dex', this.labelOf(wrapped) ?? null));
  }

  /**
   * The wrapped-native contract paying native coin to a tainted wallet is an unwrap (WETH9 `withdraw`
   * emits `Withdrawal`, not `Transfer`): the wallet's wrapped taint becomes native taint, pro rata.
   */
  #unwrapOrCredit(transfer: Transfer, recipient: TaintedWallet): void {
    const wrapped = this.#chain.wrappedNative;
    if (transfer.from === wrapped && transfer.asset === NATIVE_ASSET && wrapped !== undefined) {
      const moved = this.#debit(recipient, wrapped, transfer.amount);
      this.#credit(recipient, NATIVE_ASSET, transfer.amount, moved);
      return;
    }
    this.#credit(recipient, transfer.asset, transfer.amount, 0n);
  }

  /**
   * A DEX swap inside one transaction: tainted asset in, another asset out to the same wallet. The
   * output inherits the input's tainted share (haircut) or is wholly tainted (poison, and seeds).
   */
  #carryTaintThroughSwaps(transfers: readonly Transfer[], swaps: SwapInput[], outcome: TraceOutcome): void {
    for (const transfer of transfers) {
      if (transfer.amount <= 0n || !this.#isFollowed(transfer)) continue;
      const inputs = swaps.filter(
        (swap) => swap.wallet.address === transfer.to && swap.asset !== transfer.asset,
      );
      if (inputs.length === 0) continue;
      const wallet = inputs[0]?.wallet as TaintedWallet;
      // Several tainted inputs into one swap: the output is as tainted as the most tainted input.
      let share = 0n;
      for (const input of inputs) {
        const inputShare =
          this.caseDef.model === 'poison' || wallet.seed
            ? transfer.amount
            : mulDiv(transfer.amount, input.tainted, input.amount);
        if (inputShare > share) share = inputShare;
      }
      if (share === 0n) continue;
      // The output was already booked as an untainted inflow by the pass over the transaction.
      const holding = wallet.holdings.get(transfer.asset);
      if (holding) {
        const untainted = holding.balance - holding.tainted;
        const added = share < untainted ? share : untainted;
        holding.tainted += added;
        holding.taintedIn += added;
        this.ledger.markChanged(wallet.address);
      }
      outcome.edges.push(
        this.#edge(transfer, share, wallet.link.hop, null, this.labelOf(transfer.from) ?? null),
      );
    }
  }

  /** Takes `amount` out of the wallet's books and answers how much of it was tainted. */
  #debit(wallet: TaintedWallet, asset: AssetId, amount: bigint): bigint {
    const holding = wallet.holdings.get(asset);
    let tainted: bigint;
    if (wallet.seed || this.caseDef.model === 'poison') {
      // A seed holds stolen funds; under poison, anything a tainted wallet sends is tainted.
      tainted = amount;
    } else if (!holding || holding.tainted === 0n) {
      tainted = 0n;
    } else if (amount >= holding.balance) {
      tainted = holding.tainted;
    } else {
      tainted = mulDiv(amount, holding.tainted, holding.balance);
    }
    if (holding) {
      holding.balance = amount >= holding.balance ? 0n : holding.balance - amount;
      holding.tainted = tainted >= holding.tainted ? 0n : holding.tainted - tainted;
      if (holding.tainted > holding.balance) holding.tainted = holding.balance;
      this.ledger.markChanged(wallet.address);
    }
    return tainted;
  }

  #credit(wallet: TaintedWallet, asset: AssetId, amount: bigint, tainted: bigint): void {
    let holding: AssetTaint | undefined = wallet.holdings.get(asset);
    if (!holding) {
      holding = { balance: 0n, tainted: 0n, taintedIn: 0n };
      wallet.holdings.set(asset, holding);
    }
    holding.balance += amount;
    holding.tainted += tainted;
    holding.taintedIn += tainted;
    this.ledger.markChanged(wallet.address);
  }

  #edge(
    transfer: Transfer,
    tainted: bigint,
    hop: number,
    stop: LabelCategory | null,
    counterparty: Label | null,
  ): FlowEdge {
    return {
      chain: transfer.chain,
      txHash: transfer.txHash,
      position: transfer.position,
      blockNumber: transfer.blockNumber,
      blockTime: transfer.blockTime,
      from: transfer.from,
      to: transfer.to,
      asset: transfer.asset,
      amount: transfer.amount,
      taintedAmount: tainted,
      hop,
      stop,
      counterparty,
    };
  }

  #alert(
    kind: AlertKind,
    transfer: Transfer,
    sender: TaintedWallet,
    tainted: bigint,
    hop: number,
    counterparty: Label | null,
    exchange: string | null,
    depositAddress: Address | null,
  ): Alert {
    const asset = this.describeAsset(transfer.asset);
    const format = this.#format;
    return {
      id: alertId(this.caseDef.id, transfer.chain, transfer.txHash, transfer.position, kind),
      schemaVersion: ALERT_SCHEMA_VERSION,
      kind,
      severity: SEVERITY_OF[kind],
      caseId: this.caseDef.id,
      caseName: this.caseDef.name,
      chain: this.#chain.name,
      chainId: this.#chain.chainId,
      txHash: transfer.txHash,
      position: transfer.position,
      blockNumber: transfer.blockNumber,
      timestamp: transfer.blockTime > 0 ? new Date(transfer.blockTime * 1000).toISOString() : null,
      from: format(transfer.from),
      to: format(transfer.to),
      asset,
      amount: formatUnits(transfer.amount, asset.decimals),
      taintedAmount: formatUnits(tainted, asset.decimals),
      hop,
      path: linkToPath(sender.link).map((step) => ({ address: format(step.address), txHash: step.txHash })),
      counterparty: {
        address: format(transfer.to),
        name: counterparty?.name ?? null,
        category: counterparty?.category ?? null,
      },
      exchange,
      depositAddress: depositAddress ? format(depositAddress) : null,
      explorerUrl: `${this.#chain.explorerUrl}/tx/${transfer.txHash}`,
    };
  }
}

/**
 * Checksumming hashes the address (keccak-256): worth remembering for the addresses that recur in
 * alerts (seeds, hot wallets, the first hops of every path). Bounded, and simply emptied when full.
 */
function remembered(format: (address: Address) => string, capacity = 10_000): (address: Address) => string {
  const known = new Map<Address, string>();
  return (address) => {
    let formatted = known.get(address);
    if (formatted === undefined) {
      if (known.size >= capacity) known.clear();
      formatted = format(address);
      known.set(address, formatted);
    }
    return formatted;
  };
}

/** Runs a stream of transfers (ordered by `compareTransfers`) through the tracer, one transaction at a time. */
export function processOrdered(tracer: CaseTracer, transfers: Iterable<Transfer>): TraceOutcome {
  const outcome: TraceOutcome = { alerts: [], edges: [], learned: [] };
  let batch: Transfer[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const step = tracer.processTransaction(batch);
    outcome.alerts.push(...step.alerts);
    outcome.edges.push(...step.edges);
    outcome.learned.push(...step.learned);
    batch = [];
  };
  for (const transfer of transfers) {
    const last = batch[batch.length - 1];
    if (last && (last.txHash !== transfer.txHash || last.blockNumber !== transfer.blockNumber)) flush();
    batch.push(transfer);
  }
  flush();
  return outcome;
}

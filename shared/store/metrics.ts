/**
 * What each DynamoDB request cost, so the benchmark can report reads and writes per block and the
 * Lambda can emit them as metrics. Capacity units come from `ReturnConsumedCapacity: 'TOTAL'` (zero
 * when the server does not report them); item counts are what this code asked for.
 */
export interface StoreUsage {
  /** The store method, e.g. "walletRange.load". */
  readonly operation: string;
  /** The DynamoDB API call, e.g. "BatchGetItem". */
  readonly command: string;
  readonly itemsRead: number;
  readonly itemsWritten: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface StoreMetrics {
  record(usage: StoreUsage): void;
}

export interface UsageTotals {
  requests: number;
  itemsRead: number;
  itemsWritten: number;
  readUnits: number;
  writeUnits: number;
}

const zero = (): UsageTotals => ({ requests: 0, itemsRead: 0, itemsWritten: 0, readUnits: 0, writeUnits: 0 });

/** Sums usage overall and per operation; `reset()` between measurements. */
export class CountingStoreMetrics implements StoreMetrics {
  #total = zero();
  #byOperation = new Map<string, UsageTotals>();

  record(usage: StoreUsage): void {
    let perOperation = this.#byOperation.get(usage.operation);
    if (!perOperation) {
      perOperation = zero();
      this.#byOperation.set(usage.operation, perOperation);
    }
    for (const totals of [this.#total, perOperation]) {
      totals.requests += 1;
      totals.itemsRead += usage.itemsRead;
      totals.itemsWritten += usage.itemsWritten;
      totals.readUnits += usage.readUnits;
      totals.writeUnits += usage.writeUnits;
    }
  }

  get total(): Readonly<UsageTotals> {
    return { ...this.#total };
  }

  byOperation(): Map<string, Readonly<UsageTotals>> {
    return new Map([...this.#byOperation].map(([name, totals]) => [name, { ...totals }]));
  }

  reset(): void {
    this.#total = zero();
    this.#byOperation.clear();
  }
}

export const NO_METRICS: StoreMetrics = { record() {} };

import type { Address } from '../domain/address.ts';
import type { Label, LabelDirectory } from '../domain/label.ts';

/** What the tracers of one range consult; labels they learn stay pending until the range is stored. */
export interface RangeLabelView extends LabelDirectory {
  pending(): readonly { chain: string; address: Address; label: Label }[];
  /** For a case re-run inside the range: forget what was learned since `mark()`. */
  mark(): number;
  rollback(mark: number): void;
}

interface LearnedLabel {
  readonly label: Label;
  /** First block of the range that learned it. */
  readonly learnedInRangeFrom: number;
}

/**
 * The labels as they stood when a block range began. A deposit address learned by a crashed attempt of
 * this very range is already stored; if the retry saw it, the tracer would decide differently the
 * second time (an EXCHANGE_DEPOSIT where it first said FUNDS_MOVED), breaking exactly-once alerts.
 * So labels learned at or after the range start stay hidden until the range learns them again.
 */
export class LearnedLabels {
  readonly #base: LabelDirectory;
  readonly #learned = new Map<string, LearnedLabel[]>();

  constructor(base: LabelDirectory) {
    this.#base = base;
  }

  /** A label found in storage (learned by an earlier range), or just now by a committed range. */
  remember(chain: string, address: Address, label: Label, learnedInRangeFrom: number): void {
    const key = `${chain}:${address}`;
    const known = this.#learned.get(key) ?? [];
    if (known.some((entry) => entry.label.category === label.category && entry.label.name === label.name))
      return;
    this.#learned.set(key, [...known, { label, learnedInRangeFrom }]);
  }

  /** The directory the tracers of range [from, ...] consult; what they learn is reported by `pending()`. */
  asOfRange(from: number): RangeLabelView {
    const pending: { chain: string; address: Address; label: Label }[] = [];
    const visible = (chain: string, address: Address): Label[] => {
      const learned = (this.#learned.get(`${chain}:${address}`) ?? [])
        .filter((entry) => entry.learnedInRangeFrom < from)
        .map((entry) => entry.label);
      const fresh = pending
        .filter((entry) => entry.chain === chain && entry.address === address)
        .map((entry) => entry.label);
      return [...learned, ...fresh];
    };
    return {
      labelsOf: (chain, address) => {
        const base = this.#base.labelsOf(chain, address);
        if (this.#learned.size === 0 && pending.length === 0) return base;
        const extra = visible(chain, address);
        return extra.length === 0 ? base : [...(base ?? []), ...extra];
      },
      learn: (chain, address, label) => {
        const known = [...(this.#base.labelsOf(chain, address) ?? []), ...visible(chain, address)];
        if (known.some((other) => other.category === label.category && other.name === label.name))
          return false;
        pending.push({ chain, address, label });
        return true;
      },
      pending: () => pending,
      mark: () => pending.length,
      rollback: (mark) => {
        pending.length = mark;
      },
    };
  }
}

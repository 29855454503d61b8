import { type CsvRecord, LineRecord, parseQuotedRecord, type QuotedRecord } from './csv-records.ts';

/** Slots of a record before its field ends: the chunk of its text, where it starts (-1 - start if quoted). */
const HEADER_SLOTS = 2;

const INITIAL_CAPACITY = 1024;

/**
 * Records of one file kept for later, as positions in the chunks of text they were read from, so that
 * holding them costs the garbage collector nothing per record. The reorder window holds every record of
 * a thousand blocks (a few hundred thousand); held as parsed rows, each with its bigint and a handful
 * of strings, they outlived the young generation and made the backtest a third slower. Here a record is
 * a few integers in typed arrays (where its fields end; a record with quotes only where it starts, and
 * it is parsed again), plus its share of a chunk string that its rows would have pinned anyway. It
 * becomes a row only when its block leaves, and that row dies young, as before.
 *
 * Records are numbered in file order and stored in a ring: `oldestWanted()` (asked when the ring is
 * full) and `forgetBefore(n)` tell which are no longer wanted; chunks no wanted record refers to are
 * released.
 */
export class HeldRecords {
  readonly #file: string;
  readonly #width: number;
  readonly #stride: number;
  readonly #oldestWanted: () => number;
  #capacity = INITIAL_CAPACITY;
  #positions: Int32Array;
  /** Line numbers apart: a file may exceed 2^31 lines. */
  #lines: Float64Array;
  /** Number of the oldest record stored. */
  #oldest = 0;
  /** Number the next record gets. */
  #next = 0;
  /** Chunk texts by chunk number, oldest first. */
  readonly #texts = new Map<number, string>();
  #lastChunk = -1;
  readonly #lineView = new HeldLineRecord();

  /**
   * `width`: the fields of every record (the header's; records of another width are refused before).
   * `oldestWanted`: the number of the oldest record still wanted (`next` when none is).
   */
  constructor(file: string, width: number, oldestWanted: () => number) {
    this.#file = file;
    this.#width = width;
    this.#stride = HEADER_SLOTS + width;
    this.#oldestWanted = oldestWanted;
    this.#positions = new Int32Array(this.#capacity * this.#stride);
    this.#lines = new Float64Array(this.#capacity);
  }

  /** Number the next record will get. */
  get next(): number {
    return this.#next;
  }

  /** Records the store has room for now (it grows when the wanted ones fill it). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Keeps `record` (a record is only valid during the call that received it); returns its number. */
  add(record: CsvRecord): number {
    if (this.#next - this.#oldest === this.#capacity) {
      this.forgetBefore(this.#oldestWanted());
      if (this.#next - this.#oldest === this.#capacity) this.#grow();
    }
    const slot = this.#next & (this.#capacity - 1);
    const positions = this.#positions;
    const at = slot * this.#stride;
    if (record instanceof LineRecord) {
      this.#keepText(record.chunk, record.text);
      positions[at] = record.chunk;
      const ends = record.ends;
      positions[at + 1] = record.starts[0] as number;
      for (let field = 0, to = at + HEADER_SLOTS; field < this.#width; field++, to++) {
        positions[to] = ends[field] as number;
      }
    } else {
      const quoted = record as QuotedRecord;
      this.#keepText(quoted.chunk, quoted.text);
      positions[at] = quoted.chunk;
      positions[at + 1] = -1 - quoted.start;
    }
    this.#lines[slot] = record.line;
    return this.#next++;
  }

  /** Record `number` again, valid until the next call to this store. */
  record(number: number): CsvRecord {
    const slot = number & (this.#capacity - 1);
    const at = slot * this.#stride;
    const positions = this.#positions;
    const text = this.#texts.get(positions[at] as number) as string;
    const line = this.#lines[slot] as number;
    const start = positions[at + 1] as number;
    if (start < 0) {
      // It parsed whole when it was read, so it does again (never INCOMPLETE).
      return parseQuotedRecord(text, -1 - start, true, this.#file, line) as QuotedRecord;
    }
    const view = this.#lineView;
    view.text = text;
    view.line = line;
    view.size = this.#width;
    view.positions = positions;
    view.at = at + 1;
    return view;
  }

  /** No record numbered below `first` is wanted any more: frees its slot, and chunks only they used. */
  forgetBefore(first: number): void {
    const oldest = Math.min(first, this.#next);
    if (oldest <= this.#oldest) return;
    this.#oldest = oldest;
    // The oldest chunk still referred to; with no record left, the current one may still give more.
    const chunk =
      oldest < this.#next
        ? (this.#positions[(oldest & (this.#capacity - 1)) * this.#stride] as number)
        : this.#lastChunk;
    for (const kept of this.#texts.keys()) {
      if (kept >= chunk) break;
      this.#texts.delete(kept);
    }
  }

  #keepText(chunk: number, text: string): void {
    if (chunk === this.#lastChunk) return;
    this.#texts.set(chunk, text);
    this.#lastChunk = chunk;
  }

  /** Twice the room, each stored record moved to its slot in the larger ring. */
  #grow(): void {
    const capacity = this.#capacity * 2;
    const stride = this.#stride;
    const positions = new Int32Array(capacity * stride);
    const lines = new Float64Array(capacity);
    for (let number = this.#oldest; number < this.#next; number++) {
      const from = number & (this.#capacity - 1);
      const to = number & (capacity - 1);
      positions.set(this.#positions.subarray(from * stride, (from + 1) * stride), to * stride);
      lines[to] = this.#lines[from] as number;
    }
    this.#capacity = capacity;
    this.#positions = positions;
    this.#lines = lines;
  }
}

/**
 * A held record without quotes: its fields sliced from the chunk. Field i starts one past the end of
 * field i - 1 (the comma), the first where the record starts.
 */
class HeldLineRecord implements CsvRecord {
  text = '';
  line = 0;
  size = 0;
  positions: Int32Array = new Int32Array(0);
  /** Slot of the record's start; its field ends follow. */
  at = 0;

  field(index: number): string {
    if (index >= this.size) return '';
    const at = this.at + index;
    const start = index === 0 ? this.positions[at] : (this.positions[at] as number) + 1;
    return this.text.slice(start, this.positions[at + 1]);
  }
}

import { type CsvRecord, readCsvRows } from './csv-records.ts';
import { BlockOrderError, EtlInputError, InvalidFieldError, UnknownLayoutError } from './errors.ts';
import { readIndex } from './fields.ts';
import { HeldRecords } from './held-records.ts';
import { blockNumberColumn, blockNumberName, sortCommandFor } from './layout.ts';

/** Every row of every export file belongs to a block and comes from a line. */
export interface BlockRow {
  readonly blockNumber: number;
  readonly line: number;
}

/**
 * Turns one CSV record into a row; built once per file from its header. A record that can never
 * matter (a value-less call inside a transaction) may be answered by its block number alone: no row
 * is made, but block order is still checked. `blockNumber` is the record's block number, which the
 * cursor read and checked when it filed the record: readers take it rather than parse it again (once
 * per row over millions of rows, that parse was a tenth of the backtest's time on this machine).
 */
export type RowReader<Row extends BlockRow> = (record: CsvRecord, blockNumber: number) => Row | number;

/**
 * How far back a row's block may be from the highest block its file has reached, unless the caller
 * says otherwise. Ethereum-ETL does not always write blocks in order: each JSON-RPC batch goes out in
 * the order the node answered (its own test fixture lists block 47219 before 47218), and parallel
 * workers (5 by default, 100 blocks a batch) finish out of turn. 1,000 blocks covers both with room,
 * and costs memory only in proportion to the window, whatever the file's size.
 */
export const DEFAULT_REORDER_WINDOW = 1000;

/** Chunks of taken blocks are released every this many blocks taken. */
const FORGET_EVERY_BLOCKS = 16;

/** The records of one block of one file (their numbers in the HeldRecords), held until no more can come. */
interface HeldBlock {
  readonly blockNumber: number;
  readonly records: number[];
}

/**
 * Reads one export file block by block. Records are held per block until the file has moved more than
 * `reorderWindow` blocks past it (or ended): no later row may belong to it then, and the merge may take
 * it. So blocks leave in order even when the file is only nearly sorted, and memory is bounded by the
 * window (plus the chunk being read), not by the file. A row further back than the window is refused,
 * naming its line; a window of 0 is strict order.
 *
 * Only a record's block number is read when it arrives; it becomes a row when its block leaves
 * (held-records.ts says why), so a field error is reported then, up to a window later.
 */
export class BlockCursor<Row extends BlockRow> {
  readonly file: string;
  readonly reorderWindow: number;
  /** Data rows parsed so far (the header not counted): progress and throughput figures. */
  rowsRead = 0;
  /** Most blocks held at once, counted after each chunk: what bounds the memory of a read. */
  peakBlocksHeld = 0;
  #chunks: AsyncIterator<unknown> | undefined;
  #records: HeldRecords | undefined;
  #readRow: RowReader<Row> | undefined;
  /** Blocks read and not yet taken, by ascending block number, from #first on (taken slots are cleared). */
  #held: (HeldBlock | undefined)[] = [];
  #first = 0;
  /** The held block with the highest number: where records of a sorted file go. */
  #last: HeldBlock | undefined;
  #blocksTaken = 0;
  /** Highest block number read so far, rows or row-less records; -1 before the first. */
  #highest = -1;
  #ended = false;
  /** How to sort this file (from its header), for the message that refuses a row. */
  #sortCommand = '';

  private constructor(file: string, reorderWindow: number) {
    this.file = file;
    this.reorderWindow = reorderWindow;
  }

  /** Reads the header, picks the row reader for its layout, and reads the first chunk. */
  static async open<Row extends BlockRow>(
    file: string,
    chunks: AsyncIterable<string>,
    readerFor: (header: readonly string[]) => RowReader<Row>,
    reorderWindow = DEFAULT_REORDER_WINDOW,
  ): Promise<BlockCursor<Row>> {
    checkReorderWindow(reorderWindow);
    const cursor = new BlockCursor<Row>(file, reorderWindow);
    cursor.#chunks = readCsvRows<never>(chunks, file, (header, line) => {
      if (line === 0) throw new UnknownLayoutError(file, 'the file is empty: expected a header line');
      const width = header.length;
      cursor.#readRow = readerFor(header);
      cursor.#records = new HeldRecords(file, width, () => cursor.#oldestHeldRecord());
      cursor.#sortCommand = sortCommandFor(file, header);
      const blockColumn = blockNumberColumn(header);
      const blockColumnName = blockNumberName(header, blockColumn);
      // Records are filed by the cursor itself, so the chunk's own list of rows stays empty.
      return (record: CsvRecord) => {
        const line = record.line;
        if (record.size !== width) {
          throw new InvalidFieldError(
            file,
            line,
            `expected ${width} fields like the header, found ${record.size}`,
          );
        }
        cursor.#hold(readIndex(record.field(blockColumn), blockColumnName, file, line), record);
        cursor.rowsRead++;
        return undefined;
      };
    })[Symbol.asyncIterator]();
    await cursor.#readChunk();
    return cursor;
  }

  /** Blocks held right now (read, not yet taken). */
  get blocksHeld(): number {
    return this.#held.length - this.#first;
  }

  /**
   * The lowest block no further row of this file can belong to, reading on as far as that takes;
   * undefined when every block has been taken.
   */
  async nextBlock(): Promise<number | undefined> {
    for (;;) {
      const front = this.#held[this.#first];
      if (front !== undefined && (this.#ended || front.blockNumber < this.#highest - this.reorderWindow)) {
        return front.blockNumber;
      }
      if (this.#ended) return undefined;
      await this.#readChunk();
    }
  }

  /**
   * All rows of `block`, which must be the lowest `nextBlock()` among the export's files: this file's
   * own next block, or one it has no rows for.
   */
  takeBlock(block: number): Row[] {
    const front = this.#held[this.#first];
    if (front === undefined || front.blockNumber !== block) return [];
    this.#held[this.#first] = undefined;
    this.#first++;
    if (this.#first === this.#held.length) {
      this.#held.length = 0;
      this.#first = 0;
      this.#last = undefined;
    } else if (this.#first >= 1024 && this.#first * 2 >= this.#held.length) {
      this.#held = this.#held.slice(this.#first);
      this.#first = 0;
    }
    const records = this.#records as HeldRecords;
    const readRow = this.#readRow as RowReader<Row>;
    const rows: Row[] = [];
    for (const number of front.records) {
      const row = readRow(records.record(number), block);
      if (typeof row !== 'number') rows.push(row);
    }
    // Now and then (finding the oldest is a walk over the held blocks), let go of the chunks that only
    // taken records referred to.
    if (++this.#blocksTaken % FORGET_EVERY_BLOCKS === 0) records.forgetBefore(this.#oldestHeldRecord());
    return rows;
  }

  /** Stops reading and releases the file. */
  async close(): Promise<void> {
    this.#held = [];
    this.#first = 0;
    this.#last = undefined;
    this.#records = undefined;
    this.#ended = true;
    await this.#chunks?.return?.();
  }

  /** Files a record under its block. */
  #hold(block: number, record: CsvRecord): void {
    const records = this.#records as HeldRecords;
    const last = this.#last;
    // A sorted file: the record belongs to the last block held, or opens the next one.
    if (last !== undefined && last.blockNumber === block) {
      last.records.push(records.add(record));
      return;
    }
    if (block >= this.#highest) {
      this.#highest = block;
      this.#last = { blockNumber: block, records: [records.add(record)] };
      this.#held.push(this.#last);
      return;
    }
    if (block < this.#highest - this.reorderWindow) {
      throw new BlockOrderError(
        this.file,
        record.line,
        block,
        this.#highest,
        this.reorderWindow,
        this.#sortCommand,
      );
    }
    this.#holdBehind(block, records.add(record));
  }

  /** A record behind the highest block, within the window: into its block, which may be new. */
  #holdBehind(block: number, record: number): void {
    const held = this.#held;
    let low = this.#first;
    let high = held.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((held[middle] as HeldBlock).blockNumber < block) low = middle + 1;
      else high = middle;
    }
    const found = held[low];
    if (found !== undefined && found.blockNumber === block) {
      found.records.push(record);
      return;
    }
    held.splice(low, 0, { blockNumber: block, records: [record] });
    this.#last = held[held.length - 1];
  }

  /** The first record still wanted: records of a block are numbered in file order, blocks may not be. */
  #oldestHeldRecord(): number {
    let oldest = (this.#records as HeldRecords).next;
    for (let index = this.#first; index < this.#held.length; index++) {
      const first = (this.#held[index] as HeldBlock).records[0] as number;
      if (first < oldest) oldest = first;
    }
    return oldest;
  }

  async #readChunk(): Promise<void> {
    const next = await (this.#chunks as AsyncIterator<unknown>).next();
    if (next.done) this.#ended = true;
    const held = this.#held.length - this.#first;
    if (held > this.peakBlocksHeld) this.peakBlocksHeld = held;
  }
}

export function checkReorderWindow(blocks: number): void {
  if (!Number.isSafeInteger(blocks) || blocks < 0) {
    throw new RangeError(`reorder window ${blocks}: expected a whole number of blocks, 0 or more`);
  }
}

/** File-system failures (missing file, permission) in the same shape as format errors. */
export function unreadableFile(file: string, cause: unknown): EtlInputError {
  const reason = cause instanceof Error ? cause.message.replace(/^[A-Z]+: /, '') : String(cause);
  return new EtlInputError(file, 0, `cannot read the file: ${reason}`);
}

import { type CsvRecord, readCsvRows } from './csv-records.ts';
import { BlockOrderError, EtlInputError, InvalidFieldError, UnknownLayoutError } from './errors.ts';

/** Every row of every export file belongs to a block and comes from a line. */
export interface BlockRow {
  readonly blockNumber: number;
  readonly line: number;
}

/**
 * Turns one CSV record into a row; built once per file from its header. A record that can never
 * matter (a value-less call inside a transaction) may be answered by its block number alone: no row
 * is made, but block order is still checked.
 */
export type RowReader<Row extends BlockRow> = (record: CsvRecord) => Row | number;

/**
 * Reads one export file block by block: the merge asks for the next block number, then for all rows
 * of that block, and only one block of rows (plus the current chunk's) is ever held. Requires the file
 * sorted by block number (Ethereum-ETL exports are) and says where it is not.
 */
export class BlockCursor<Row extends BlockRow> {
  readonly file: string;
  /** Data rows parsed so far (the header not counted): progress and throughput figures. */
  rowsRead = 0;
  readonly #batches: AsyncIterator<Row[]>;
  #rows: Row[] = [];
  #index = 0;
  #current: Row | undefined;

  private constructor(file: string, batches: AsyncIterator<Row[]>) {
    this.file = file;
    this.#batches = batches;
  }

  /** Reads the header, picks the row reader for its layout, and positions on the first row. */
  static async open<Row extends BlockRow>(
    file: string,
    chunks: AsyncIterable<string>,
    readerFor: (header: readonly string[]) => RowReader<Row>,
  ): Promise<BlockCursor<Row>> {
    let previousBlock = -1;
    const batches = readCsvRows(chunks, file, (header, line) => {
      if (line === 0) throw new UnknownLayoutError(file, 'the file is empty: expected a header line');
      const width = header.length;
      const readRow = readerFor(header);
      return (record: CsvRecord) => {
        if (record.size !== width) {
          throw new InvalidFieldError(
            file,
            record.line,
            `expected ${width} fields like the header, found ${record.size}`,
          );
        }
        const row = readRow(record);
        const block = typeof row === 'number' ? row : row.blockNumber;
        if (block < previousBlock) throw new BlockOrderError(file, record.line, block, previousBlock);
        previousBlock = block;
        cursor.rowsRead++;
        return typeof row === 'number' ? undefined : row;
      };
    })[Symbol.asyncIterator]();
    const cursor: BlockCursor<Row> = new BlockCursor<Row>(file, batches);
    await cursor.#loadBatch();
    return cursor;
  }

  /** The block of the next unread row, or undefined when the file is done. */
  get nextBlock(): number | undefined {
    return this.#current?.blockNumber;
  }

  /** All rows of `block`, which must be `nextBlock` (or a block this file has no rows for). */
  async takeBlock(block: number): Promise<Row[]> {
    const rows: Row[] = [];
    while (this.#current !== undefined && this.#current.blockNumber === block) {
      rows.push(this.#current);
      if (!this.#step()) await this.#loadBatch();
    }
    return rows;
  }

  /** Stops reading and releases the file. */
  async close(): Promise<void> {
    this.#current = undefined;
    await this.#batches.return?.();
  }

  /** Moves to the next row of the current batch; false when the batch is used up. */
  #step(): boolean {
    if (this.#index >= this.#rows.length) {
      this.#current = undefined;
      return false;
    }
    const row = this.#rows[this.#index] as Row;
    this.#index++;
    this.#current = row;
    return true;
  }

  async #loadBatch(): Promise<void> {
    for (;;) {
      const next = await this.#batches.next();
      if (next.done) {
        this.#current = undefined;
        return;
      }
      this.#rows = next.value;
      this.#index = 0;
      if (this.#step()) return;
    }
  }
}

/** File-system failures (missing file, permission) in the same shape as format errors. */
export function unreadableFile(file: string, cause: unknown): EtlInputError {
  const reason = cause instanceof Error ? cause.message.replace(/^[A-Z]+: /, '') : String(cause);
  return new EtlInputError(file, 0, `cannot read the file: ${reason}`);
}

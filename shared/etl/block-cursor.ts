import { type CsvBatch, readCsvBatches } from './csv-records.ts';
import { BlockOrderError, EtlInputError, InvalidFieldError, UnknownLayoutError } from './errors.ts';

/** Every row of every export file belongs to a block and comes from a line. */
export interface BlockRow {
  readonly blockNumber: number;
  readonly line: number;
}

/** Turns the fields of one record into a row; built once per file from its header. */
export type RowReader<Row extends BlockRow> = (fields: string[], line: number) => Row;

/**
 * Reads one export file block by block: the merge asks for the next block number, then for all rows
 * of that block, and only one block of rows is ever held. Requires the file sorted by block number
 * (Ethereum-ETL exports are) and says where it is not.
 */
export class BlockCursor<Row extends BlockRow> {
  readonly file: string;
  /** Data rows read so far (the header not counted): progress and throughput figures. */
  rowsRead = 0;
  readonly #batches: AsyncIterator<CsvBatch>;
  readonly #readRow: RowReader<Row>;
  readonly #width: number;
  #records: string[][] = [];
  #lines: number[] = [];
  #index = 0;
  #current: Row | undefined;
  #previousBlock = -1;

  private constructor(
    file: string,
    batches: AsyncIterator<CsvBatch>,
    header: string[],
    readRow: RowReader<Row>,
  ) {
    this.file = file;
    this.#batches = batches;
    this.#width = header.length;
    this.#readRow = readRow;
  }

  /** Reads the header, picks the row reader for its layout, and positions on the first row. */
  static async open<Row extends BlockRow>(
    file: string,
    chunks: AsyncIterable<string>,
    readerFor: (header: readonly string[]) => RowReader<Row>,
  ): Promise<BlockCursor<Row>> {
    const batches = readCsvBatches(chunks, file)[Symbol.asyncIterator]();
    const first = await batches.next();
    const header = first.done ? undefined : first.value.records[0];
    if (!header || first.done)
      throw new UnknownLayoutError(file, 'the file is empty: expected a header line');
    const cursor = new BlockCursor(file, batches, header, readerFor(header));
    cursor.#records = first.value.records;
    cursor.#lines = first.value.lines;
    cursor.#index = 1;
    if (!cursor.#step()) await cursor.#loadBatch();
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

  /** Moves to the next record of the current batch; false when the batch is used up. */
  #step(): boolean {
    if (this.#index >= this.#records.length) {
      this.#current = undefined;
      return false;
    }
    const fields = this.#records[this.#index] as string[];
    const line = this.#lines[this.#index] as number;
    this.#index++;
    if (fields.length !== this.#width) {
      throw new InvalidFieldError(
        this.file,
        line,
        `expected ${this.#width} fields like the header, found ${fields.length}`,
      );
    }
    const row = this.#readRow(fields, line);
    if (row.blockNumber < this.#previousBlock) {
      throw new BlockOrderError(this.file, line, row.blockNumber, this.#previousBlock);
    }
    this.#previousBlock = row.blockNumber;
    this.rowsRead++;
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
      this.#records = next.value.records;
      this.#lines = next.value.lines;
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

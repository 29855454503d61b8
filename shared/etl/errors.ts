/**
 * Everything wrong with an Ethereum-ETL export is reported against the file and the line a user can
 * open in an editor: `transactions.csv:1042: value "12a" is not a non-negative integer`.
 */
export class EtlInputError extends Error {
  readonly file: string;
  /** 1-based physical line of the record (the header is line 1); 0 when the problem is the file itself. */
  readonly line: number;
  readonly problem: string;

  constructor(file: string, line: number, problem: string) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
    this.name = 'EtlInputError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** The bytes are not valid RFC 4180 CSV (an unterminated quote, a stray quote, ...). */
export class CsvSyntaxError extends EtlInputError {
  constructor(file: string, line: number, problem: string) {
    super(file, line, problem);
    this.name = 'CsvSyntaxError';
  }
}

/** The header does not name the columns of a known Ethereum-ETL layout. */
export class UnknownLayoutError extends EtlInputError {
  constructor(file: string, problem: string) {
    super(file, 1, problem);
    this.name = 'UnknownLayoutError';
  }
}

/** One field of one row cannot be read (a non-numeric value, a malformed address, a missing column...). */
export class InvalidFieldError extends EtlInputError {
  constructor(file: string, line: number, problem: string) {
    super(file, line, problem);
    this.name = 'InvalidFieldError';
  }
}

/**
 * A row further behind its file's highest block than the reorder window allows: its block may
 * already have left (blocks leave once the file is more than the window past them), so reading on
 * would split or drop it. With a window of 0 the file must be sorted.
 */
export class BlockOrderError extends EtlInputError {
  readonly block: number;
  readonly highestBlock: number;
  readonly reorderWindow: number;

  constructor(
    file: string,
    line: number,
    block: number,
    highest: number,
    window: number,
    sortCommand: string,
  ) {
    const behind = highest - block;
    const blocks = (count: number) => `${count} block${count === 1 ? '' : 's'}`;
    super(
      file,
      line,
      `block ${block} comes after block ${highest}, ${blocks(behind)} back: beyond the reorder window ` +
        `of ${blocks(window)}. Raise --reorder-window to ${behind} or more, or ${sortCommand}`,
    );
    this.name = 'BlockOrderError';
    this.block = block;
    this.highestBlock = highest;
    this.reorderWindow = window;
  }
}

/** The files of one export contradict each other (a token transfer of a transaction the block lacks). */
export class InconsistentExportError extends EtlInputError {
  constructor(file: string, line: number, problem: string) {
    super(file, line, problem);
    this.name = 'InconsistentExportError';
  }
}

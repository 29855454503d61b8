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
 * The merge reads each file block by block and holds one block at a time, which only works when every
 * file is sorted by block number (Ethereum-ETL writes them so).
 */
export class BlockOrderError extends EtlInputError {
  constructor(file: string, line: number, block: number, previous: number) {
    super(
      file,
      line,
      `block ${block} comes after block ${previous}: the file must be sorted by block_number ` +
        '(Ethereum-ETL exports are; re-sort a concatenated export by its block_number column)',
    );
    this.name = 'BlockOrderError';
  }
}

/** The files of one export contradict each other (a token transfer of a transaction the block lacks). */
export class InconsistentExportError extends EtlInputError {
  constructor(file: string, line: number, problem: string) {
    super(file, line, problem);
    this.name = 'InconsistentExportError';
  }
}

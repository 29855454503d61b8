import { describe, expect, it } from 'vitest';
import { readCsvBatches } from '../../shared/etl/csv-records.ts';
import { CsvSyntaxError } from '../../shared/etl/errors.ts';

async function* chunksOf(parts: readonly string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function parse(text: string | readonly string[]): Promise<{ records: string[][]; lines: number[] }> {
  const records: string[][] = [];
  const lines: number[] = [];
  for await (const batch of readCsvBatches(chunksOf(typeof text === 'string' ? [text] : text), 'test.csv')) {
    records.push(...batch.records);
    lines.push(...batch.lines);
  }
  return { records, lines };
}

async function parseError(text: string | readonly string[]): Promise<CsvSyntaxError> {
  try {
    await parse(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a CsvSyntaxError');
}

/** Deterministic generator (mulberry32) so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readCsvBatches', () => {
  it('splits plain lines and numbers them from the header', async () => {
    const { records, lines } = await parse('a,b,c\n1,2,3\n4,5,6\n');
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(lines).toEqual([1, 2, 3]);
  });

  it('tolerates CRLF, a missing final line break, a byte order mark and empty lines', async () => {
    const { records, lines } = await parse('\ufeffa,b\r\n1,2\r\n\r\n3,4');
    expect(records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(lines).toEqual([1, 2, 4]);
  });

  it('drops a UTF-8 byte order mark decoded as latin1', async () => {
    const { records } = await parse('\u00ef\u00bb\u00bfhash,value\n');
    expect(records).toEqual([['hash', 'value']]);
  });

  it('reads RFC 4180 quoted fields: commas, doubled quotes, line breaks inside', async () => {
    const text = 'id,trace_address,note\n1,"0,1","say ""hi"""\n2,"","two\nlines"\n3,,x\r\n';
    const { records, lines } = await parse(text);
    expect(records).toEqual([
      ['id', 'trace_address', 'note'],
      ['1', '0,1', 'say "hi"'],
      ['2', '', 'two\nlines'],
      ['3', '', 'x'],
    ]);
    // The record after a quoted line break starts one physical line later.
    expect(lines).toEqual([1, 2, 3, 5]);
  });

  it('reads the same records whatever the chunk boundaries', async () => {
    const text = 'a,b\n"x,""y""",z\r\n"multi\nline",w\nlast,"q"';
    const whole = await parse(text);
    for (let cut = 1; cut < text.length; cut++) {
      const split = await parse([text.slice(0, cut), text.slice(cut)]);
      expect(split, `cut at ${cut}`).toEqual(whole);
    }
    const oneByOne = await parse([...text]);
    expect(oneByOne).toEqual(whole);
  });

  it('round-trips random records written with RFC 4180 quoting, in random chunks', async () => {
    const next = random(20240601);
    const alphabet = ['a', '0', 'x', ',', '"', '\n', '\r\n', ' '];
    for (let round = 0; round < 200; round++) {
      const width = 1 + Math.floor(next() * 5);
      const rows: string[][] = [];
      for (let r = 0; r < 1 + Math.floor(next() * 6); r++) {
        const row: string[] = [];
        for (let f = 0; f < width; f++) {
          let field = '';
          for (let n = Math.floor(next() * 6); n > 0; n--)
            field += alphabet[Math.floor(next() * alphabet.length)];
          row.push(field);
        }
        // An all-empty one-column row is an empty line, which the reader skips by design.
        if (row.join('') === '' && width === 1) row[0] = 'e';
        rows.push(row);
      }
      const text = rows
        .map((row) =>
          row
            .map((field) =>
              /[",\r\n]/.test(field) || next() < 0.2 ? `"${field.replace(/"/g, '""')}"` : field,
            )
            .join(','),
        )
        .join(next() < 0.5 ? '\n' : '\r\n');
      const parts: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(next() * 7);
        parts.push(text.slice(at, at + size));
        at += size;
      }
      const { records } = await parse(parts);
      expect(records, JSON.stringify(text)).toEqual(rows);
    }
  });

  it('reports an unterminated quote at the line where the record starts', async () => {
    const error = await parseError('a,b\n1,2\n3,"open\nstill open\n');
    expect(error.file).toBe('test.csv');
    expect(error.line).toBe(3);
    expect(error.message).toBe('test.csv:3: unterminated quoted field');
  });

  it('refuses a quote inside an unquoted field', async () => {
    const error = await parseError('a,b\n1,2"x"\n');
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/quote inside unquoted field 2/);
  });

  it('refuses text after a closing quote', async () => {
    const error = await parseError('a,b\n"1"x,2\n');
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/after a closing quote/);
  });
});

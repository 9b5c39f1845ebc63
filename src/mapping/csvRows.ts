import Papa from 'papaparse';

/** A data row of a CSV file, with the line it is on (for file:line messages). */
export interface CsvRow {
  record: Record<string, string>;
  line: number;
}

/** A CSV file's rows and its header's columns (none known when it has no data rows). */
export interface CsvRows {
  rows: CsvRow[];
  columns?: string[];
}

/** Why a CSV file cannot be read, and where. */
export interface CsvProblem {
  line: number;
  message: string;
}

const newlinesIn = (text: string, from: number, to: number): number => {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
};

/**
 * Reads a CSV file as the hub's lookup files are written (mapping lookups, the stock lookups, the
 * registration price list): a header row naming the columns, `#` comments and blank lines
 * skipped, values trimmed. Each row has the line it starts on; a row with more or fewer fields than
 * the header, a broken quote, or a quote after a space (which CSV reads as part of the value), is a
 * problem at its line.
 */
export function csvRows(text: string): CsvRows | CsvProblem {
  let header: string[] | undefined;
  const rows: CsvRow[] = [];
  let problem: CsvProblem | undefined;
  // Lines are counted as the parser goes: the line its last row ended on, and where that was.
  let counted = 0;
  let linesBefore = 0;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    comments: '#',
    skipEmptyLines: true,
    step: (result, parser) => {
      const end = result.meta.cursor;
      const fields = result.data.map((value) => value.trim());
      const breaksInside = result.data.reduce((sum, value) => sum + newlinesIn(value, 0, value.length), 0);
      // The row ends at its line break: what comes before it says which line it ends on.
      const rowEnd = text[end - 1] === '\n' ? end - 1 : end;
      linesBefore += newlinesIn(text, counted, rowEnd);
      counted = rowEnd;
      const line = 1 + linesBefore - breaksInside;
      const [error] = result.errors;
      if (error !== undefined) {
        // Where the parser stopped (an open quote's own line), else the row's.
        const at = error.index === undefined ? line : 1 + newlinesIn(text, 0, error.index);
        problem = { line: at, message: `not valid CSV: ${error.message.toLowerCase()}` };
      } else if (result.data.some((value) => /^\s+"/.test(value)))
        problem = { line, message: 'not valid CSV: a quoted value starts with its quote, right after the comma (no space before it)' };
      else if (fields.length === 1 && fields[0] === '')
        return; // a line of blanks only
      else if (header === undefined) header = fields;
      else if (fields.length !== header.length)
        problem = { line, message: `not valid CSV: ${fields.length} fields where the header has ${header.length}` };
      else rows.push({ record: Object.fromEntries(header.map((column, i) => [column, fields[i] ?? ''])), line });
      if (problem !== undefined) parser.abort();
    },
  });
  if (problem !== undefined) return problem;
  return { rows, ...(header === undefined || rows.length === 0 ? {} : { columns: header }) };
}

export function isCsvProblem(read: CsvRows | CsvProblem): read is CsvProblem {
  return 'message' in read;
}

/** The columns of `wanted` the file's header lacks (none when its columns are not known). */
export function missingColumns(read: CsvRows, wanted: readonly string[]): string[] {
  const { columns } = read;
  return columns === undefined ? [] : wanted.filter((c) => !columns.includes(c));
}

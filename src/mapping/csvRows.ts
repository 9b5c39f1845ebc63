import { parse } from 'csv-parse/sync';

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

/**
 * Reads a CSV file as the hub's lookup files are written (mapping lookups, the stock lookups, the
 * registration price list): a header row naming the columns, `#` comments and blank lines
 * skipped, values trimmed.
 */
export function csvRows(text: string): CsvRows | CsvProblem {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, trim: true, comment: '#' });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    return { line: lines ?? 1, message: `not valid CSV: ${message}` };
  }
  const first = records[0]?.record;
  return {
    rows: records.map(({ record, info }) => ({ record, line: info.lines })),
    ...(first === undefined ? {} : { columns: Object.keys(first) }),
  };
}

export function isCsvProblem(read: CsvRows | CsvProblem): read is CsvProblem {
  return 'message' in read;
}

/** The columns of `wanted` the file's header lacks (none when its columns are not known). */
export function missingColumns(read: CsvRows, wanted: readonly string[]): string[] {
  const { columns } = read;
  return columns === undefined ? [] : wanted.filter((c) => !columns.includes(c));
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** A CSV table of mappings/lookups as key → value, read once for the alternatives to the mapping file. */
export function lookupTable(file: string, key: string, value: string): Map<string, string> {
  const rows = parse<Record<string, string>>(readFileSync(path.join('mappings', 'lookups', file), 'utf8'), {
    columns: true,
    comment: '#',
    skip_empty_lines: true,
    trim: true,
  });
  return new Map(rows.map((row) => [row[key] ?? '', row[value] ?? '']));
}

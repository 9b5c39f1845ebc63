import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvRows, isCsvProblem } from '../../src/mapping/csvRows';

/** A CSV table of mappings/lookups as key → value, read once for the alternatives to the mapping file. */
export function lookupTable(file: string, key: string, value: string): Map<string, string> {
  const read = csvRows(readFileSync(path.join('mappings', 'lookups', file), 'utf8'));
  if (isCsvProblem(read)) throw new Error(`mappings/lookups/${file}:${read.line}: ${read.message}`);
  return new Map(read.rows.map(({ record }) => [record[key] ?? '', record[value] ?? '']));
}

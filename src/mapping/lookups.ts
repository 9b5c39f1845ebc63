import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { csvRows, isCsvProblem, missingColumns } from './csvRows';
import type { Node } from 'yaml';
import { ErrorCodes, type MappingErrorCode } from '../domain/errorCodes';
import { text } from './expression/values';
import { MappingRunError } from './MappingRunError';
import { asMap, scalarValue, type YamlSource } from './yamlSource';

/**
 * What a lookup does with a key it does not hold: `error` (the default) a permanent error with its
 * code; `default` a value instead; `keep` the key itself; `omit` leaves the field out.
 */
export type MissingKey =
  { kind: 'error'; code: MappingErrorCode } | { kind: 'default'; value: unknown } | { kind: 'keep' } | { kind: 'omit' };

export interface LookupTable {
  name: string;
  /** Where its entries come from: `inline`, or the CSV file. */
  origin: string;
  entries: ReadonlyMap<string, unknown>;
  missing: MissingKey;
}

const LOOKUP_KEYS = ['values', 'csv', 'key', 'value', 'missing'] as const;

/** Reads one entry of `lookups:`: inline `values`, or a `csv` file with `key` and `value` columns. */
export function readLookup(
  source: YamlSource,
  name: string,
  node: Node | null,
  mappingDir: string,
  onRead: (text: string) => void = () => undefined,
): LookupTable | undefined {
  const field = `lookups.${name}`;
  const map = asMap(node);
  if (map === undefined) {
    source.problem(node, 'a lookup needs values: or csv:', { field });
    return undefined;
  }
  const entries = source.entries(map, `lookup '${name}'`, LOOKUP_KEYS, field);
  const missing = readMissing(source, entries.get('missing')?.value ?? null, field);
  const values = entries.get('values');
  const csv = entries.get('csv');
  if ((values === undefined) === (csv === undefined)) {
    source.problem(map, 'a lookup needs exactly one of values: (inline) and csv: (a file)', { field });
    return undefined;
  }
  if (missing === undefined) return undefined;
  if (values !== undefined) {
    const inline = asMap(values.value);
    if (inline === undefined) {
      source.problem(values.value ?? values.key, 'values: must map each key to its value', { field });
      return undefined;
    }
    const table = new Map<string, unknown>();
    for (const [key, pair] of source.entries(inline, `lookup '${name}'`, undefined, field)) {
      const value = scalarValue(pair.value);
      if (value === undefined) source.problem(pair.value ?? pair.key, `the value of '${key}' must be a single value`, { field });
      else table.set(key, value.value);
    }
    return { name, origin: 'inline', entries: table, missing };
  }
  return csv === undefined ? undefined : readCsvLookup(source, name, entries, mappingDir, missing, field, csv.value, onRead);
}

function readMissing(source: YamlSource, node: Node | null, field: string): MissingKey | undefined {
  if (node === null) return { kind: 'error', code: ErrorCodes.MAPPING_LOOKUP_MISSING };
  const scalar = scalarValue(node);
  if (scalar?.value === 'error') return { kind: 'error', code: ErrorCodes.MAPPING_LOOKUP_MISSING };
  if (scalar?.value === 'keep') return { kind: 'keep' };
  if (scalar?.value === 'omit') return { kind: 'omit' };
  const map = asMap(node);
  if (map !== undefined && map.items.length === 1) {
    const entries = source.entries(map, 'missing', ['error', 'default'], field);
    const error = entries.get('error');
    if (error !== undefined) {
      const code = scalarValue(error.value)?.value;
      if (typeof code === 'string' && /^MAPPING\.[A-Z_]+$/.test(code)) return { kind: 'error', code: code as MappingErrorCode };
      source.problem(
        error.value ?? error.key,
        'the code of a missing key must look like MAPPING.SOMETHING (for example MAPPING.UNKNOWN_SKU)',
        { field },
      );
      return undefined;
    }
    const fallback = entries.get('default');
    if (fallback !== undefined) {
      const value = scalarValue(fallback.value);
      if (value !== undefined) return { kind: 'default', value: value.value };
      source.problem(fallback.value ?? fallback.key, 'default: must be a single value', { field });
      return undefined;
    }
    return undefined;
  }
  source.problem(node, 'missing: must be error, keep, omit, { error: MAPPING.CODE } or { default: value }', { field });
  return undefined;
}

function readCsvLookup(
  source: YamlSource,
  name: string,
  entries: Map<string, { key: Node; value: Node | null }>,
  mappingDir: string,
  missing: MissingKey,
  field: string,
  csvNode: Node | null,
  onRead: (text: string) => void,
): LookupTable | undefined {
  const file = scalarValue(csvNode)?.value;
  const keyColumn = scalarValue(entries.get('key')?.value)?.value;
  const valueColumn = scalarValue(entries.get('value')?.value)?.value;
  if (typeof file !== 'string' || typeof keyColumn !== 'string' || typeof valueColumn !== 'string') {
    source.problem(csvNode, 'a CSV lookup needs csv: (the file), key: and value: (its column names)', { field });
    return undefined;
  }
  const fullPath = path.resolve(mappingDir, file);
  const shownPath = path.join(path.dirname(source.file), file);
  if (!existsSync(fullPath)) {
    source.problem(csvNode, `no file ${shownPath}`, { field });
    return undefined;
  }
  const text = readFileSync(fullPath, 'utf8');
  onRead(text);
  const read = csvRows(text);
  if (isCsvProblem(read)) {
    source.problems.push({ file: shownPath, line: read.line, column: 1, field, message: read.message });
    return undefined;
  }
  const [absent] = missingColumns(read, [keyColumn, valueColumn]);
  if (absent !== undefined) {
    source.problems.push({
      file: shownPath,
      line: 1,
      column: 1,
      field,
      message: `no column '${absent}' (columns: ${(read.columns ?? []).join(', ')})`,
    });
    return undefined;
  }
  const table = new Map<string, unknown>();
  const firstLine = new Map<string, number>();
  for (const { record, line } of read.rows) {
    const key = record[keyColumn] ?? '';
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      source.problems.push({
        file: shownPath,
        line,
        column: 1,
        field,
        message: `duplicate key '${key}' (first at line ${seen})`,
      });
      continue;
    }
    firstLine.set(key, line);
    table.set(key, record[valueColumn]);
  }
  return { name, origin: shownPath, entries: table, missing };
}

/** The function `lookup('name', key)` calls: the value, or what `missing:` says. */
export function lookupIn(table: LookupTable): (key: unknown, field: string) => unknown {
  const { entries, missing, name, origin } = table;
  return (key, field) => {
    if (key === undefined || key === null) return undefined;
    const wanted = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : text(key);
    const value = entries.get(wanted);
    if (value !== undefined) return value;
    switch (missing.kind) {
      case 'default':
        return missing.value;
      case 'keep':
        return key;
      case 'omit':
        return undefined;
      case 'error':
        throw new MappingRunError(missing.code, `'${wanted}' is not in lookup table '${name}' (${origin})`, field);
    }
  };
}

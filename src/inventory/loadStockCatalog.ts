import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { csvRows, isCsvProblem, missingColumns } from '../mapping/csvRows';

/**
 * What stock sync needs from the lookups integration engineers edit, beside the order mappings:
 * ERP item ↔ shop SKU (`sku-items.csv`), ERP location ↔ shop location (`locations.csv`), and
 * the safety stock kept back (`safety-stock.csv`, optional). Each pairing must hold both ways: a
 * SKU on two items, an item on two SKUs, a location mapped twice, stops the app with file:line.
 */
export interface StockCatalog {
  skuOf(itemNo: string): string | undefined;
  itemOf(sku: string): string | undefined;
  shopLocationOf(erpLocation: string): string | undefined;
  erpLocationOf(shopLocation: string): string | undefined;
  /** Units kept back of an item at an ERP location: the most specific row (item and location, item, location), else 0. */
  safetyStock(itemNo: string, erpLocation: string): number;
  /** Every (item, ERP location) pair the shop sells. */
  readonly pairs: readonly { itemNo: string; sku: string; erpLocation: string; shopLocation: string }[];
}

export class StockCatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`the stock lookups cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'StockCatalogError';
  }
}

interface Row {
  record: Record<string, string>;
  at: string;
}

function readRows(file: string, shown: string, columns: readonly string[], problems: string[]): Row[] {
  if (!existsSync(file)) {
    problems.push(`${shown}: no such file`);
    return [];
  }
  const read = csvRows(readFileSync(file, 'utf8'));
  if (isCsvProblem(read)) {
    problems.push(`${shown}:${read.line}: ${read.message}`);
    return [];
  }
  const missing = missingColumns(read, columns);
  if (missing.length > 0) {
    problems.push(`${shown}:1: no column ${missing.join(', ')} (columns: ${(read.columns ?? []).join(', ')})`);
    return [];
  }
  return read.rows.map(({ record, line }) => ({ record, at: `${shown}:${line}` }));
}

/** A one-to-one pairing read from two columns: each value on each side at most once. */
function pairing(
  rows: Row[],
  left: string,
  right: string,
  what: string,
  problems: string[],
): { there: Map<string, string>; back: Map<string, string> } {
  const there = new Map<string, string>();
  const back = new Map<string, string>();
  const lineOf = new Map<string, string>();
  for (const { record, at } of rows) {
    const a = record[left] ?? '';
    const b = record[right] ?? '';
    if (a === '' || b === '') {
      problems.push(`${at}: ${a === '' ? left : right} is empty`);
      continue;
    }
    if (there.has(a)) problems.push(`${at}: ${left} '${a}' is on two ${what}s ('${there.get(a)}' at ${lineOf.get(`l:${a}`)}, '${b}' here)`);
    else if (back.has(b))
      problems.push(`${at}: ${right} '${b}' is on two ${what}s ('${back.get(b)}' at ${lineOf.get(`r:${b}`)}, '${a}' here)`);
    else {
      there.set(a, b);
      back.set(b, a);
      lineOf.set(`l:${a}`, at);
      lineOf.set(`r:${b}`, at);
    }
  }
  return { there, back };
}

export function loadStockCatalog(mappingsDir: string, shownDir: string = mappingsDir): StockCatalog {
  const problems: string[] = [];
  const file = (name: string): [string, string] => [path.join(mappingsDir, 'lookups', name), path.join(shownDir, 'lookups', name)];
  const items = pairing(readRows(...file('sku-items.csv'), ['sku', 'itemNo'], problems), 'sku', 'itemNo', 'pairing', problems);
  const locations = pairing(
    readRows(...file('locations.csv'), ['erpLocation', 'shopLocation'], problems),
    'erpLocation',
    'shopLocation',
    'pairing',
    problems,
  );
  const safety = new Map<string, number>();
  const [safetyFile, safetyShown] = file('safety-stock.csv');
  if (existsSync(safetyFile))
    for (const { record, at } of readRows(safetyFile, safetyShown, ['itemNo', 'location', 'units'], problems)) {
      const itemNo = record.itemNo === '' ? '*' : (record.itemNo ?? '*');
      const location = record.location === '' ? '*' : (record.location ?? '*');
      const units = Number(record.units);
      if (record.units === '' || !Number.isInteger(units) || units < 0)
        problems.push(`${at}: units '${record.units}' is not a whole number, 0 or more`);
      else if (itemNo !== '*' && !items.back.has(itemNo)) problems.push(`${at}: item '${itemNo}' is not in sku-items.csv`);
      else if (location !== '*' && !locations.there.has(location)) problems.push(`${at}: location '${location}' is not in locations.csv`);
      else if (safety.has(`${itemNo}|${location}`)) problems.push(`${at}: item '${itemNo}' at '${location}' is there twice`);
      else safety.set(`${itemNo}|${location}`, units);
    }
  if (problems.length > 0) throw new StockCatalogError(problems);
  const pairs = [...items.there].flatMap(([sku, itemNo]) =>
    [...locations.there].map(([erpLocation, shopLocation]) => ({ itemNo, sku, erpLocation, shopLocation })),
  );
  return {
    skuOf: (itemNo) => items.back.get(itemNo),
    itemOf: (sku) => items.there.get(sku),
    shopLocationOf: (erpLocation) => locations.there.get(erpLocation),
    erpLocationOf: (shopLocation) => locations.back.get(shopLocation),
    safetyStock: (itemNo, erpLocation) =>
      safety.get(`${itemNo}|${erpLocation}`) ?? safety.get(`${itemNo}|*`) ?? safety.get(`*|${erpLocation}`) ?? 0,
    pairs,
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { PriceListEntry } from '../domain/registration';

/** A price list that cannot be used, with every problem at its line. */
export class PriceListError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the price list could not be loaded:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'PriceListError';
  }
}

const COLUMNS = ['code', 'description', 'unitPrice', 'currency'] as const;

/**
 * The registration price list (CSV: code, description, unitPrice, currency). Checked whole at
 * start: a missing column, a duplicate code, a price that is not a number or a currency that is not
 * a code stops the host with the file and line.
 */
export function loadPriceList(file: string, shownFile: string = file): Map<string, PriceListEntry> {
  if (!existsSync(file)) throw new PriceListError([`${shownFile}: no such file`]);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(readFileSync(file, 'utf8'), { columns: true, info: true, skip_empty_lines: true, trim: true, comment: '#' });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    throw new PriceListError([`${shownFile}:${lines ?? 1}: not valid CSV: ${message}`]);
  }
  const problems: string[] = [];
  const first = records[0]?.record ?? {};
  const missing = COLUMNS.filter((c) => !(c in first));
  if (missing.length > 0)
    throw new PriceListError([`${shownFile}:1: no column ${missing.join(', ')} (columns: ${Object.keys(first).join(', ')})`]);
  const prices = new Map<string, PriceListEntry>();
  const lineOf = new Map<string, number>();
  for (const { record, info } of records) {
    const at = `${shownFile}:${info.lines}`;
    const code = record.code ?? '';
    const unitPrice = Number(record.unitPrice);
    const currency = record.currency ?? '';
    if (code === '') problems.push(`${at}: code is empty`);
    else if (lineOf.has(code)) problems.push(`${at}: duplicate code '${code}' (first at line ${lineOf.get(code)})`);
    if (record.unitPrice === '' || !Number.isFinite(unitPrice) || unitPrice < 0)
      problems.push(`${at}: unitPrice '${record.unitPrice}' is not a price`);
    if (!/^[A-Z]{3}$/.test(currency)) problems.push(`${at}: currency '${currency}' is not an ISO code such as EUR`);
    if (code !== '' && !lineOf.has(code)) lineOf.set(code, info.lines);
    prices.set(code, { code, description: record.description ?? '', unitPrice, currency });
  }
  if (problems.length > 0) throw new PriceListError(problems);
  return prices;
}

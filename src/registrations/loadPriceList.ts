import { existsSync, readFileSync } from 'node:fs';
import { csvRows, isCsvProblem, missingColumns } from '../mapping/csvRows';
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
  const read = csvRows(readFileSync(file, 'utf8'));
  if (isCsvProblem(read)) throw new PriceListError([`${shownFile}:${read.line}: ${read.message}`]);
  const problems: string[] = [];
  // A price list of a header alone has nothing to sell: every column counts as missing.
  const missing = read.columns === undefined ? [...COLUMNS] : missingColumns(read, COLUMNS);
  if (missing.length > 0)
    throw new PriceListError([`${shownFile}:1: no column ${missing.join(', ')} (columns: ${(read.columns ?? []).join(', ')})`]);
  const prices = new Map<string, PriceListEntry>();
  const lineOf = new Map<string, number>();
  for (const { record, line } of read.rows) {
    const at = `${shownFile}:${line}`;
    const code = record.code ?? '';
    const unitPrice = Number(record.unitPrice);
    const currency = record.currency ?? '';
    if (code === '') problems.push(`${at}: code is empty`);
    else if (lineOf.has(code)) problems.push(`${at}: duplicate code '${code}' (first at line ${lineOf.get(code)})`);
    if (record.unitPrice === '' || !Number.isFinite(unitPrice) || unitPrice < 0)
      problems.push(`${at}: unitPrice '${record.unitPrice}' is not a price`);
    if (!/^[A-Z]{3}$/.test(currency)) problems.push(`${at}: currency '${currency}' is not an ISO code such as EUR`);
    if (code !== '' && !lineOf.has(code)) lineOf.set(code, line);
    prices.set(code, { code, description: record.description ?? '', unitPrice, currency });
  }
  if (problems.length > 0) throw new PriceListError(problems);
  return prices;
}

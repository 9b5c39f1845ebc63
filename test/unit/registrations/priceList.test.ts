import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPriceList, PriceListError } from '../../../src/registrations/loadPriceList';

function load(text: string): Map<string, unknown> | PriceListError {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-prices-'));
  try {
    writeFileSync(path.join(dir, 'p.csv'), text);
    return loadPriceList(path.join(dir, 'p.csv'), 'prices/p.csv');
  } catch (error) {
    if (error instanceof PriceListError) return error;
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the registration price list', () => {
  it('loads the project price list', () => {
    expect(loadPriceList(path.join(__dirname, '..', '..', '..', 'prices', 'registrations.csv')).get('WS-BREAD')).toEqual({
      code: 'WS-BREAD',
      description: 'Sourdough workshop, Saturday 12 December',
      unitPrice: 45,
      currency: 'EUR',
    });
  });

  it('refuses a duplicate code, a price that is not one and a currency that is not a code, each at its line', () => {
    const error = load('code,description,unitPrice,currency\nA,One,1.00,EUR\nA,Again,2.00,EUR\nB,Two,free,EUR\nC,Three,3,euro\n');
    expect(error).toBeInstanceOf(PriceListError);
    expect((error as PriceListError).problems).toEqual([
      "prices/p.csv:3: duplicate code 'A' (first at line 2)",
      "prices/p.csv:4: unitPrice 'free' is not a price",
      "prices/p.csv:5: currency 'euro' is not an ISO code such as EUR",
    ]);
  });

  it('names a missing column', () => {
    expect((load('code,description,price,currency\nA,One,1,EUR\n') as PriceListError).problems).toEqual([
      'prices/p.csv:1: no column unitPrice (columns: code, description, price, currency)',
    ]);
  });
});

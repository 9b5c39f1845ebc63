import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadStockCatalog, StockCatalogError } from '../../../src/inventory/loadStockCatalog';

describe('the stock lookups (sku-items.csv, locations.csv, safety-stock.csv)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stock-catalog-'));
    cpSync(path.resolve('mappings', 'lookups'), path.join(dir, 'lookups'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): void => writeFileSync(path.join(dir, 'lookups', name), text);
  const problemsOf = (): string[] => {
    try {
      loadStockCatalog(dir, 'mappings');
    } catch (error) {
      if (error instanceof StockCatalogError) return error.problems;
      throw error;
    }
    return [];
  };

  it('pairs items with SKUs and ERP locations with shop locations, both ways', () => {
    const catalog = loadStockCatalog(dir);
    expect(catalog.skuOf('10030')).toBe('MUG-LOGO');
    expect(catalog.itemOf('MUG-LOGO')).toBe('10030');
    expect(catalog.shopLocationOf('EAST')).toBe('east');
    expect(catalog.erpLocationOf('main')).toBe('MAIN');
    expect(catalog.pairs).toHaveLength(16);
    expect(catalog.safetyStock('10030', 'MAIN')).toBe(0);
  });

  it('refuses an item on two SKUs, naming file and line', () => {
    write('sku-items.csv', 'sku,itemNo\nMUG-LOGO,10030\nMUG-BLUE,10030\n');
    expect(problemsOf()).toEqual([expect.stringMatching(/^mappings\/lookups\/sku-items\.csv:3: itemNo '10030' is on two pairings/)]);
  });

  it('refuses a location mapped twice, naming file and line', () => {
    write('locations.csv', 'erpLocation,shopLocation\nMAIN,main\nEAST,east\nMAIN,outlet\n');
    expect(problemsOf()).toEqual([expect.stringMatching(/^mappings\/lookups\/locations\.csv:4: erpLocation 'MAIN' is on two pairings/)]);
  });

  it('takes the most specific safety stock: item and location, then item, then location', () => {
    write('safety-stock.csv', 'itemNo,location,units\n10030,EAST,5\n10030,,2\n,MAIN,1\n');
    const catalog = loadStockCatalog(dir);
    expect(catalog.safetyStock('10030', 'EAST')).toBe(5);
    expect(catalog.safetyStock('10030', 'MAIN')).toBe(2);
    expect(catalog.safetyStock('10020', 'MAIN')).toBe(1);
    expect(catalog.safetyStock('10020', 'EAST')).toBe(0);
  });

  it('refuses safety stock it cannot use, each with its line', () => {
    write('safety-stock.csv', 'itemNo,location,units\n10030,EAST,-1\n99999,,2\n10020,WEST,1\n10020,MAIN,1\n10020,MAIN,3\n');
    expect(problemsOf()).toEqual([
      "mappings/lookups/safety-stock.csv:2: units '-1' is not a whole number, 0 or more",
      "mappings/lookups/safety-stock.csv:3: item '99999' is not in sku-items.csv",
      "mappings/lookups/safety-stock.csv:4: location 'WEST' is not in locations.csv",
      "mappings/lookups/safety-stock.csv:6: item '10020' at 'MAIN' is there twice",
    ]);
  });
});

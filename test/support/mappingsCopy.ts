import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAPPINGS_DIR } from './mappings';

/** The ERP sales order mapping, whose items lookup a new product needs a row in. */
const SALES_ORDER_MAPPING = 'canonical-to-erp-sales-order.yaml';

/**
 * A copy of the project's mapping files for one test file to change as an integration engineer
 * would: made before its tests, removed after.
 */
export function copyOfMappings(): {
  dir: string;
  versionOfSalesOrderMapping: () => number;
  addItem: (sku: string, itemNo: string) => number;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-mappings-'));
  beforeAll(() => cpSync(MAPPINGS_DIR, dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, SALES_ORDER_MAPPING);
  const versionOfSalesOrderMapping = (): number => Number(/^version: (\d+)$/m.exec(readFileSync(file, 'utf8'))?.[1]);
  return {
    dir,
    versionOfSalesOrderMapping,
    /** Adds the SKU's row to the items lookup and raises the mapping's version; answers the new version. */
    addItem(sku, itemNo) {
      appendFileSync(path.join(dir, 'lookups', 'sku-items.csv'), `${sku},${itemNo}\n`);
      const version = versionOfSalesOrderMapping();
      writeFileSync(file, readFileSync(file, 'utf8').replace(`version: ${version}`, `version: ${version + 1}`));
      return version + 1;
    },
  };
}

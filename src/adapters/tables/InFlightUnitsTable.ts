import { stockKey, type ShopOrderUnits } from '../../domain/shopOrderUnits';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { StorageAccount } from '../storageAccount';
import { isNotFound, openTable, TableNames, tableKey, type OpenedTable } from './openTable';

/** One partition: the orders in flight at any moment are few, and a stock run reads them all at once. */
const PARTITION = 'inflight';

/** The `inflightorders` table: one row per shop order received and not yet held by the ERP, with its units. */
export class InFlightUnitsTable implements InFlightUnitsPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.IN_FLIGHT_ORDERS);
  }

  async hold(orderId: string, units: readonly ShopOrderUnits[]): Promise<void> {
    if (units.length === 0) return;
    const client = await this.table.client();
    await client.upsertEntity({ partitionKey: PARTITION, rowKey: tableKey(orderId), orderId, units: JSON.stringify(units) }, 'Replace');
  }

  async release(orderId: string): Promise<void> {
    const client = await this.table.client();
    try {
      await client.deleteEntity(PARTITION, tableKey(orderId));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async totals(): Promise<Map<string, number>> {
    const client = await this.table.client();
    const totals = new Map<string, number>();
    const rows = client.listEntities<{ units?: string }>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select: ['units'] } });
    for await (const row of rows)
      for (const unit of JSON.parse(row.units ?? '[]') as ShopOrderUnits[]) {
        const key = stockKey(unit.sku, unit.location);
        totals.set(key, (totals.get(key) ?? 0) + unit.quantity);
      }
    return totals;
  }
}

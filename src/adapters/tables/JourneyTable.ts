import { randomBytes } from 'node:crypto';
import type { JourneyOutcome, JourneyPort, JourneyStep } from '../../ports/JourneyPort';
import type { StorageAccount } from '../storageAccount';
import { dataTablesSdk, openTable, TableNames, type OpenedTable } from './openTable';

/** The `journeys` table: PartitionKey = ECP order id, RowKey = time + random suffix, so rows read in order. */
export class JourneyTable implements JourneyPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.JOURNEYS);
  }

  async record(step: JourneyStep): Promise<void> {
    const client = await this.table.client();
    const { orderId, ...fields } = step;
    await client.createEntity({
      partitionKey: orderId,
      rowKey: `${step.at}~${randomBytes(4).toString('hex')}`,
      ...fields,
    });
  }

  async read(orderId: string): Promise<JourneyStep[]> {
    const client = await this.table.client();
    const { odata } = await dataTablesSdk();
    const steps: JourneyStep[] = [];
    const rows = client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${orderId}` } });
    for await (const row of rows) {
      steps.push({
        orderId,
        at: String(row.at),
        function: String(row.function),
        step: String(row.step),
        attempt: Number(row.attempt),
        outcome: row.outcome as JourneyOutcome,
        ...(typeof row.code === 'string' ? { code: row.code } : {}),
        ...(typeof row.detail === 'string' ? { detail: row.detail } : {}),
        ...(typeof row.correlationId === 'string' ? { correlationId: row.correlationId } : {}),
        ...(typeof row.erpOrderId === 'string' ? { erpOrderId: row.erpOrderId } : {}),
        ...(typeof row.mappings === 'string' ? { mappings: row.mappings } : {}),
      });
    }
    return steps.sort((a, b) => a.at.localeCompare(b.at));
  }
}

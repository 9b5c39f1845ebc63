import type { StorageAccount } from '../storageAccount';
import { dataTablesSdk, newestFirstKey, openTable, TableNames, type OpenedTable } from './openTable';

const PARTITION = 'jobs';

/**
 * The `replayjobs` table: the id of every replay job, newest first. The Durable task hub holds the
 * jobs themselves, among every other orchestration (a confirmation per order): this is how the
 * jobs are listed without reading those.
 */
export class ReplayJobTable {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.REPLAY_JOBS);
  }

  async add(jobId: string, createdAt: Date): Promise<void> {
    const client = await this.table.client();
    await client.upsertEntity({ partitionKey: PARTITION, rowKey: `${newestFirstKey(createdAt.toISOString())}~${jobId}`, jobId }, 'Replace');
  }

  /** The ids of the jobs created since then, newest first, at most `limit`. */
  async since(since: Date, limit: number): Promise<string[]> {
    const client = await this.table.client();
    const { odata } = await dataTablesSdk();
    const ids: string[] = [];
    const rows = client.listEntities<{ jobId: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and RowKey lt ${`${newestFirstKey(since.toISOString())}~`}` },
    });
    for await (const row of rows) {
      ids.push(row.jobId);
      if (ids.length >= limit) break;
    }
    return ids;
  }
}

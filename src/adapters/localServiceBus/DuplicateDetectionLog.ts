import { odata, RestError } from '@azure/data-tables';
import { openTable, tableKey, type OpenedTable } from '../tables/openTable';

/** The table the stand-in keeps message ids in. */
const TABLE_NAME = 'localbusduplicates';

interface SeenRow {
  queueMessageId: string;
  firstSeenAt: string;
}

/**
 * Service Bus duplicate detection for the stand-in: the first message id within the window wins;
 * later messages with that id are dropped, whether they arrive at send time or at receive time.
 */
export class DuplicateDetectionLog {
  private readonly table: OpenedTable;

  constructor(
    storageConnectionString: string,
    private readonly windowMs: number,
  ) {
    this.table = openTable(storageConnectionString, TABLE_NAME);
  }

  /** The queue message that first carried `messageId` within the window, if any. */
  async firstCarrier(queue: string, messageId: string): Promise<string | undefined> {
    await this.table.ready;
    try {
      const row = await this.table.client.getEntity<SeenRow>(queue, tableKey(messageId));
      return Date.now() - Date.parse(row.firstSeenAt) <= this.windowMs ? row.queueMessageId : undefined;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Records `queueMessageId` as the carrier of `messageId` unless another got there first; returns the winner. */
  async claim(queue: string, messageId: string, queueMessageId: string): Promise<string> {
    await this.table.ready;
    const entity = { partitionKey: queue, rowKey: tableKey(messageId), queueMessageId, firstSeenAt: new Date().toISOString() };
    try {
      await this.table.client.createEntity(entity);
      return queueMessageId;
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    }
    const existing = await this.firstCarrier(queue, messageId);
    if (existing !== undefined) return existing;
    await this.table.client.upsertEntity(entity, 'Replace'); // the earlier one is outside the window
    return queueMessageId;
  }

  /** Forgets ids older than the window. */
  async prune(queue: string): Promise<void> {
    await this.table.ready;
    const cutoff = new Date(Date.now() - this.windowMs).toISOString();
    const rows = this.table.client.listEntities<SeenRow>({
      queryOptions: { filter: odata`PartitionKey eq ${queue} and firstSeenAt lt ${cutoff}` },
    });
    for await (const row of rows) await this.table.client.deleteEntity(queue, row.rowKey ?? '').catch(() => undefined);
  }
}

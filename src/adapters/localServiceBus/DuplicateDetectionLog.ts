import { odata, RestError, TableClient } from '@azure/data-tables';

interface SeenRow {
  queueMessageId: string;
  firstSeenAt: string;
}

/**
 * Service Bus duplicate detection for the stand-in: the first message id within the window wins;
 * later messages with that id are dropped, whether they arrive at send time or at receive time.
 */
export class DuplicateDetectionLog {
  private readonly ready: Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly windowMs: number,
  ) {
    this.ready = table.createTable().catch((error: unknown) => {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    });
  }

  /** The queue message that first carried `messageId` within the window, if any. */
  async firstCarrier(queue: string, messageId: string): Promise<string | undefined> {
    await this.ready;
    try {
      const row = await this.table.getEntity<SeenRow>(queue, rowKey(messageId));
      return Date.now() - Date.parse(row.firstSeenAt) <= this.windowMs ? row.queueMessageId : undefined;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Records `queueMessageId` as the carrier of `messageId` unless another got there first; returns the winner. */
  async claim(queue: string, messageId: string, queueMessageId: string): Promise<string> {
    await this.ready;
    const entity = { partitionKey: queue, rowKey: rowKey(messageId), queueMessageId, firstSeenAt: new Date().toISOString() };
    try {
      await this.table.createEntity(entity);
      return queueMessageId;
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    }
    const existing = await this.firstCarrier(queue, messageId);
    if (existing !== undefined) return existing;
    await this.table.upsertEntity(entity, 'Replace'); // the earlier one is outside the window
    return queueMessageId;
  }

  /** Forgets ids older than the window. */
  async prune(queue: string): Promise<void> {
    await this.ready;
    const cutoff = new Date(Date.now() - this.windowMs).toISOString();
    const rows = this.table.listEntities<SeenRow>({ queryOptions: { filter: odata`PartitionKey eq ${queue} and firstSeenAt lt ${cutoff}` } });
    for await (const row of rows) await this.table.deleteEntity(queue, row.rowKey ?? '').catch(() => undefined);
  }
}

/** Table keys may not hold / \ # ? or control characters. */
function rowKey(messageId: string): string {
  return Buffer.from(messageId, 'utf8').toString('base64url');
}

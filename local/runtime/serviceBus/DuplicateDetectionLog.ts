import { odata, RestError, TableClient } from '@azure/data-tables';

/** The table the local namespace keeps message ids in. */
const TABLE_NAME = 'localbusduplicates';

interface SeenRow {
  queueMessageId: string;
  firstSeenAt: string;
}

/** Any text as a table key: keys may not hold / \ # ? or control characters. */
const rowKeyOf = (messageId: string): string => Buffer.from(messageId, 'utf8').toString('base64url');

/**
 * Service Bus duplicate detection for the local namespace: the first message id within the window
 * wins; later messages with that id are dropped, whether they arrive at send time or at receive time.
 */
export class DuplicateDetectionLog {
  private readonly table: TableClient;
  private ready: Promise<void> | undefined;

  constructor(storageConnectionString: string) {
    this.table = TableClient.fromConnectionString(storageConnectionString, TABLE_NAME, { allowInsecureConnection: true });
  }

  /** The queue message that first carried `messageId` within the window, if any. */
  async firstCarrier(queue: string, messageId: string, windowMs: number): Promise<string | undefined> {
    await this.created();
    try {
      const row = await this.table.getEntity<SeenRow>(queue, rowKeyOf(messageId));
      return Date.now() - Date.parse(row.firstSeenAt) <= windowMs ? row.queueMessageId : undefined;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /**
   * The carrier of `messageId`, `queueMessageId` unless another message carried it first within the
   * window. Read first: the sender has recorded the carrier already, unless it stopped in between.
   */
  async carrierOf(queue: string, messageId: string, queueMessageId: string, windowMs: number): Promise<string> {
    return (await this.firstCarrier(queue, messageId, windowMs)) ?? (await this.claim(queue, messageId, queueMessageId, windowMs));
  }

  /** Records `queueMessageId` as the carrier of `messageId` unless another got there first; returns the winner. */
  async claim(queue: string, messageId: string, queueMessageId: string, windowMs: number): Promise<string> {
    await this.created();
    const entity = { partitionKey: queue, rowKey: rowKeyOf(messageId), queueMessageId, firstSeenAt: new Date().toISOString() };
    try {
      await this.table.createEntity(entity);
      return queueMessageId;
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    }
    const existing = await this.firstCarrier(queue, messageId, windowMs);
    if (existing !== undefined) return existing;
    await this.table.upsertEntity(entity, 'Replace'); // the earlier one is outside the window
    return queueMessageId;
  }

  /** Forgets ids older than the window. */
  async prune(queue: string, windowMs: number): Promise<void> {
    await this.created();
    const cutoff = new Date(Date.now() - windowMs).toISOString();
    const rows = this.table.listEntities<SeenRow>({
      queryOptions: { filter: odata`PartitionKey eq ${queue} and firstSeenAt lt ${cutoff}` },
    });
    for await (const row of rows) await this.table.deleteEntity(queue, row.rowKey ?? '').catch(() => undefined);
  }

  /** Creates the table once; a failed creation is tried again on the next call. */
  private created(): Promise<void> {
    this.ready ??= this.table.createTable().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}

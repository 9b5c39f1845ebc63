import { QueueNames } from '../../config/queues';
import {
  ParkedSources,
  type ParkedMessage,
  type ParkedMessagesPort,
  type ParkedSummary,
  type Resolution,
} from '../../ports/ParkedMessagesPort';
import { asciiJson, dataTablesSdk, isNotFound, openTable, tableKey, TableNames, type OpenedTable } from './openTable';
import type { StorageAccount } from '../storageAccount';

/** A table string property holds 32K UTF-16 characters; longer payloads are split over several. */
const CHUNK = 30_000;

function splitPayload(payload: string): Record<string, string | number> {
  const parts: Record<string, string | number> = { payloadParts: Math.max(1, Math.ceil(payload.length / CHUNK)) };
  for (let i = 0; i * CHUNK < payload.length || i === 0; i++) parts[`payload${i}`] = payload.slice(i * CHUNK, (i + 1) * CHUNK);
  return parts;
}

function joinPayload(row: Record<string, unknown>): string {
  const count = Number(row.payloadParts ?? 1);
  let payload = '';
  for (let i = 0; i < count; i++) {
    const part = row[`payload${i}`];
    payload += typeof part === 'string' ? part : '';
  }
  return payload;
}

/** Every source an entry can be parked from: the partitions of the table. */
const PARKED_SOURCES = [...Object.values(QueueNames), ...Object.values(ParkedSources)];

/** Every column but the payload's. */
const SUMMARY_COLUMNS = [
  'partitionKey',
  'rowKey',
  'orderId',
  'messageId',
  'code',
  'reason',
  'details',
  'attempts',
  'parkedAt',
  'correlationId',
  'mappings',
  'resolution',
  'replayable',
];

/** A row of the table as the entry it holds. */
function messageOf(row: Record<string, unknown>): ParkedMessage {
  return {
    source: String(row.partitionKey),
    orderId: typeof row.orderId === 'string' ? row.orderId : String(row.rowKey),
    ...(typeof row.messageId === 'string' ? { messageId: row.messageId } : {}),
    code: String(row.code),
    reason: String(row.reason),
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as string[]) : [],
    payload: joinPayload(row),
    attempts: Number(row.attempts),
    parkedAt: String(row.parkedAt),
    ...(typeof row.correlationId === 'string' ? { correlationId: row.correlationId } : {}),
    ...(typeof row.mappings === 'string' ? { mappings: row.mappings } : {}),
    ...(typeof row.resolution === 'string' && row.resolution !== '' ? { resolution: JSON.parse(row.resolution) as Resolution } : {}),
    replayable: row.replayable !== false,
  };
}

/** One row per order, or per message of an order when messages of one order are parked apart. */
function rowKeyOf(orderId: string, messageId: string | undefined): string {
  return messageId === undefined ? orderId : `${orderId}~${tableKey(messageId)}`;
}

/** The `parked` table: PartitionKey = source (queue or event source), RowKey = ECP order id (and message id, for ERP updates and events). */
export class ParkedTable implements ParkedMessagesPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.PARKED);
  }

  async park(message: ParkedMessage): Promise<void> {
    const client = await this.table.client();
    const { source, orderId, payload, details, resolution: _resolution, ...fields } = message;
    await client.upsertEntity(
      {
        partitionKey: source,
        rowKey: rowKeyOf(orderId, message.messageId),
        orderId,
        ...fields,
        details: JSON.stringify(details),
        // Payloads are JSON texts (an order, an event): kept as ASCII, read back the same.
        ...splitPayload(asciiJson(payload)),
      },
      'Replace',
    );
  }

  async list(): Promise<ParkedMessage[]> {
    return (await this.readAll()).filter((m) => m.resolution === undefined);
  }

  async overview(state: 'open' | 'resolved'): Promise<ParkedSummary[]> {
    const rows = await this.readAll(undefined, SUMMARY_COLUMNS);
    return rows.filter((m) => (state === 'open') === (m.resolution === undefined)).map(({ payload: _payload, ...summary }) => summary);
  }

  /**
   * An order's entries: in each source's partition, the row keys that begin with its id, a range
   * read on the table's index (PartitionKey and RowKey), never a scan of the table.
   */
  async ofOrder(orderId: string): Promise<ParkedMessage[]> {
    const { odata } = await dataTablesSdk();
    const inSource = (source: string) =>
      this.readAll(
        odata`PartitionKey eq ${source} and (RowKey eq ${orderId} or (RowKey ge ${`${orderId}~`} and RowKey lt ${`${orderId}\u007f`}))`,
      );
    const found = await Promise.all(PARKED_SOURCES.map(inSource));
    return found.flat().sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
  }

  async setResolution(
    source: string,
    orderId: string,
    messageId: string | undefined,
    resolution: Resolution | undefined,
  ): Promise<boolean> {
    const client = await this.table.client();
    try {
      await client.updateEntity(
        {
          partitionKey: source,
          rowKey: rowKeyOf(orderId, messageId),
          resolution: resolution === undefined ? '' : JSON.stringify(resolution),
        },
        'Merge',
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async get(source: string, orderId: string, messageId?: string): Promise<ParkedMessage | undefined> {
    const client = await this.table.client();
    try {
      return messageOf(await client.getEntity(source, rowKeyOf(orderId, messageId)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async readAll(filter?: string, select?: string[]): Promise<ParkedMessage[]> {
    const client = await this.table.client();
    const messages: ParkedMessage[] = [];
    const queryOptions = { ...(filter === undefined ? {} : { filter }), ...(select === undefined ? {} : { select }) };
    for await (const row of client.listEntities({ queryOptions })) messages.push(messageOf(row));
    return messages.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
  }

  async remove(source: string, orderId: string, messageId?: string): Promise<void> {
    const client = await this.table.client();
    try {
      await client.deleteEntity(source, rowKeyOf(orderId, messageId));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

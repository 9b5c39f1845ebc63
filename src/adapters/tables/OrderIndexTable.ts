import type { OrderState } from '../../domain/orderLedger';
import type { IndexedOrder, OrderIndexPort, OrderIndexQuery } from '../../ports/OrderIndexPort';
import type { StorageAccount } from '../storageAccount';
import { dataTablesSdk, isNotFound, newestFirstKey, openTable, tableKey, TableNames, type OpenedTable } from './openTable';

const DAY_MS = 24 * 60 * 60_000;
/** The partition of the rows that find an order by its ERP id. */
const ERP_PARTITION = 'erp';

const dayOf = (iso: string): string => `day-${iso.slice(0, 10)}`;
/** Newest first within a day. */
const rowKeyOf = (order: IndexedOrder): string => `${newestFirstKey(order.receivedAt)}~${order.orderId}`;

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

function orderOf(row: Row): IndexedOrder {
  const text = (name: string): string | undefined => (typeof row[name] === 'string' && row[name] !== '' ? row[name] : undefined);
  return {
    orderId: text('orderId') ?? '',
    state: text('state') as OrderState,
    receivedAt: text('receivedAt') ?? '',
    updatedAt: text('updatedAt') ?? '',
    ...(text('erpOrderId') === undefined ? {} : { erpOrderId: text('erpOrderId') }),
    ...(text('lastErrorCode') === undefined ? {} : { lastErrorCode: text('lastErrorCode') }),
    ...(text('placedAt') === undefined ? {} : { placedAt: text('placedAt') }),
    ...(text('submittedAt') === undefined ? {} : { submittedAt: text('submittedAt') }),
  };
}

/** Whether the hub received the order in [from, to): a day's partition holds the whole day. */
const receivedWithin = (order: IndexedOrder, from: Date, to: Date): boolean =>
  Date.parse(order.receivedAt) >= from.getTime() && Date.parse(order.receivedAt) < to.getTime();

/** The days from `to` back to `from`, newest first. */
function daysDown(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()); t >= from.getTime() - DAY_MS + 1; t -= DAY_MS) {
    days.push(dayOf(new Date(t).toISOString()));
  }
  return days;
}

/**
 * The `orderindex` table: a row per order in the partition of the day the hub received it (newest
 * first within it), and a row per ERP id naming its ECP order. The ledger writes it as an order's
 * state changes.
 */
export class OrderIndexTable implements OrderIndexPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.ORDER_INDEX);
  }

  async record(order: IndexedOrder): Promise<void> {
    const client = await this.table.client();
    const columns = {
      orderId: order.orderId,
      state: order.state,
      receivedAt: order.receivedAt,
      updatedAt: order.updatedAt,
      erpOrderId: order.erpOrderId ?? '',
      lastErrorCode: order.lastErrorCode ?? '',
      placedAt: order.placedAt ?? '',
      submittedAt: order.submittedAt ?? '',
    };
    await client.upsertEntity({ partitionKey: dayOf(order.receivedAt), rowKey: rowKeyOf(order), ...columns }, 'Replace');
    if (order.erpOrderId !== undefined)
      await client.upsertEntity({ partitionKey: ERP_PARTITION, rowKey: tableKey(order.erpOrderId), orderId: order.orderId }, 'Replace');
  }

  async page(query: OrderIndexQuery): Promise<{ orders: IndexedOrder[]; nextCursor?: string }> {
    const client = await this.table.client();
    const { odata } = await dataTablesSdk();
    const [cursorDay, cursorRow] = query.cursor === undefined ? [] : Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    const days = daysDown(query.from, query.to).filter((day) => cursorDay === undefined || day <= cursorDay);
    const orders: IndexedOrder[] = [];
    for (const day of days) {
      const after = day === cursorDay && cursorRow !== undefined ? odata` and RowKey gt ${cursorRow}` : '';
      const state = query.state === undefined ? '' : odata` and state eq ${query.state}`;
      const filter = odata`PartitionKey eq ${day}` + after + state;
      const pages = client.listEntities<Row>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(1000, query.limit + 1) });
      for await (const page of pages) {
        for (const row of page) {
          const order = orderOf(row);
          if (!receivedWithin(order, query.from, query.to)) continue;
          if (orders.length === query.limit) {
            const last = orders.at(-1) as IndexedOrder;
            return { orders, nextCursor: Buffer.from(`${dayOf(last.receivedAt)}|${rowKeyOf(last)}`, 'utf8').toString('base64url') };
          }
          orders.push(order);
        }
      }
    }
    return { orders };
  }

  async *all(from: Date, to: Date): AsyncIterable<IndexedOrder> {
    const client = await this.table.client();
    const { odata } = await dataTablesSdk();
    for (const day of daysDown(from, to)) {
      for await (const row of client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${day}` } })) {
        const order = orderOf(row);
        if (receivedWithin(order, from, to)) yield order;
      }
    }
  }

  async orderIdOfErpOrder(erpOrderId: string): Promise<string | undefined> {
    const client = await this.table.client();
    try {
      const row = await client.getEntity<{ orderId: string }>(ERP_PARTITION, tableKey(erpOrderId));
      return row.orderId;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

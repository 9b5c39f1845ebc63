import type { LedgerEntry, OrderState } from '../../domain/orderLedger';
import type { OrderProgress } from '../../domain/orderProgress';
import { indexedOrderOf } from '../../domain/indexedOrder';
import type { OrderIndexPort } from '../../ports/OrderIndexPort';
import type { OrderLedgerPort, VersionedLedgerEntry } from '../../ports/OrderLedgerPort';
import { isNotFound, openTable, TableNames, toConflict, type OpenedTable } from './openTable';
import type { StorageAccount } from '../storageAccount';

const ROW_KEY = 'ledger';

interface LedgerRow {
  partitionKey: string;
  rowKey: string;
  etag: string;
  state: string;
  orderVersion: number;
  externalDocumentNumber: string;
  erpOrderId?: string;
  pushAttempts: number;
  pushPending: boolean;
  leaseUntil?: string;
  lastErrorCode?: string;
  /** OrderProgress as JSON: a table property holds no objects. */
  progress?: string;
  /** JSON array. */
  customerNotified?: string;
  receivedAt?: string;
  placedAt?: string;
  submittedAt?: string;
  updatedAt: string;
}

function toRow(entry: LedgerEntry): Record<string, unknown> {
  const { orderId, progress, customerNotified, ...fields } = entry;
  return {
    partitionKey: orderId,
    rowKey: ROW_KEY,
    ...fields,
    ...(progress === undefined ? {} : { progress: JSON.stringify(progress) }),
    ...(customerNotified === undefined ? {} : { customerNotified: JSON.stringify(customerNotified) }),
  };
}

function fromRow(row: LedgerRow): VersionedLedgerEntry {
  const entry: LedgerEntry = {
    orderId: row.partitionKey,
    state: row.state as OrderState,
    orderVersion: row.orderVersion,
    externalDocumentNumber: row.externalDocumentNumber,
    pushAttempts: row.pushAttempts,
    pushPending: row.pushPending,
    updatedAt: row.updatedAt,
    ...(row.erpOrderId ? { erpOrderId: row.erpOrderId } : {}),
    ...(row.leaseUntil ? { leaseUntil: row.leaseUntil } : {}),
    ...(row.lastErrorCode ? { lastErrorCode: row.lastErrorCode } : {}),
    ...(row.progress ? { progress: JSON.parse(row.progress) as OrderProgress } : {}),
    ...(row.customerNotified ? { customerNotified: JSON.parse(row.customerNotified) as string[] } : {}),
    ...(row.receivedAt ? { receivedAt: row.receivedAt } : {}),
    ...(row.placedAt ? { placedAt: row.placedAt } : {}),
    ...(row.submittedAt ? { submittedAt: row.submittedAt } : {}),
  };
  return { entry, etag: row.etag };
}

/** A write that changes what the index shows (the state, the ERP id, the code): lease renewals and attempt counts do not. */
const changesIndex = (previous: LedgerEntry | undefined, entry: LedgerEntry): boolean =>
  previous === undefined ||
  previous.state !== entry.state ||
  previous.erpOrderId !== entry.erpOrderId ||
  previous.lastErrorCode !== entry.lastErrorCode ||
  previous.placedAt !== entry.placedAt;

/**
 * The `ledger` table: one row per ECP order (PartitionKey = order id), etag-guarded; each write that
 * changes where the order stands is written to the order index after it (search and statistics).
 */
export class LedgerTable implements OrderLedgerPort {
  private readonly table: OpenedTable;

  constructor(
    account: StorageAccount,
    private readonly index?: OrderIndexPort,
  ) {
    this.table = openTable(account, TableNames.LEDGER);
  }

  /**
   * The entry written to the order index. The ledger has it already: a failure here must not fail
   * the step that wrote it (its redelivery would find the order done and skip what followed), so
   * it is logged; the order's page reads the ledger itself, and the order's next change rewrites
   * its row.
   */
  private async indexed(entry: LedgerEntry): Promise<void> {
    try {
      await this.index?.record(indexedOrderOf(entry));
    } catch (error) {
      console.warn(`order ${entry.orderId}: the order index was not updated (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  async get(orderId: string): Promise<VersionedLedgerEntry | undefined> {
    const client = await this.table.client();
    try {
      return fromRow(await client.getEntity<LedgerRow>(orderId, ROW_KEY));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(entry: LedgerEntry): Promise<VersionedLedgerEntry> {
    const client = await this.table.client();
    let etag: string | undefined;
    try {
      ({ etag } = await client.createEntity(toRow(entry) as never));
    } catch (error) {
      throw toConflict(error, `ledger entry of order ${entry.orderId}`);
    }
    await this.indexed(entry);
    return { entry, etag: etag ?? '' };
  }

  async replace(entry: LedgerEntry, etag: string, previous?: LedgerEntry): Promise<VersionedLedgerEntry> {
    const client = await this.table.client();
    let written: string | undefined;
    try {
      written = (await client.updateEntity(toRow(entry) as never, 'Replace', { etag })).etag;
    } catch (error) {
      throw toConflict(error, `ledger entry of order ${entry.orderId}`);
    }
    if (changesIndex(previous, entry)) await this.indexed(entry);
    return { entry, etag: written ?? '' };
  }
}

import type { InFlightUnitsPort } from '../../src/ports/InFlightUnitsPort';
import { stockKey, type ShopOrderUnits } from '../../src/domain/shopOrderUnits';
import type { IndexedOrder, OrderIndexPort, OrderIndexQuery } from '../../src/ports/OrderIndexPort';
import type { ReconcileRun } from '../../src/domain/reconciliationRun';
import type { ReconcileRunsPort } from '../../src/ports/ReconcileRunsPort';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { HubError } from '../../src/domain/HubError';
import type { LedgerEntry } from '../../src/domain/orderLedger';
import type { ErpSalesOrder, ErpSalesOrderRecord } from '../../src/platforms/erp/erpSalesOrder';
import type { LifecycleEvent } from '../../src/domain/lifecycleEvents';
import type { CustomerMail, CustomerMailPort } from '../../src/ports/CustomerMailPort';
import { ecpOrderFactory } from './ecpOrderFactory';
import type { ClaimChecksPort } from '../../src/ports/ClaimChecksPort';
import type { LifecyclePublisherPort } from '../../src/ports/LifecyclePublisherPort';
import type { EcpOrderUpdate } from '../../src/platforms/ecp/ecpOrderUpdate';
import type { ChangedOrder, EcpOrdersPort } from '../../src/ports/EcpOrdersPort';
import type { ErpSalesOrdersPort } from '../../src/ports/ErpSalesOrdersPort';
import type { JourneyPort, JourneyStep } from '../../src/ports/JourneyPort';
import type { OrderLedgerPort, VersionedLedgerEntry } from '../../src/ports/OrderLedgerPort';
import type { ParkedMessage, ParkedMessagesPort, ParkedSummary, Resolution } from '../../src/ports/ParkedMessagesPort';
import type { OutgoingMessage, QueueSenderPort } from '../../src/ports/QueueSenderPort';

export class InMemoryLedger implements OrderLedgerPort {
  readonly rows = new Map<string, VersionedLedgerEntry>();
  private version = 0;

  get(orderId: string): Promise<VersionedLedgerEntry | undefined> {
    const row = this.rows.get(orderId);
    return Promise.resolve(row === undefined ? undefined : { entry: { ...row.entry }, etag: row.etag });
  }

  create(entry: LedgerEntry): Promise<VersionedLedgerEntry> {
    if (this.rows.has(entry.orderId)) return Promise.reject(new HubError(ErrorCodes.STORAGE_CONFLICT, 'exists', { transient: true }));
    return Promise.resolve(this.put(entry));
  }

  replace(entry: LedgerEntry, etag: string): Promise<VersionedLedgerEntry> {
    if (this.rows.get(entry.orderId)?.etag !== etag)
      return Promise.reject(new HubError(ErrorCodes.STORAGE_CONFLICT, 'stale', { transient: true }));
    return Promise.resolve(this.put(entry));
  }

  private put(entry: LedgerEntry): VersionedLedgerEntry {
    const row = { entry: { ...entry }, etag: `W/"${++this.version}"` };
    this.rows.set(entry.orderId, row);
    return row;
  }
}

export class InMemoryJourney implements JourneyPort {
  readonly steps: JourneyStep[] = [];
  record(step: JourneyStep): Promise<void> {
    this.steps.push(step);
    return Promise.resolve();
  }
  read(orderId: string): Promise<JourneyStep[]> {
    return Promise.resolve(this.steps.filter((s) => s.orderId === orderId));
  }
}

export class InMemoryParked implements ParkedMessagesPort {
  readonly messages = new Map<string, ParkedMessage>();
  park(message: ParkedMessage): Promise<void> {
    this.messages.set(`${message.source}/${message.orderId}${message.messageId === undefined ? '' : `/${message.messageId}`}`, message);
    return Promise.resolve();
  }
  list(): Promise<ParkedMessage[]> {
    return Promise.resolve([...this.messages.values()].filter((m) => m.resolution === undefined));
  }
  ofOrder(orderId: string): Promise<ParkedMessage[]> {
    return Promise.resolve([...this.messages.values()].filter((m) => m.orderId === orderId));
  }
  get(source: string, orderId: string, messageId?: string): Promise<ParkedMessage | undefined> {
    return Promise.resolve(this.messages.get(`${source}/${orderId}${messageId === undefined ? '' : `/${messageId}`}`));
  }
  overview(state: 'open' | 'resolved'): Promise<ParkedSummary[]> {
    return Promise.resolve(
      [...this.messages.values()]
        .filter((m) => (state === 'open') === (m.resolution === undefined))
        .map(({ payload: _payload, ...summary }) => summary),
    );
  }
  setResolution(source: string, orderId: string, messageId: string | undefined, resolution: Resolution | undefined): Promise<boolean> {
    const key = `${source}/${orderId}${messageId === undefined ? '' : `/${messageId}`}`;
    const message = this.messages.get(key);
    if (message === undefined) return Promise.resolve(false);
    const { resolution: _old, ...rest } = message;
    this.messages.set(key, resolution === undefined ? rest : { ...rest, resolution });
    return Promise.resolve(true);
  }
  remove(queue: string, orderId: string, messageId?: string): Promise<void> {
    this.messages.delete(`${queue}/${orderId}${messageId === undefined ? '' : `/${messageId}`}`);
    return Promise.resolve();
  }
}

export class RecordingSender implements QueueSenderPort {
  readonly sent: { queue: string; message: OutgoingMessage }[] = [];
  send(queue: string, message: OutgoingMessage): Promise<void> {
    this.sent.push({ queue, message });
    return Promise.resolve();
  }
}

/** Claim checks in memory: bodies by blob name, as ClaimCheckStore keeps them in Blob storage. */
export class InMemoryClaimChecks implements ClaimChecksPort {
  readonly blobs = new Map<string, unknown>();

  put(queueName: string, body: unknown): Promise<string> {
    const name = `${queueName}/${this.blobs.size + 1}.json`;
    this.blobs.set(name, body);
    return Promise.resolve(name);
  }

  open(body: unknown, applicationProperties: Record<string, unknown>): Promise<unknown> {
    const name = applicationProperties.claimCheck;
    if (typeof name !== 'string') return Promise.resolve(body);
    if (!this.blobs.has(name))
      return Promise.reject(new HubError(ErrorCodes.CLAIM_CHECK_MISSING, `blob ${name} is gone`, { transient: false }));
    return Promise.resolve(this.blobs.get(name));
  }
}

/** An ERP that stores creates and can be told how to fail the next calls. */
export class FakeErp implements ErpSalesOrdersPort {
  readonly created: { order: ErpSalesOrder; idempotencyKey: string }[] = [];
  readonly lookups: string[] = [];
  /** Failures for the next creates, in order; `commitThenFail` stores the order before failing. */
  readonly createFailures: { error: HubError; commitThenFail?: boolean }[] = [];

  createSalesOrder(order: ErpSalesOrder, idempotencyKey: string): Promise<ErpSalesOrderRecord> {
    const failure = this.createFailures.shift();
    if (failure !== undefined && failure.commitThenFail !== true) return Promise.reject(failure.error);
    this.created.push({ order, idempotencyKey });
    if (failure !== undefined) return Promise.reject(failure.error);
    return Promise.resolve(this.record(this.created.length, order.externalDocumentNumber));
  }

  findByExternalDocumentNumber(externalDocumentNumber: string): Promise<ErpSalesOrderRecord | undefined> {
    this.lookups.push(externalDocumentNumber);
    const index = this.created.findIndex((c) => c.order.externalDocumentNumber === externalDocumentNumber);
    return Promise.resolve(index < 0 ? undefined : this.record(index + 1, externalDocumentNumber));
  }

  private record(n: number, externalDocumentNumber: string): ErpSalesOrderRecord {
    return { id: `SO-${n}`, number: `SO${n}`, externalDocumentNumber, status: 'Open', createdAt: '2026-11-23T10:00:00Z' };
  }
}

/** An ECP that records the updates it is sent and can be told how to fail the next ones. */
export class FakeEcp implements EcpOrdersPort {
  readonly updates: EcpOrderUpdate[] = [];
  readonly updateFailures: HubError[] = [];
  private version = 1;

  getOrder(orderId: string): Promise<unknown> {
    return Promise.resolve(ecpOrderFactory({ id: orderId }));
  }

  /** What `listChanged` lists, oldest change first, `pageSize` at a time; `listFailure` fails the next listing. */
  readonly changed: ChangedOrder[] = [];
  pageSize = 250;
  listFailure: HubError | undefined;
  readonly listedSince: Date[] = [];

  listChanged(since: Date, cursor?: string): Promise<{ orders: ChangedOrder[]; nextCursor?: string }> {
    this.listedSince.push(since);
    if (this.listFailure !== undefined) return Promise.reject(this.listFailure);
    const start = cursor === undefined ? 0 : Number(cursor);
    const inWindow = this.changed.filter((o) => Date.parse(o.updatedAt) >= since.getTime());
    const page = inWindow.slice(start, start + this.pageSize);
    const more = start + this.pageSize < inWindow.length;
    return Promise.resolve({ orders: page, ...(more ? { nextCursor: String(start + this.pageSize) } : {}) });
  }

  updateOrder(update: EcpOrderUpdate): Promise<{ version: number }> {
    const failure = this.updateFailures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.updates.push(update);
    return Promise.resolve({ version: ++this.version });
  }
}

/** Keeps the lifecycle events published, in order. */
export class RecordingLifecycle implements LifecyclePublisherPort {
  readonly events: LifecycleEvent[] = [];
  publish(events: readonly LifecycleEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
}

/** Keeps the mails sent; can be told to fail the next ones. */
export class RecordingMail implements CustomerMailPort {
  readonly sent: CustomerMail[] = [];
  readonly failures: HubError[] = [];
  send(mail: CustomerMail): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.sent.push(mail);
    return Promise.resolve();
  }
}

/** Keeps reconciler runs, newest first. */
export class InMemoryReconcileRuns implements ReconcileRunsPort {
  readonly runs: ReconcileRun[] = [];
  keep(run: ReconcileRun): Promise<void> {
    this.runs.unshift(run);
    return Promise.resolve();
  }
  latest(limit: number): Promise<ReconcileRun[]> {
    return Promise.resolve(this.runs.slice(0, limit));
  }
}

/** The order index in memory, newest first by the time received. */
export class InMemoryOrderIndex implements OrderIndexPort {
  readonly orders = new Map<string, IndexedOrder>();
  record(order: IndexedOrder): Promise<void> {
    this.orders.set(order.orderId, order);
    if (order.erpOrderId !== undefined) this.erp.set(order.erpOrderId, order.orderId);
    return Promise.resolve();
  }
  private readonly erp = new Map<string, string>();
  private inRange(from: Date, to: Date): IndexedOrder[] {
    return [...this.orders.values()]
      .filter((o) => Date.parse(o.receivedAt) >= from.getTime() && Date.parse(o.receivedAt) < to.getTime())
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }
  page(query: OrderIndexQuery): Promise<{ orders: IndexedOrder[]; nextCursor?: string }> {
    const all = this.inRange(query.from, query.to).filter((o) => query.state === undefined || o.state === query.state);
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const orders = all.slice(start, start + query.limit);
    return Promise.resolve({ orders, ...(start + query.limit < all.length ? { nextCursor: String(start + query.limit) } : {}) });
  }
  async *all(from: Date, to: Date): AsyncIterable<IndexedOrder> {
    await Promise.resolve();
    yield* this.inRange(from, to);
  }
  orderIdOfErpOrder(erpOrderId: string): Promise<string | undefined> {
    return Promise.resolve(this.erp.get(erpOrderId));
  }
}

/** Units in flight per order, in memory. */
export class InMemoryInFlight implements InFlightUnitsPort {
  readonly held = new Map<string, ShopOrderUnits[]>();
  hold(orderId: string, units: readonly ShopOrderUnits[]): Promise<void> {
    if (units.length > 0) this.held.set(orderId, [...units]);
    return Promise.resolve();
  }
  release(orderId: string): Promise<void> {
    this.held.delete(orderId);
    return Promise.resolve();
  }
  totals(): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const units of this.held.values())
      for (const u of units) totals.set(stockKey(u.sku, u.location), (totals.get(stockKey(u.sku, u.location)) ?? 0) + u.quantity);
    return Promise.resolve(totals);
  }
}

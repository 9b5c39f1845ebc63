import { erpSalesOrderSchema, type ErpSalesOrder, type ErpSalesOrderRecord } from '../../../src/platforms/erp/erpSalesOrder';
import { PRODUCTS } from '../catalog';
import { DEFAULT_CALLBACKS, OrderLives, type CallbackSettings } from './orderLife';
import { refuseWithoutKey, sleep, type JsonReply, type JsonRequest } from '../JsonServer';
import { Sandbox } from '../Sandbox';

export interface SandboxErpOptions {
  host: string;
  port: number;
  apiKey: string;
  /** Where and with which secret it sends its status callbacks; none when left out. */
  callbacks?: { url: string; secret: string };
  /** Its journal, where its sales orders survive a restart (`npm start`); in memory only when left out. */
  journal?: string;
  log: (line: string) => void;
}

/** What the sandbox ERP keeps: its sales orders. */
interface ErpChange {
  kind: 'salesOrder';
  salesOrder: StoredSalesOrder;
}

/** Faults the sandbox ERP injects, set at run time with `POST /_control/faults`. */
export interface ErpFaults {
  /** Share of creates answered 503 before anything is stored. */
  errorRate: number;
  /** Added to every answer. */
  latencyMs: number;
  /** Share of creates stored but never answered (the caller times out). */
  timeoutAfterCommitRate: number;
  /** Every call answered 503. */
  down: boolean;
}

const NO_FAULTS: ErpFaults = { errorRate: 0, latencyMs: 0, timeoutAfterCommitRate: 0, down: false };
/** How long an unanswered create holds its connection before the sandbox drops it. */
const HANG_MS = 60_000;

export interface StoredSalesOrder extends ErpSalesOrderRecord {
  order: ErpSalesOrder;
  idempotencyKey?: string;
}

/**
 * A sandbox ERP: creates and lists sales orders over a seeded item catalog. Like many ERPs it does
 * not refuse a second order with the same external document number: keeping that from happening
 * is the hub's job, and `GET /_control/stats` counts any duplicates.
 */
export class SandboxErp extends Sandbox<ErpChange> {
  readonly salesOrders: StoredSalesOrder[] = [];
  faults: ErpFaults = { ...NO_FAULTS };
  /** Creates being handled right now (`GET /_control/in-flight`): what a stop or a crash cuts. */
  private creating = 0;

  get inFlightCreates(): number {
    return this.creating;
  }
  private readonly items = new Set<string>(PRODUCTS.map((p) => p.itemNo));
  private readonly createdListeners = new Set<(salesOrder: StoredSalesOrder) => void>();
  /** The status callbacks of its orders (undefined when it sends none). */
  readonly lives: OrderLives | undefined;

  constructor(options: SandboxErpOptions) {
    super(options);
    this.lives = options.callbacks === undefined ? undefined : new OrderLives({ ...options.callbacks, log: options.log });
    this.server
      .on('POST', /^\/sales-orders$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.create(req)))
      .on('GET', /^\/sales-orders$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.list(req)))
      .on('GET', /^\/sales-orders\/([^/]+)$/, (req) => {
        const found = this.salesOrders.find((o) => o.id === req.params[0]);
        return (
          refuseWithoutKey(req, options.apiKey) ??
          (found ? { status: 200, body: found } : { status: 404, body: { error: 'no such sales order' } })
        );
      })
      .on('POST', /^\/_control\/faults$/, (req) => {
        this.faults = { ...NO_FAULTS, ...(req.body as Partial<ErpFaults>) };
        return { status: 200, body: this.faults };
      })
      .on('GET', /^\/_control\/stats$/, () => ({ status: 200, body: this.stats() }))
      .on('GET', /^\/_control\/in-flight$/, () => ({ status: 200, body: { creates: this.creating } }))
      .on('POST', /^\/_control\/callbacks$/, (req) => {
        if (this.lives === undefined) return { status: 409, body: { error: 'this sandbox ERP sends no callbacks' } };
        this.lives.settings = { ...DEFAULT_CALLBACKS, ...(req.body as Partial<CallbackSettings>) };
        return { status: 200, body: this.lives.settings };
      });
  }

  protected apply(change: ErpChange): void {
    this.salesOrders.push(change.salesOrder);
  }

  protected snapshot(): ErpChange[] {
    return this.salesOrders.map((salesOrder) => ({ kind: 'salesOrder', salesOrder }));
  }

  protected override fromEarlierFormat(state: unknown): ErpChange[] {
    return (state as { salesOrders: StoredSalesOrder[] }).salesOrders.map((salesOrder) => ({ kind: 'salesOrder', salesOrder }));
  }

  /** Calls `listener` with every sales order stored from now on; returns the unsubscribe. */
  onCreated(listener: (salesOrder: StoredSalesOrder) => void): () => void {
    this.createdListeners.add(listener);
    return () => this.createdListeners.delete(listener);
  }

  override async stop(): Promise<void> {
    await this.lives?.stop();
    await super.stop();
  }

  stats(): { salesOrders: number; distinctDocuments: number; duplicates: string[] } {
    const counts = new Map<string, number>();
    for (const o of this.salesOrders) counts.set(o.externalDocumentNumber, (counts.get(o.externalDocumentNumber) ?? 0) + 1);
    return {
      salesOrders: this.salesOrders.length,
      distinctDocuments: counts.size,
      duplicates: [...counts.entries()].filter(([, n]) => n > 1).map(([doc]) => doc),
    };
  }

  private async create(req: JsonRequest): Promise<JsonReply | undefined> {
    this.creating++;
    try {
      return await this.createNow(req);
    } finally {
      this.creating--;
    }
  }

  private async createNow(req: JsonRequest): Promise<JsonReply | undefined> {
    if (this.faults.down) return { status: 503, body: { error: 'ERP is down (sandbox fault)' } };
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (Math.random() < this.faults.errorRate) return { status: 503, body: { error: 'injected failure' } };
    const parsed = erpSalesOrderSchema.safeParse(req.body);
    if (!parsed.success) {
      return {
        status: 400,
        body: { error: 'invalid sales order', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
      };
    }
    const unknown = parsed.data.lines.filter((l) => !this.items.has(l.itemNo)).map((l) => l.itemNo);
    if (unknown.length > 0) return { status: 422, body: { error: 'unknown item', message: `unknown item numbers: ${unknown.join(', ')}` } };
    const number = String(this.salesOrders.length + 1).padStart(6, '0');
    const key = req.headers['idempotency-key'];
    const stored: StoredSalesOrder = {
      id: `SO-${number}`,
      number: `SO${number}`,
      externalDocumentNumber: parsed.data.externalDocumentNumber,
      status: 'Open',
      createdAt: new Date().toISOString(),
      order: parsed.data,
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    };
    this.record({ kind: 'salesOrder', salesOrder: stored });
    const { order: _order, idempotencyKey: _key, ...record } = stored;
    this.lives?.begin(record, parsed.data);
    for (const listener of this.createdListeners) listener(stored);
    if (Math.random() < this.faults.timeoutAfterCommitRate) {
      // Committed, but the answer never comes: the caller's timeout fires first.
      const timer = setTimeout(() => req.raw.destroy(), HANG_MS);
      req.raw.once('close', () => clearTimeout(timer));
      return undefined;
    }
    return { status: 201, body: record };
  }

  private async list(req: JsonRequest): Promise<JsonReply> {
    if (this.faults.down) return { status: 503, body: { error: 'ERP is down (sandbox fault)' } };
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    const doc = req.query.get('externalDocumentNumber');
    const value = this.salesOrders
      .filter((o) => doc === null || o.externalDocumentNumber === doc)
      .map(({ order: _order, idempotencyKey: _key, ...record }) => record);
    return { status: 200, body: { value } };
  }
}

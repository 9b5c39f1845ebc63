import { erpSalesOrderSchema, type ErpSalesOrder, type ErpSalesOrderRecord } from '../../../src/platforms/erp/erpSalesOrder';
import { PRODUCTS } from '../catalog';
import { DEFAULT_CALLBACKS, OrderLives, type CallbackSettings } from './orderLife';
import { ERP_LOCATIONS, ErpStock, type ItemLedgerEntry, type Reservation } from './ErpStock';
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
  /** On hand of every item at every location when its ledger is empty. @default 100000 */
  seedStock?: number;
  /** Items beyond the seeded catalog (a generated one: `generatedProducts`). */
  extraProducts?: readonly { itemNo: string }[];
  log: (line: string) => void;
}

/** What the sandbox ERP keeps: its sales orders, its item ledger, and which orders' reservations ended. */
type ErpChange =
  | { kind: 'priceLine'; line: PriceListLine }
  | { kind: 'salesOrder'; salesOrder: StoredSalesOrder }
  | { kind: 'ledger'; entry: ItemLedgerEntry }
  | { kind: 'released'; salesOrderId: string };

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
  /** Share of stock and ledger reads answered 503. */
  readErrorRate: number;
  /** Added to every stock and ledger read (slow pages). */
  readLatencyMs: number;
}

export const NO_ERP_FAULTS: ErpFaults = {
  errorRate: 0,
  latencyMs: 0,
  timeoutAfterCommitRate: 0,
  down: false,
  readErrorRate: 0,
  readLatencyMs: 0,
};
/** A line of a price list: an item's price from a date, until a date (or for good). */
export interface PriceListLine {
  lineNo: number;
  priceListCode: string;
  itemNo: string;
  currencyCode: string;
  unitPrice: number;
  /** The price it replaces, shown struck through. */
  compareAtPrice?: number;
  startingDate: string;
  endingDate?: string;
}

/** Items a stock read takes, and ledger entries a page holds, at the most. */
const MAX_STOCK_ITEMS = 250;
const MAX_LEDGER_PAGE = 1000;
/** How long an unanswered create holds its connection before the sandbox drops it. */
const HANG_MS = 60_000;

export interface StoredSalesOrder extends ErpSalesOrderRecord {
  order: ErpSalesOrder;
  idempotencyKey?: string;
  /** What it reserved, and asked beyond what was available, at its location. */
  reservations?: Reservation[];
  /** Shipped or rejected: its reservations are released. */
  released?: boolean;
}

/** A sales order as the ERP's API shows it: what it keeps for itself left out. */
function recordOf(stored: StoredSalesOrder): ErpSalesOrderRecord {
  const { order: _order, idempotencyKey: _key, reservations: _reservations, released: _released, ...record } = stored;
  return record;
}

/**
 * A sandbox ERP: creates and lists sales orders over a seeded item catalog. Like many ERPs it does
 * not refuse a second order with the same external document number: keeping that from happening
 * is the hub's job, and `GET /_control/stats` counts any duplicates.
 */
export class SandboxErp extends Sandbox<ErpChange> {
  readonly salesOrders: StoredSalesOrder[] = [];
  faults: ErpFaults = { ...NO_ERP_FAULTS };
  /** Creates being handled right now (`GET /_control/in-flight`): what a stop or a crash cuts. */
  private creating = 0;

  get inFlightCreates(): number {
    return this.creating;
  }
  private readonly items: Set<string>;
  readonly stock: ErpStock;
  readonly priceLines: PriceListLine[] = [];
  private readonly createdListeners = new Set<(salesOrder: StoredSalesOrder) => void>();
  /** The status callbacks of its orders (undefined when it sends none). */
  readonly lives: OrderLives | undefined;

  constructor(private readonly options: SandboxErpOptions) {
    super(options);
    this.items = new Set<string>([...PRODUCTS, ...(options.extraProducts ?? [])].map((p) => p.itemNo));
    this.stock = new ErpStock(this.items);
    this.lives =
      options.callbacks === undefined
        ? undefined
        : new OrderLives({
            ...options.callbacks,
            log: options.log,
            onStep: (event, salesOrderId) => {
              if (event === 'Shipment.Shipped') this.ship(salesOrderId);
              else if (event === 'SalesOrder.Rejected') this.releaseReservations(salesOrderId);
            },
          });
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
      .on('GET', /^\/items\/stock$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.stockRoute(req.query)))
      .on('GET', /^\/item-ledger-entries$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.ledgerRoute(req.query)))
      .on('POST', /^\/_control\/stock$/, (req) => this.setStockRoute(req.body))
      .on('GET', /^\/price-list-lines$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.priceLinesRoute(req.query)))
      .on('POST', /^\/_control\/prices$/, (req) => this.setPriceRoute(req.body))
      .on('POST', /^\/_control\/faults$/, (req) => {
        this.faults = { ...NO_ERP_FAULTS, ...(req.body as Partial<ErpFaults>) };
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
    switch (change.kind) {
      case 'salesOrder':
        this.salesOrders.push(change.salesOrder);
        if (change.salesOrder.released !== true && change.salesOrder.reservations !== undefined)
          this.stock.applyReservations(change.salesOrder.id, change.salesOrder.reservations);
        return;
      case 'ledger':
        this.stock.applyEntry(change.entry);
        return;
      case 'priceLine':
        this.priceLines.push(change.line);
        return;
      case 'released': {
        this.stock.release(change.salesOrderId);
        const order = this.salesOrders.find((o) => o.id === change.salesOrderId);
        if (order !== undefined) order.released = true;
        return;
      }
    }
  }

  protected snapshot(): ErpChange[] {
    return [
      ...this.stock.ledger.map((entry): ErpChange => ({ kind: 'ledger', entry })),
      ...this.priceLines.map((line): ErpChange => ({ kind: 'priceLine', line })),
      ...this.salesOrders.map((salesOrder): ErpChange => ({ kind: 'salesOrder', salesOrder })),
    ];
  }

  override async start(): Promise<void> {
    await super.start();
    if (this.priceLines.length === 0)
      for (const product of PRODUCTS)
        this.addPriceLine({
          priceListCode: 'WEB',
          itemNo: product.itemNo,
          currencyCode: 'EUR',
          unitPrice: product.price,
          startingDate: '2026-01-01',
        });
    if (this.stock.ledger.length > 0) return;
    const postedAt = new Date().toISOString();
    for (const itemNo of this.items)
      for (const location of ERP_LOCATIONS)
        this.post({ itemNo, location, entryType: 'Positive Adjmt.', quantity: this.options.seedStock ?? 100_000, postedAt });
  }

  private addPriceLine(line: Omit<PriceListLine, 'lineNo'>): PriceListLine {
    const added = { lineNo: this.priceLines.length + 1, ...line };
    this.record({ kind: 'priceLine', line: added });
    return added;
  }

  /** `GET /price-list-lines?validOn=<date>&after=<lineNo>&top=<n>`: the lines valid on that day, in line order. */
  private async priceLinesRoute(query: URLSearchParams): Promise<JsonReply> {
    const failed = await this.readFault();
    if (failed !== undefined) return failed;
    const validOn = query.get('validOn') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(validOn)) return { status: 400, body: { error: 'validOn must be a date, yyyy-MM-dd' } };
    const after = Number(query.get('after') ?? 0);
    const top = Number(query.get('top') ?? 1000);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(top) || top < 1 || top > MAX_LEDGER_PAGE)
      return { status: 400, body: { error: `after: a line number; top: 1 to ${MAX_LEDGER_PAGE}` } };
    const valid = this.priceLines.filter(
      (l) => l.lineNo > after && l.startingDate <= validOn && (l.endingDate === undefined || l.endingDate >= validOn),
    );
    const value = valid.slice(0, top);
    const last = value.at(-1);
    return { status: 200, body: { value, ...(valid.length > top && last !== undefined ? { nextAfter: last.lineNo } : {}) } };
  }

  /** `POST /_control/prices {itemNo, unitPrice, compareAtPrice?, startingDate, endingDate?}`: a new price list line. */
  private setPriceRoute(body: unknown): JsonReply {
    const { itemNo, unitPrice, compareAtPrice, startingDate, endingDate } = (body ?? {}) as Record<string, unknown>;
    const date = (v: unknown): boolean => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    if (typeof itemNo !== 'string' || !this.items.has(itemNo)) return { status: 400, body: { error: 'itemNo: an item of the catalog' } };
    if (typeof unitPrice !== 'number' || !(unitPrice >= 0)) return { status: 400, body: { error: 'unitPrice: a price, 0 or more' } };
    if (compareAtPrice !== undefined && (typeof compareAtPrice !== 'number' || !(compareAtPrice >= 0)))
      return { status: 400, body: { error: 'compareAtPrice: a price, 0 or more' } };
    if (!date(startingDate) || (endingDate !== undefined && !date(endingDate)))
      return { status: 400, body: { error: 'startingDate (and endingDate): yyyy-MM-dd' } };
    const line = this.addPriceLine({
      priceListCode: 'WEB',
      itemNo,
      currencyCode: 'EUR',
      unitPrice,
      ...(compareAtPrice === undefined ? {} : { compareAtPrice }),
      startingDate: startingDate as string,
      ...(endingDate === undefined ? {} : { endingDate: endingDate as string }),
    });
    return { status: 201, body: line };
  }

  /** Posts an entry to the item ledger, numbered next. */
  private post(entry: Omit<ItemLedgerEntry, 'entryNo'>): ItemLedgerEntry {
    const posted = { entryNo: this.stock.nextEntryNo, ...entry };
    this.record({ kind: 'ledger', entry: posted });
    return posted;
  }

  /** Ships a sales order: what it reserved leaves the warehouse (a sale entry per item). */
  private ship(salesOrderId: string): void {
    const held = this.stock.reservationsOf(salesOrderId);
    if (held === undefined) return;
    this.releaseReservations(salesOrderId);
    const postedAt = new Date().toISOString();
    for (const r of held)
      if (r.reserved > 0)
        this.post({ itemNo: r.itemNo, location: r.location, entryType: 'Sale', quantity: -r.reserved, postedAt, documentNo: salesOrderId });
  }

  private releaseReservations(salesOrderId: string): void {
    if (this.stock.reservationsOf(salesOrderId) !== undefined) this.record({ kind: 'released', salesOrderId });
  }

  /** `GET /items/stock?itemNo=a,b,...`: on hand, reserved and available of each item at each location. */
  private async stockRoute(query: URLSearchParams): Promise<JsonReply> {
    const failed = await this.readFault();
    if (failed !== undefined) return failed;
    const itemNos = (query.get('itemNo') ?? '').split(',').filter((i) => i !== '');
    if (itemNos.length === 0 || itemNos.length > MAX_STOCK_ITEMS)
      return { status: 400, body: { error: `itemNo: 1 to ${MAX_STOCK_ITEMS} item numbers, comma-separated` } };
    return { status: 200, body: { value: this.stock.levels(itemNos) } };
  }

  /** `GET /item-ledger-entries?after=<entryNo>&top=<n>`: the change feed, oldest first. */
  private async ledgerRoute(query: URLSearchParams): Promise<JsonReply> {
    const failed = await this.readFault();
    if (failed !== undefined) return failed;
    const after = Number(query.get('after') ?? 0);
    const top = Number(query.get('top') ?? 100);
    if (!Number.isInteger(after) || after < 0) return { status: 400, body: { error: 'after must be an entry number (0 or more)' } };
    if (!Number.isInteger(top) || top < 1 || top > MAX_LEDGER_PAGE)
      return { status: 400, body: { error: `top must be 1 to ${MAX_LEDGER_PAGE}` } };
    const value = this.stock.entriesAfter(after, top);
    const last = value.at(-1);
    return {
      status: 200,
      body: { value, ...(last !== undefined && last.entryNo < this.stock.nextEntryNo - 1 ? { nextAfter: last.entryNo } : {}) },
    };
  }

  /** `POST /_control/stock {itemNo, location, quantity}`: sets what is on hand, by an adjustment entry. */
  private setStockRoute(body: unknown): JsonReply {
    const { itemNo, location, quantity } = (body ?? {}) as { itemNo?: unknown; location?: unknown; quantity?: unknown };
    if (typeof itemNo !== 'string' || !this.items.has(itemNo)) return { status: 400, body: { error: 'itemNo: an item of the catalog' } };
    if (typeof location !== 'string' || !this.stock.isLocation(location))
      return { status: 400, body: { error: `location: one of ${ERP_LOCATIONS.join(', ')}` } };
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0)
      return { status: 400, body: { error: 'quantity: a whole number, 0 or more' } };
    const posted = this.setStock(itemNo, location, quantity);
    return { status: 200, body: { ...this.stock.level(itemNo, location), ...(posted === undefined ? {} : { entryNo: posted.entryNo }) } };
  }

  /** Sets what is on hand of an item at a location, by an adjustment entry (none when it is there already). */
  setStock(itemNo: string, location: string, quantity: number): ItemLedgerEntry | undefined {
    const entry = this.stock.adjustmentTo(itemNo, location, quantity, new Date().toISOString());
    return entry === undefined ? undefined : this.post(entry);
  }

  private async readFault(): Promise<JsonReply | undefined> {
    if (this.faults.down) return { status: 503, body: { error: 'ERP is down (sandbox fault)' } };
    if (this.faults.readLatencyMs > 0) await sleep(this.faults.readLatencyMs);
    if (Math.random() < this.faults.readErrorRate) return { status: 503, body: { error: 'injected failure' } };
    return undefined;
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

  stats(): { salesOrders: number; distinctDocuments: number; duplicates: string[]; backorderedUnits: number } {
    const counts = new Map<string, number>();
    for (const o of this.salesOrders) counts.set(o.externalDocumentNumber, (counts.get(o.externalDocumentNumber) ?? 0) + 1);
    return {
      salesOrders: this.salesOrders.length,
      distinctDocuments: counts.size,
      duplicates: [...counts.entries()].filter(([, n]) => n > 1).map(([doc]) => doc),
      backorderedUnits: this.salesOrders.reduce((sum, o) => sum + (o.reservations ?? []).reduce((n, r) => n + r.backordered, 0), 0),
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
    const location = parsed.data.locationCode ?? ERP_LOCATIONS[0];
    if (!this.stock.isLocation(location))
      return { status: 422, body: { error: 'unknown location', message: `no location ${location}: ${ERP_LOCATIONS.join(', ')}` } };
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
      reservations: this.stock.reserve(`SO-${number}`, location, parsed.data.lines),
    };
    this.record({ kind: 'salesOrder', salesOrder: stored });
    const record = recordOf(stored);
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
    const value = this.salesOrders.filter((o) => doc === null || o.externalDocumentNumber === doc).map(recordOf);
    return { status: 200, body: { value } };
  }
}

import { randomUUID } from 'node:crypto';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { EcpEventTypes, type EcpOrderEventData } from '../../../src/platforms/ecp/ecpOrderEvents';
import type { EcpOrder } from '../../../src/platforms/ecp/ecpOrder';
import { ecpOrderUpdateSchema } from '../../../src/platforms/ecp/ecpOrderUpdate';
import { CATALOG, CUSTOMERS, PRODUCTS } from '../catalog';
import { refuseWithoutKey, sleep, type JsonReply } from '../JsonServer';
import { Sandbox } from '../Sandbox';
import { CostBucket } from '../costBucket';
import { ShopInventory, type LevelChange, type QuantityRow } from './ShopInventory';
import { ShopPrices, type PriceRow, type ShopPrice } from './ShopPrices';

export interface SandboxEcpOptions {
  host: string;
  port: number;
  apiKey: string;
  /** The Event Grid topic the ECP publishes its order events to. */
  topicEndpoint: string;
  topicKey: string;
  /** Its journal, where its orders survive a restart (`npm start`); in memory only when left out. */
  journal?: string;
  /** What is available of every SKU at every active location when it has no levels yet. @default 100000 */
  seedStock?: number;
  /** Products beyond the seeded catalog (a generated one: `generatedProducts`): stock only, random orders never pick them. */
  extraProducts?: readonly { sku: string }[];
  /** The inventory API's rate limit, in cost points. @default 1000 points, 100 restored a second */
  rateLimit?: { capacity: number; restorePerSecond: number };
  log: (line: string) => void;
}

/**
 * What the sandbox ECP keeps: orders (with the next order number), how often each update was
 * applied, inventory levels, and which orders' units have left `committed` (fulfilled or cancelled).
 */
type EcpChange =
  | { kind: 'order'; order: unknown; nextNumber?: number }
  | { kind: 'applied'; updateId: string; count: number }
  | { kind: 'level'; level: LevelChange }
  | { kind: 'price'; price: ShopPrice }
  | { kind: 'released'; orderId: string };

/** What the inventory API's calls cost in rate-limit points. */
const COST = { setQuantities: 10, levelsPage: 5, setPrices: 10 } as const;
/** Rows a set-quantities call, and levels a page, hold at the most. */
const MAX_ROWS = 250;
/** Idempotency keys remembered (the oldest forgotten first). */
const IDEMPOTENCY_KEYS = 10_000;

/** An order the shop cannot serve from one location's stock. */
export class OutOfStockError extends Error {}

/** Faults the sandbox ECP injects, set at run time with `POST /_control/faults`. */
export interface EcpFaults {
  /** Share of `GET /orders/{id}` answered 503. */
  errorRate: number;
  latencyMs: number;
  down: boolean;
  /** Share of order events published twice (Event Grid delivers at least once). */
  duplicateEventRate: number;
  /** Share of `PATCH /orders/{id}` answered 503 before anything changes. */
  updateErrorRate: number;
  /** Share of orders placed whose created event is never published: saved, announced to nobody. */
  lostEventRate: number;
  /** Share of inventory calls answered 429 whatever the bucket holds (a throttling storm). */
  inventoryThrottleRate: number;
  /** How long an order's created event takes to go out (a slow webhook): the order is placed, the hub hears later. */
  eventDelayMs: number;
}

/** Orders a page of `GET /orders` holds at the most. */
const MAX_PAGE = 250;

/** The API client the sandbox knows the hub's key as (the hub's ECP_CLIENT_NAME). */
const HUB_CLIENT_NAME = 'order-hub';

const NO_FAULTS: EcpFaults = {
  errorRate: 0,
  latencyMs: 0,
  down: false,
  duplicateEventRate: 0,
  updateErrorRate: 0,
  lostEventRate: 0,
  inventoryThrottleRate: 0,
  eventDelayMs: 0,
};

/** What the ECP keeps of the changes the hub makes to an order. */
export interface EcpOrderStatus {
  erpReference?: string;
  fulfillmentStatus?: string;
  financialStatus?: string;
  tracking?: { company: string; number?: string; url?: string };
  cancelReason?: string;
}

interface PlaceOrderRequest {
  customerId?: string;
  lines?: { sku: string; quantity: number }[];
  shippingMethod?: string;
  paymentMethod?: string;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * A sandbox e-commerce platform: a REST API for orders over a seeded catalog and customers, and
 * an order-created event on its Event Grid topic for every order placed.
 */
export class SandboxEcp extends Sandbox<EcpChange> {
  readonly orders = new Map<string, unknown>();
  /**
   * How many times each update (by its id) was applied to an order. Like many ECPs this one does
   * not refuse a change made twice: applying each update once is the hub's job.
   */
  readonly applications = new Map<string, number>();
  /** How many times the hub asked for each order (`GET /orders/{id}`, failed answers included). */
  readonly reads = new Map<string, number>();
  /** When each update was (first) applied, for latency measurements. */
  readonly appliedAt = new Map<string, number>();
  /** Orders whose created event was lost (`lostEventRate`). */
  readonly lostEvents = new Set<string>();
  faults: EcpFaults = { ...NO_FAULTS };
  readonly inventory: ShopInventory;
  readonly prices: ShopPrices;
  /** Orders whose committed units are gone (fulfilled or cancelled). */
  private readonly released = new Set<string>();
  private readonly bucket: CostBucket;
  /** The first answer to each idempotency key of the inventory API's writes, by kind of write. */
  private readonly answered = new Map<string, JsonReply>();
  /** Set-quantities calls applied, pages of levels read, and calls refused 429 (the tests and the bench read them). */
  readonly inventoryCalls = { setQuantities: 0, levelsPages: 0, throttled: 0 };
  private nextNumber = 10_001;
  private readonly publisher: EventGridPublisherClient<'EventGrid'>;

  constructor(private readonly options: SandboxEcpOptions) {
    super(options);
    const skus = [...PRODUCTS, ...(options.extraProducts ?? [])].map((p) => p.sku);
    this.inventory = new ShopInventory(skus);
    this.prices = new ShopPrices(new Set(skus));
    this.bucket = new CostBucket(options.rateLimit?.capacity ?? 1000, options.rateLimit?.restorePerSecond ?? 100);
    this.publisher = new EventGridPublisherClient(options.topicEndpoint, 'EventGrid', new AzureKeyCredential(options.topicKey), {
      allowInsecureConnection: true,
    });
    this.server
      .on('GET', /^\/products$/, () => ({ status: 200, body: { value: PRODUCTS } }))
      .on('GET', /^\/customers$/, () => ({ status: 200, body: { value: CUSTOMERS } }))
      .on('POST', /^\/orders$/, async (req) => await this.placeOrderRoute(req.body))
      .on('GET', /^\/orders$/, (req) => refuseWithoutKey(req, options.apiKey) ?? this.listOrdersRoute(req.query))
      .on('GET', /^\/orders\/([^/]+)$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.getOrderRoute(req.params[0]!)))
      .on(
        'PATCH',
        /^\/orders\/([^/]+)$/,
        async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.updateOrderRoute(req.params[0]!, req.body)),
      )
      .on('GET', /^\/inventory-levels$/, async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.levelsRoute(req.query)))
      .on(
        'POST',
        /^\/inventory\/set-quantities$/,
        async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.setQuantitiesRoute(req.body, req.headers['idempotency-key'])),
      )
      .on(
        'POST',
        /^\/products\/prices$/,
        async (req) => refuseWithoutKey(req, options.apiKey) ?? (await this.setPricesRoute(req.body, req.headers['idempotency-key'])),
      )
      .on('GET', /^\/_control\/applications$/, () => ({ status: 200, body: Object.fromEntries(this.applications) }))
      .on('POST', /^\/_control\/faults$/, (req) => {
        this.faults = { ...NO_FAULTS, ...(req.body as Partial<EcpFaults>) };
        return { status: 200, body: this.faults };
      })
      .on('POST', /^\/_control\/announce$/, async (req) => {
        // Sends the order-created events again, as an ECP's "resend webhooks" does: after a crash that lost some.
        const wanted = (req.body as { orderIds?: unknown } | undefined)?.orderIds;
        const ids = Array.isArray(wanted)
          ? wanted.filter((id): id is string => typeof id === 'string' && this.orders.has(id))
          : [...this.orders.keys()];
        for (const id of ids) await this.publishCreated(id, (this.orders.get(id) as { version?: number }).version ?? 1);
        return { status: 200, body: { announced: ids.length } };
      })
      .on('POST', /^\/_control\/orders$/, async (req) => {
        // Stores any document as an order and announces it (unless ?announce=false): how a broken ECP order reaches the hub.
        const order = req.body as { id?: unknown; version?: unknown };
        if (typeof order.id !== 'string') return { status: 400, body: { error: 'id must be a string' } };
        this.record({ kind: 'order', order });
        if (req.query.get('announce') !== 'false')
          await this.publishCreated(order.id, typeof order.version === 'number' ? order.version : 1);
        return { status: 201, body: order };
      });
  }

  protected apply(change: EcpChange): void {
    if (change.kind === 'applied') {
      this.applications.set(change.updateId, change.count);
      return;
    }
    if (change.kind === 'level') {
      this.inventory.apply(change.level);
      return;
    }
    if (change.kind === 'price') {
      this.prices.apply(change.price);
      return;
    }
    if (change.kind === 'released') {
      this.released.add(change.orderId);
      return;
    }
    this.orders.set(String((change.order as { id: unknown }).id), change.order);
    if (change.nextNumber !== undefined) this.nextNumber = Math.max(this.nextNumber, change.nextNumber);
  }

  protected snapshot(): EcpChange[] {
    return [
      ...[...this.orders.values()].map((order): EcpChange => ({ kind: 'order', order, nextNumber: this.nextNumber })),
      ...[...this.applications].map(([updateId, count]): EcpChange => ({ kind: 'applied', updateId, count })),
      ...this.inventory.snapshot().map((level): EcpChange => ({ kind: 'level', level })),
      ...this.prices.snapshot().map((price): EcpChange => ({ kind: 'price', price })),
      ...[...this.released].map((orderId): EcpChange => ({ kind: 'released', orderId })),
    ];
  }

  override async start(): Promise<void> {
    await super.start();
    if (this.prices.snapshot().length === 0)
      for (const p of PRODUCTS)
        this.record({ kind: 'price', price: { sku: p.sku, price: p.price, compareAtPrice: null, updatedAt: new Date().toISOString() } });
    if (this.inventory.isEmpty)
      for (const level of this.inventory.seed(this.options.seedStock ?? 100_000, new Date().toISOString()))
        this.record({ kind: 'level', level });
  }

  protected override fromEarlierFormat(state: unknown): EcpChange[] {
    const earlier = state as { nextNumber: number; orders: unknown[]; applications?: Record<string, number> };
    return [
      ...earlier.orders.map((order): EcpChange => ({ kind: 'order', order, nextNumber: earlier.nextNumber })),
      ...Object.entries(earlier.applications ?? {}).map(([updateId, count]): EcpChange => ({ kind: 'applied', updateId, count })),
    ];
  }

  /** Places an order as a shopper would; random customer and lines where the request leaves them out. */
  async placeOrder(request: PlaceOrderRequest = {}): Promise<EcpOrder> {
    const customer = CUSTOMERS.find((c) => c.id === request.customerId) ?? pick(CUSTOMERS);
    const wanted =
      request.lines ??
      Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
        sku: pick(CATALOG).sku,
        quantity: 1 + Math.floor(Math.random() * 3),
      }));
    const lineItems = wanted.map((line, index) => {
      const product = PRODUCTS.find((p) => p.sku === line.sku);
      if (product === undefined) throw new Error(`unknown SKU ${line.sku}`);
      return {
        id: `L${index + 1}`,
        sku: product.sku,
        title: product.title,
        quantity: line.quantity,
        unitPrice: product.price,
        taxRate: product.taxRate,
      };
    });
    const locationId = this.inventory.locationFor(lineItems);
    if (locationId === undefined)
      throw new OutOfStockError(`out of stock: no location has ${lineItems.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}`);
    const subtotal = round2(lineItems.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0));
    const shippingPrice = request.shippingMethod === 'express' ? 9.9 : 4.9;
    const tax = round2(lineItems.reduce((sum, l) => sum + (l.unitPrice * l.quantity * l.taxRate) / (1 + l.taxRate), 0));
    const number = this.nextNumber++;
    const now = new Date().toISOString();
    const address = {
      firstName: customer.firstName,
      lastName: customer.lastName,
      line1: customer.line1,
      city: customer.city,
      postalCode: customer.postalCode,
      country: customer.country,
      ...('region' in customer ? { region: customer.region } : {}),
    };
    const order: EcpOrder = {
      id: String(number),
      version: 1,
      number: `#${number}`,
      createdAt: now,
      updatedAt: now,
      currency: 'EUR',
      customer: {
        id: customer.id,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        acceptsMarketing: customer.acceptsMarketing,
      },
      billingAddress: address,
      shippingAddress: address,
      lineItems,
      shipping: { method: request.shippingMethod ?? 'standard', price: shippingPrice },
      locationId,
      totals: { subtotal, shipping: shippingPrice, tax, total: round2(subtotal + shippingPrice) },
      payment: { method: request.paymentMethod ?? 'card', status: 'authorized', transactionId: `pi_${randomUUID().slice(0, 12)}` },
    };
    this.record({ kind: 'order', order, nextNumber: this.nextNumber });
    for (const level of this.inventory.commit(lineItems, locationId, 1, now)) this.record({ kind: 'level', level });
    if (Math.random() < this.faults.lostEventRate) this.lostEvents.add(order.id);
    else if (this.faults.eventDelayMs > 0)
      setTimeout(() => {
        this.publishCreated(order.id, order.version).catch((error: unknown) =>
          this.options.log(`could not announce order ${order.id}: ${String(error)}`),
        );
      }, this.faults.eventDelayMs);
    else await this.publishCreated(order.id, order.version);
    return order;
  }

  private async placeOrderRoute(body: unknown): Promise<JsonReply> {
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return { status: 400, body: { error: 'the body must be an object: { customerId?, lines?, shippingMethod?, paymentMethod? }' } };
    }
    try {
      return { status: 201, body: await this.placeOrder(body ?? {}) };
    } catch (error) {
      if (error instanceof OutOfStockError) return { status: 409, body: { error: error.message, code: 'OUT_OF_STOCK' } };
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }

  /**
   * `GET /orders?updatedSince=<ISO>&cursor=&top=`: the orders created or changed since then, oldest
   * change first, a page at a time (`top`, at most 250); `nextCursor` names the next page, as the
   * leading shop platforms page their order lists.
   */
  private listOrdersRoute(query: URLSearchParams): JsonReply {
    const since = query.get('updatedSince');
    if (since !== null && Number.isNaN(Date.parse(since))) return { status: 400, body: { error: 'updatedSince must be an ISO date-time' } };
    const top = Number(query.get('top') ?? 50);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) return { status: 400, body: { error: `top must be 1 to ${MAX_PAGE}` } };
    const cursor = query.get('cursor');
    const after = cursor === null ? undefined : Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    if (after !== undefined && after.length !== 2) return { status: 400, body: { error: 'not a cursor this API gave' } };
    const keyOf = (order: { updatedAt: string; id: string }): string => `${order.updatedAt}|${order.id}`;
    const changed = [...this.orders.values()]
      .map((order) => order as { updatedAt: string; id: string })
      .filter((order) => since === null || Date.parse(order.updatedAt) >= Date.parse(since))
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
      .filter((order) => after === undefined || keyOf(order) > after.join('|'));
    const page = changed.slice(0, top);
    const last = page.at(-1);
    return {
      status: 200,
      body: {
        value: page,
        ...(changed.length > top && last !== undefined ? { nextCursor: Buffer.from(keyOf(last), 'utf8').toString('base64url') } : {}),
      },
    };
  }

  private async getOrderRoute(id: string): Promise<JsonReply> {
    this.reads.set(id, (this.reads.get(id) ?? 0) + 1);
    if (this.faults.down) return { status: 503, body: { error: 'ECP is down (sandbox fault)' } };
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (Math.random() < this.faults.errorRate) return { status: 503, body: { error: 'injected failure' }, headers: { 'retry-after': '1' } };
    const order = this.orders.get(id);
    return order === undefined ? { status: 404, body: { error: `no order ${id}` } } : { status: 200, body: order };
  }

  /** The hub's changes to an order, as they stand. */
  statusOf(orderId: string): EcpOrderStatus | undefined {
    const order = this.orders.get(orderId) as (EcpOrderStatus & { id: string }) | undefined;
    if (order === undefined) return undefined;
    const { erpReference, fulfillmentStatus, financialStatus, tracking, cancelReason } = order;
    return JSON.parse(JSON.stringify({ erpReference, fulfillmentStatus, financialStatus, tracking, cancelReason })) as EcpOrderStatus;
  }

  private async updateOrderRoute(id: string, body: unknown): Promise<JsonReply> {
    if (this.faults.down) return { status: 503, body: { error: 'ECP is down (sandbox fault)' } };
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (Math.random() < this.faults.updateErrorRate) return { status: 503, body: { error: 'injected failure' } };
    const parsed = ecpOrderUpdateSchema.safeParse(body);
    if (!parsed.success)
      return {
        status: 400,
        body: { error: 'invalid update', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
      };
    const order = this.orders.get(id) as (Record<string, unknown> & { version: number }) | undefined;
    if (order === undefined) return { status: 404, body: { error: `no order ${id}` } };
    const { orderId: _id, updateId, occurredAt: _at, ...changes } = parsed.data;
    const updated = { ...order, ...changes, version: order.version + 1, updatedAt: new Date().toISOString() };
    this.record({ kind: 'order', order: updated });
    this.releaseStock(updated);
    this.record({ kind: 'applied', updateId, count: (this.applications.get(updateId) ?? 0) + 1 });
    if (!this.appliedAt.has(updateId)) this.appliedAt.set(updateId, Date.now());
    // Like any ECP it announces every change, its API clients' own included.
    void this.publish(EcpEventTypes.ORDER_UPDATED, { orderId: id, version: updated.version, updatedBy: HUB_CLIENT_NAME }).catch(
      (error: unknown) => this.options.log(`could not announce the update of order ${id}: ${String(error)}`),
    );
    return { status: 200, body: { id, version: updated.version } };
  }

  /** A shipped order's committed units leave the shelf; a cancelled one's go back on sale. Once per order. */
  private releaseStock(order: Record<string, unknown>): void {
    const id = String(order.id);
    const status = order.fulfillmentStatus;
    const { lineItems, locationId, updatedAt } = order as {
      lineItems?: { sku: string; quantity: number }[];
      locationId?: string;
      updatedAt: string;
    };
    if (this.released.has(id) || lineItems === undefined || locationId === undefined) return;
    let changes: LevelChange[];
    if (status === 'shipped' || status === 'delivered') changes = this.inventory.fulfil(lineItems, locationId, updatedAt);
    else if (status === 'cancelled') changes = this.inventory.commit(lineItems, locationId, -1, updatedAt);
    else return;
    for (const level of changes) this.record({ kind: 'level', level });
    this.record({ kind: 'released', orderId: id });
  }

  /** Takes a call's cost from the rate limit, or answers 429 with Retry-After. */
  private throttled(cost: number): JsonReply | undefined {
    const taken =
      Math.random() < this.faults.inventoryThrottleRate ? { taken: false as const, retryAfterSeconds: 1, left: 0 } : this.bucket.take(cost);
    if (taken.taken) return undefined;
    this.inventoryCalls.throttled++;
    return {
      status: 429,
      body: { error: 'throttled', message: `this call costs ${cost} points; the bucket holds ${taken.left}` },
      headers: { 'retry-after': String(taken.retryAfterSeconds) },
    };
  }

  /** `GET /inventory-levels?sku=a,b&location=&cursor=&top=`: levels in SKU and location order, a page at a time. */
  private async levelsRoute(query: URLSearchParams): Promise<JsonReply> {
    if (this.faults.down) return { status: 503, body: { error: 'ECP is down (sandbox fault)' } };
    const top = Number(query.get('top') ?? MAX_ROWS);
    if (!Number.isInteger(top) || top < 1 || top > MAX_ROWS) return { status: 400, body: { error: `top must be 1 to ${MAX_ROWS}` } };
    const skuList = query.get('sku');
    const skus = skuList === null ? undefined : new Set(skuList.split(',').filter((s) => s !== ''));
    if (skus !== undefined && (skus.size === 0 || skus.size > MAX_ROWS))
      return { status: 400, body: { error: `sku: 1 to ${MAX_ROWS} SKUs, comma-separated` } };
    const cursor = query.get('cursor');
    const refused = this.throttled(COST.levelsPage);
    if (refused !== undefined) return refused;
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    this.inventoryCalls.levelsPages++;
    const location = query.get('location') ?? undefined;
    const { levels, next } = this.inventory.page(
      { ...(skus === undefined ? {} : { skus }), ...(location === undefined ? {} : { location }) },
      cursor === null ? undefined : Buffer.from(cursor, 'base64url').toString('utf8'),
      top,
    );
    return {
      status: 200,
      body: { value: levels, ...(next === undefined ? {} : { nextCursor: Buffer.from(next, 'utf8').toString('base64url') }) },
    };
  }

  /**
   * `POST /inventory/set-quantities` with an `Idempotency-Key` header, `{ quantities: [{ sku,
   * location, quantity, compareQuantity? }] }`: sets `available`, row by row; a repeated key gets
   * the first answer again, and changes nothing.
   */
  private async setQuantitiesRoute(body: unknown, idempotencyKey: string | string[] | undefined): Promise<JsonReply> {
    const quantities = (body as { quantities?: unknown } | undefined)?.quantities;
    return await this.idempotentWrite(idempotencyKey, 'quantities', COST.setQuantities, {
      refusal: () => {
        if (!Array.isArray(quantities) || quantities.length === 0 || quantities.length > MAX_ROWS)
          return { status: 400, body: { error: `quantities: 1 to ${MAX_ROWS} rows of { sku, location, quantity, compareQuantity? }` } };
        const malformed = quantities.findIndex(
          (r: unknown) =>
            typeof r !== 'object' ||
            r === null ||
            typeof (r as QuantityRow).sku !== 'string' ||
            typeof (r as QuantityRow).location !== 'string' ||
            typeof (r as QuantityRow).quantity !== 'number' ||
            ((r as QuantityRow).compareQuantity !== undefined && typeof (r as QuantityRow).compareQuantity !== 'number'),
        );
        return malformed < 0
          ? undefined
          : { status: 400, body: { error: `quantities[${malformed}]: { sku, location, quantity, compareQuantity? }` } };
      },
      apply: () => {
        const { results, changes } = this.inventory.setQuantities(quantities as QuantityRow[], new Date().toISOString());
        for (const level of changes) this.record({ kind: 'level', level });
        this.inventoryCalls.setQuantities++;
        return { results };
      },
    });
  }

  /**
   * `POST /products/prices` with an `Idempotency-Key` header, `{ prices: [{ sku, price,
   * compareAtPrice }] }` (at most 250): each product's price, row by row; a repeated key gets the
   * first answer again.
   */
  private async setPricesRoute(body: unknown, idempotencyKey: string | string[] | undefined): Promise<JsonReply> {
    const rows = (body as { prices?: unknown } | undefined)?.prices;
    return await this.idempotentWrite(idempotencyKey, 'prices', COST.setPrices, {
      refusal: () => {
        const malformed = Array.isArray(rows)
          ? rows.findIndex(
              (r: unknown) =>
                typeof r !== 'object' ||
                r === null ||
                typeof (r as PriceRow).sku !== 'string' ||
                typeof (r as PriceRow).price !== 'number' ||
                ((r as PriceRow).compareAtPrice !== null && typeof (r as PriceRow).compareAtPrice !== 'number'),
            )
          : -1;
        if (Array.isArray(rows) && rows.length > 0 && rows.length <= MAX_ROWS && malformed < 0) return undefined;
        return {
          status: 400,
          body: {
            error: `prices: 1 to ${MAX_ROWS} rows of { sku, price, compareAtPrice (a price or null) }${malformed >= 0 ? `; prices[${malformed}] is not` : ''}`,
          },
        };
      },
      apply: () => {
        const { results, changes } = this.prices.set(rows as PriceRow[], new Date().toISOString());
        for (const price of changes) this.record({ kind: 'price', price });
        return { results };
      },
    });
  }

  /**
   * A write of the inventory API as the shop answers it: 503 when down; 400 without an
   * Idempotency-Key; a key seen before for this kind of write gets its first answer again and
   * changes nothing; then the body is checked, the call's cost taken from the rate limit (or 429),
   * the write applied and its answer kept under the key.
   */
  private async idempotentWrite(
    idempotencyKey: string | string[] | undefined,
    kind: 'quantities' | 'prices',
    cost: number,
    write: { refusal: () => JsonReply | undefined; apply: () => unknown },
  ): Promise<JsonReply> {
    if (this.faults.down) return { status: 503, body: { error: 'ECP is down (sandbox fault)' } };
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '' || idempotencyKey.length > 255)
      return { status: 400, body: { error: 'an Idempotency-Key header (1 to 255 characters) is required' } };
    const key = `${kind}:${idempotencyKey}`;
    const earlier = this.answered.get(key);
    if (earlier !== undefined) return earlier;
    const refusal = write.refusal();
    if (refusal !== undefined) return refusal;
    const refused = this.throttled(cost);
    if (refused !== undefined) return refused;
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    const reply: JsonReply = { status: 200, body: write.apply() };
    this.answered.set(key, reply);
    if (this.answered.size > IDEMPOTENCY_KEYS) this.answered.delete(this.answered.keys().next().value as string);
    return reply;
  }

  private async publishCreated(orderId: string, version: number): Promise<void> {
    await this.publish(EcpEventTypes.ORDER_CREATED, { orderId, version });
  }

  private async publish(eventType: string, data: EcpOrderEventData): Promise<void> {
    const orderId = data.orderId;
    const event = { id: randomUUID(), eventType, subject: `orders/${orderId}`, dataVersion: '1.0', eventTime: new Date(), data };
    const copies = Math.random() < this.faults.duplicateEventRate ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.publisher.send([event]);
          break;
        } catch (error) {
          if (attempt >= 5) throw error;
          this.options.log(`publish of order ${orderId} failed (${String(error)}); retrying`);
          await sleep(200 * attempt);
        }
      }
    }
  }
}

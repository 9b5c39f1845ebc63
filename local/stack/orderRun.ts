import { QueueServiceClient } from '@azure/storage-queue';
import { ParkedTable } from '../../src/adapters/tables/ParkedTable';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import type { LocalStack } from './LocalStack';

export interface OrderRunOptions {
  orders: number;
  /** Orders placed at once. @default 8 */
  concurrency?: number;
  /** Give up waiting after this long. @default 300000 */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface OrderRunSummary {
  /** The ECP order ids placed. */
  orderIds: string[];
  placed: number;
  inErp: number;
  missing: string[];
  duplicates: string[];
  parked: number;
  /** Placing an order in the ECP → its sales order created in the ERP. */
  latencyMs: { p50: number; p95: number; p99: number };
  elapsedMs: number;
  ordersPerSecond: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** True when nothing is left in flight: no message on the hub's queues or in Event Grid delivery. */
async function pipelineIdle(service: QueueServiceClient): Promise<boolean> {
  for (const name of ['online-orders', 'eg-ecp-orders-order-events-processor']) {
    const properties = await service
      .getQueueClient(name)
      .getProperties()
      .catch(() => undefined);
    if ((properties?.approximateMessagesCount ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Places orders in the sandbox ECP and waits until every one is in the sandbox ERP and nothing is
 * left in flight; then counts what reached the ERP, what reached it twice and what was parked.
 */
export async function runOrders(stack: LocalStack, options: OrderRunOptions): Promise<OrderRunSummary> {
  const placedAt = new Map<string, number>();
  const started = Date.now();
  let next = 0;
  const place = async (): Promise<void> => {
    while (next < options.orders) {
      next++;
      const at = Date.now();
      const order = await stack.ecp.placeOrder();
      placedAt.set(order.id, at);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, place));
  const parked = new ParkedTable(stack.azurite.connectionString);
  const queues = QueueServiceClient.fromConnectionString(stack.azurite.connectionString);
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let lastReport = 0;
  for (;;) {
    const documents = new Set(stack.erp.salesOrders.map((o) => o.externalDocumentNumber));
    const parkedIds = new Set((await parked.list()).map((p) => p.orderId));
    const settled = [...placedAt.keys()].filter((id) => documents.has(externalDocumentNumberFor(id)) || parkedIds.has(id)).length;
    if (settled === placedAt.size && (await pipelineIdle(queues))) break;
    if (Date.now() > deadline) break;
    if (options.onProgress && Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      options.onProgress(`${settled}/${placedAt.size} orders settled`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const elapsedMs = Date.now() - started;

  const firstCreate = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const salesOrder of stack.erp.salesOrders) {
    const doc = salesOrder.externalDocumentNumber;
    counts.set(doc, (counts.get(doc) ?? 0) + 1);
    if (!firstCreate.has(doc)) firstCreate.set(doc, Date.parse(salesOrder.createdAt));
  }
  const latencies: number[] = [];
  const missing: string[] = [];
  for (const [orderId, at] of placedAt) {
    const created = firstCreate.get(externalDocumentNumberFor(orderId));
    if (created === undefined) missing.push(orderId);
    else latencies.push(created - at);
  }
  latencies.sort((a, b) => a - b);
  const parkedCount = (await parked.list()).filter((p) => placedAt.has(p.orderId)).length;
  return {
    orderIds: [...placedAt.keys()],
    placed: placedAt.size,
    inErp: placedAt.size - missing.length,
    missing,
    duplicates: [...counts.entries()].filter(([, n]) => n > 1).map(([doc]) => doc),
    parked: parkedCount,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    elapsedMs,
    ordersPerSecond: placedAt.size / (elapsedMs / 1000),
  };
}

/** Where the orders of a run stand in the sandbox ECP once the ERP has reported on them. */
export interface RoundTripSummary {
  withErpReference: number;
  paid: number;
  delivered: number;
  cancelled: number;
  /** Orders neither delivered and paid nor cancelled when the wait ended. */
  unfinished: string[];
  /** ERP sales order created → the ECP showing the order delivered (or cancelled). */
  latencyMs: { p50: number; p95: number };
}

/**
 * Waits until every order of `orderIds` ends in the sandbox ECP: delivered and paid with its ERP
 * reference and tracking, or cancelled (the ERP rejected it); then counts where they stand.
 */
export async function waitForRoundTrip(
  stack: LocalStack,
  orderIds: readonly string[],
  timeoutMs = 300_000,
  onProgress?: (line: string) => void,
): Promise<RoundTripSummary> {
  const finishedAt = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  while (finishedAt.size < orderIds.length && Date.now() < deadline) {
    for (const orderId of orderIds) {
      if (finishedAt.has(orderId)) continue;
      const status = stack.ecp.statusOf(orderId);
      const done =
        (status?.fulfillmentStatus === 'delivered' && status.financialStatus === 'paid' && status.tracking !== undefined) ||
        status?.fulfillmentStatus === 'cancelled';
      if (done) finishedAt.set(orderId, Date.now());
    }
    if (onProgress && Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      onProgress(`${finishedAt.size}/${orderIds.length} orders finished in the ECP`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const statuses = orderIds.map((id) => stack.ecp.statusOf(id));
  const latencies = orderIds
    .map((id) => {
      const created = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(id))?.createdAt;
      const finished = finishedAt.get(id);
      return created === undefined || finished === undefined ? undefined : finished - Date.parse(created);
    })
    .filter((n): n is number => n !== undefined)
    .sort((a, b) => a - b);
  return {
    withErpReference: statuses.filter((s) => s?.erpReference !== undefined).length,
    paid: statuses.filter((s) => s?.financialStatus === 'paid').length,
    delivered: statuses.filter((s) => s?.fulfillmentStatus === 'delivered').length,
    cancelled: statuses.filter((s) => s?.fulfillmentStatus === 'cancelled').length,
    unfinished: orderIds.filter((id) => !finishedAt.has(id)),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}

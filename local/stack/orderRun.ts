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
    const properties = await service.getQueueClient(name).getProperties().catch(() => undefined);
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

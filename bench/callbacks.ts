/**
 * `npm run bench:callbacks`: ERP status callbacks per second accepted by erpCallback (signature
 * check, mapping, replay guard, queueing) at a fixed concurrency, and callback → ECP latency
 * p50/p95 through ecpUpdater, on the local runtime; beside the signature check alone.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { count } from '../local/support/optionParsers';
import { LocalStack } from '../local/stack/LocalStack';
import { percentile, runOrders } from '../local/stack/orderRun';
import { externalDocumentNumberFor } from '../src/domain/externalDocumentNumber';
import { signCallback, verifyCallback } from '../src/platforms/erp/callbackSignature';
import type { ErpCallback } from '../src/platforms/erp/erpCallback';

const program = new Command('bench:callbacks')
  .description('callbacks/s accepted by erpCallback and callback → ECP latency, through the local runtime')
  .option('--orders <n>', 'orders whose lives are reported (5 callbacks each)', count, 200)
  .option('--concurrency <n>', 'callbacks in flight at once in the burst', count, 16)
  .option('--paced <n>', 'callbacks per second in the paced phase that measures latency', count, 20);

/** The five callbacks of an order's life, in order. */
function lifeOf(record: { id: string; number: string; externalDocumentNumber: string }, total: number, currency: string): ErpCallback[] {
  const salesOrder = { id: record.id, number: record.number, externalDocumentNumber: record.externalDocumentNumber };
  const at = new Date().toISOString();
  const shipment = { shippingAgentCode: 'UPS', packageTrackingNo: `1Z${Math.floor(Math.random() * 1e10)}` };
  return [
    { event: 'SalesOrder.Created' as const },
    { event: 'Payment.Captured' as const, payment: { amount: total, currencyCode: currency } },
    { event: 'Shipment.Prepared' as const, shipment: { shippingAgentCode: 'UPS' } },
    { event: 'Shipment.Shipped' as const, shipment },
    { event: 'Shipment.Delivered' as const, shipment },
  ].map((step) => ({ ...step, callbackId: `bench-${randomUUID()}`, occurredAt: at, salesOrder }));
}

async function main(): Promise<void> {
  const options = program.parse().opts<{ orders: number; concurrency: number; paced: number }>();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-bench-callbacks-'));
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir,
    hostEnv: { HUB_HOST_QUIET: '1' },
    log: (line) => (/error|fail/i.test(line) ? console.error(line) : undefined),
  });
  try {
    stack.erp.lives!.settings = { ...stack.erp.lives!.settings, enabled: false };
    const run = await runOrders(stack, { orders: options.orders });
    const secret = (stack.settings.ERP_CALLBACK_SECRETS ?? '').split(',')[0] ?? '';
    // Step by step across all orders, as an ERP reports a day's work: mostly in order per order.
    const lives = run.orderIds.map((orderId) => {
      const record = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(orderId))!;
      return lifeOf(record, record.order.amounts.totalInclTax, record.order.currencyCode);
    });
    // The first four fifths of the orders as a burst (throughput); the last fifth paced (latency without a backlog).
    const burstOrders = Math.floor(lives.length * 0.8);
    const inSteps = (group: ErpCallback[][]): ErpCallback[] => [0, 1, 2, 3, 4].flatMap((step) => group.map((life) => life[step]!));
    const burst = inSteps(lives.slice(0, burstOrders));
    const paced = inSteps(lives.slice(burstOrders));
    const sentAt = new Map<string, number>();
    let refused = 0;
    const post = async (callback: ErpCallback): Promise<void> => {
      const body = Buffer.from(JSON.stringify(callback));
      sentAt.set(callback.callbackId, Date.now());
      const response = await fetch(`${stack.functionsUrl}/api/erp/callbacks?code=${stack.functionKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signCallback(body, secret, new Date()) },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 202) refused++;
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < burst.length) await post(burst[next++]!);
      }),
    );
    const acceptedPerSecond = (burst.length - refused) / ((performance.now() - started) / 1000);
    const delivered = (orderIds: readonly string[]): boolean =>
      orderIds.every((id) => stack.ecp.statusOf(id)?.fulfillmentStatus === 'delivered');
    const settle = async (orderIds: readonly string[]): Promise<void> => {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline && !delivered(orderIds)) await new Promise((r) => setTimeout(r, 100));
    };
    await settle(run.orderIds.slice(0, burstOrders));
    const sending: Promise<void>[] = [];
    for (const callback of paced) {
      sending.push(post(callback));
      await new Promise((r) => setTimeout(r, 1000 / options.paced));
    }
    await Promise.all(sending);
    await settle(run.orderIds);
    const latencyOf = (group: ErpCallback[]): number[] =>
      group
        .map((c) => {
          const applied = stack.ecp.appliedAt.get(c.callbackId);
          const sent = sentAt.get(c.callbackId);
          return applied === undefined || sent === undefined ? undefined : applied - sent;
        })
        .filter((n): n is number => n !== undefined)
        .sort((a, b) => a - b);
    const burstLatencies = latencyOf(burst);
    const latencies = latencyOf(paced);
    const bodies = paced.map((c) => Buffer.from(JSON.stringify(c)));

    // The signature check alone, in process, on the same bodies.
    const headers = bodies.map((b) => signCallback(b, secret, new Date()));
    const secrets = [secret];
    let checks = 0;
    const checkStart = performance.now();
    while (performance.now() - checkStart < 1000) {
      const i = checks % bodies.length;
      verifyCallback(
        bodies[i]!,
        { signature: headers[i]!['x-erp-signature'] ?? null, timestamp: headers[i]!['x-erp-timestamp'] ?? null },
        secrets,
        new Date(),
      );
      checks++;
    }
    const checksPerSecond = checks / ((performance.now() - checkStart) / 1000);

    console.log(
      `${burst.length + paced.length} callbacks for ${options.orders} orders: a burst of ${burst.length} at concurrency ${options.concurrency}, then ${paced.length} paced at ${options.paced}/s; Node ${process.version}\n`,
    );
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| callbacks accepted by erpCallback (202) in the burst, per second | ${acceptedPerSecond.toFixed(0)} |`);
    console.log(
      `| callback → applied in the ECP at ${options.paced}/s, p50 / p95 ms | ${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 95).toFixed(0)} |`,
    );
    console.log(
      `| callback → applied in the ECP in the burst (queueing included), p50 / p95 ms | ${percentile(burstLatencies, 50).toFixed(0)} / ${percentile(burstLatencies, 95).toFixed(0)} |`,
    );
    console.log(`| refused | ${refused} |`);
    console.log(`| signature checks alone, in process, per second | ${checksPerSecond.toFixed(0)} |`);
    if (refused > 0) process.exitCode = 1;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/**
 * `npm run bench:operations`: the operators' tools at size, on one local stack (Azurite, the
 * sandboxes, the Functions host), each beside the alternative in the same run:
 *  1. with 10,000 parked entries and 100,000 journey rows (10,000 orders of 10 steps): the failures
 *     listing and one order's document through the ops API (the overview without payloads vs every
 *     row whole; an order's parked entries by row key vs a scan of the table), and the dashboard's
 *     failures page and order page in chromium, to the groups and the timeline on screen; the
 *     statistics and an order search;
 *  2. replay jobs at the rate limit (100/s) and at 10/s: the rate achieved, and each order in the ERP;
 *  3. a reconciler run over 10,000 ECP orders in its window: all in step, 16 at a time vs one at a
 *     time; and with 1,000 of them never announced (queued by the run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient, odata } from '@azure/data-tables';
import { buildOpsUi } from '../build/opsUi';
import { LocalStack } from '../local/stack/LocalStack';
import { createHubServices, type HubServices } from '../src/composition/hubServices';
import { loadSettings } from '../src/config/settings';
import { externalDocumentNumberFor } from '../src/domain/externalDocumentNumber';
import { newLedgerEntry, recordSubmitted } from '../src/domain/orderLedger';
import { groupFailures } from '../src/flows/operations/failureGroups';
import { reconcileOrders } from '../src/flows/reconciliation/reconcileOrders';
import { eachConcurrently } from '../src/flows/shared/eachConcurrently';
import { JourneyRecorder } from '../src/flows/shared/JourneyRecorder';
import { launchChromium } from '../test/support/chromium';
import { ecpOrderFactory } from '../test/support/ecpOrderFactory';

const ORDERS = Number(process.env.OPS_BENCH_ORDERS ?? 10_000);
const STEPS = 10;
const RUNS = 5;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
async function medianOf(work: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await work(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(work));
  return median(times);
}
const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** 10,000 orders: each with a ledger entry (and its index row), 10 journey steps; each parked once, with its order as payload. */
async function seed(hub: HubServices, storage: string): Promise<void> {
  const journeys = TableClient.fromConnectionString(storage, 'journeys', { allowInsecureConnection: true });
  await journeys.createTable();
  const ids = Array.from({ length: ORDERS }, (_, i) => `B${String(i).padStart(6, '0')}`);
  const base = Date.now() - 6 * 3600_000;
  const codes = ['MAPPING.UNKNOWN_SKU', 'MAPPING.UNKNOWN_SKU', 'ERP.REJECTED', 'ECP.ORDER_INVALID', 'MAPPING.LOOKUP_MISSING'];
  let done = 0;
  await eachConcurrently(ids, 32, async (orderId) => {
    const index = Number(orderId.slice(1));
    const at = new Date(base + index * 1000);
    const steps = Array.from({ length: STEPS }, (_, s) => ({
      partitionKey: orderId,
      rowKey: `${new Date(at.getTime() + s * 100).toISOString()}~${s}`,
      at: new Date(at.getTime() + s * 100).toISOString(),
      function: 'erpIntegrator',
      step: s === STEPS - 1 ? 'submit' : 'retry',
      attempt: s + 1,
      outcome: s === STEPS - 1 ? 'parked' : 'retry',
      code: codes[index % codes.length],
      detail: 'the ERP answered 503 (sandbox fault); retried with backoff and jitter',
    }));
    await journeys.submitTransaction(steps.map((entity) => ['create', entity]));
    const code = codes[index % codes.length] ?? 'ERP.REJECTED';
    await hub.ledger.create({
      ...newLedgerEntry(orderId, 1, externalDocumentNumberFor(orderId), at, at.toISOString()),
      state: 'parked',
      lastErrorCode: code,
    });
    await hub.operations.parked.park({
      source: 'online-orders',
      orderId,
      code,
      reason: `lines[0].itemNo: 'POSTER-${index % 40}' is not in lookup table 'items'`,
      details: ['lines[0].itemNo'],
      payload: JSON.stringify(ecpOrderFactory({ id: orderId })),
      attempts: STEPS,
      parkedAt: at.toISOString(),
      replayable: true,
      ...(code.startsWith('MAPPING.') ? { mappings: `canonical-to-erp-sales-order@${1 + (index % 3)}#abcdef12` } : {}),
    });
    done += 1;
    if (done % 2000 === 0) console.log(`  seeded ${done} orders`);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-ops-bench-'));
  await buildOpsUi();
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir,
    settings: { RECONCILER_SCHEDULE: '0 0 0 1 1 *', RECONCILER_SETTLE_MS: '1000', ERP_LOOKUP_BEFORE_CREATE: 'false' },
    hostEnv: { HUB_HOST_QUIET: '1' },
    log: () => undefined,
  });
  const browser = await launchChromium();
  const rows: string[] = [];
  const row = (text: string): void => {
    rows.push(text);
    console.log(text);
  };
  try {
    const hub = createHubServices(loadSettings(stack.settings));
    const storage = stack.settings.AzureWebJobsStorage ?? '';
    const key = stack.functionKey;
    const api = async (route: string): Promise<unknown> => {
      const response = await fetch(
        `${stack.functionsUrl}/api/ops/${route}${route.includes('?') ? '&' : '?'}code=${encodeURIComponent(key)}`,
      );
      if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as unknown;
    };
    console.log(`seeding ${ORDERS} orders: ${ORDERS * STEPS} journey rows, ${ORDERS} ledger entries, ${ORDERS} parked entries`);
    const seeding = await timed(() => seed(hub, storage));
    console.log(`  seeded in ${(seeding / 1000).toFixed(0)} s`);

    // 1. The pages at size.
    const parked = hub.operations.parked;
    const overview = await medianOf(async () => groupFailures(await parked.overview('open')));
    const whole = await medianOf(async () => groupFailures(await parked.list()));
    row(`| failures, grouped (${ORDERS} parked) | overview, no payloads: ${ms(overview)} | every row whole: ${ms(whole)} |`);
    const viaApi = await medianOf(() => api('failures'));
    row(`| GET /api/ops/failures | ${ms(viaApi)} | |`);

    const probe = `B${String(Math.floor(ORDERS / 2)).padStart(6, '0')}`;
    const table = TableClient.fromConnectionString(storage, 'parked', { allowInsecureConnection: true });
    const byKey = await medianOf(() => parked.ofOrder(probe));
    const byScan = await medianOf(async () => {
      const found = [];
      for await (const row of table.listEntities({ queryOptions: { filter: odata`orderId eq ${probe}` } })) found.push(row);
      return found;
    });
    row(`| an order's parked entries | by row key: ${ms(byKey)} | scanning the table: ${ms(byScan)} |`);
    const document = await medianOf(() => api(`orders/${probe}`));
    row(`| GET /api/ops/orders/{id} (${STEPS} of ${ORDERS * STEPS} journey rows) | ${ms(document)} | |`);
    const stats = await medianOf(() => api('stats'));
    const search = await medianOf(() => api('orders?state=parked&limit=50'));
    row(`| GET /api/ops/stats (${ORDERS} orders in the day) | ${ms(stats)} | |`);
    row(`| GET /api/ops/orders?state=parked (a page of 50) | ${ms(search)} | |`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const ui = `${stack.functionsUrl}/api/ops/ui`;
    await page.goto(`${ui}?code=${encodeURIComponent(key)}#/stats`);
    await page.waitForSelector('.card');
    const onScreen = async (hash: string, selector: string): Promise<number> =>
      await medianOf(async () => {
        await page.goto('about:blank');
        await page.goto(`${ui}${hash}`);
        await page.waitForSelector(selector, { timeout: 60_000 });
      });
    row(`| dashboard: failures page, groups on screen | ${ms(await onScreen('#/failures', 'article.group'))} | |`);
    row(`| dashboard: an order's page, its timeline on screen | ${ms(await onScreen(`#/orders/${probe}`, 'ol.timeline li'))} | |`);
    row(`| dashboard: stats page, charts on screen | ${ms(await onScreen('#/stats', '.chart canvas'))} | |`);

    // 2. Replay jobs: orders that map now, whose events were lost, parked as if the ERP had been down.
    const replayAt = async (rate: number, count: number): Promise<string> => {
      stack.ecp.faults = { ...stack.ecp.faults, lostEventRate: 1 };
      const orders = await Promise.all(
        Array.from({ length: count }, () => stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] })),
      );
      stack.ecp.faults = { ...stack.ecp.faults, lostEventRate: 0 };
      const ids = orders.map((o) => o.id);
      await eachConcurrently(
        orders,
        16,
        async (order) =>
          await hub.operations.parked.park({
            source: 'online-orders',
            orderId: order.id,
            code: 'ERP.UNAVAILABLE',
            reason: 'the ERP answered 503',
            details: [],
            payload: JSON.stringify(order),
            attempts: 10,
            parkedAt: new Date().toISOString(),
            replayable: true,
          }),
      );
      const erpBefore = stack.erp.salesOrders.length;
      const started = performance.now();
      const response = await fetch(`${stack.functionsUrl}/api/ops/failures/replay?code=${encodeURIComponent(key)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dryRun: false, rate, orderIds: ids }),
      });
      const { jobId } = (await response.json()) as { jobId: string };
      let state = 'running';
      while (state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = ((await api(`replays/${jobId}`)) as { state: string }).state;
      }
      const jobMs = performance.now() - started;
      while (stack.erp.salesOrders.length < erpBefore + count && performance.now() - started < 600_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const allMs = performance.now() - started;
      return `| replay job, ${count} entries at ${rate}/s | ${state}: ${((count / jobMs) * 1000).toFixed(1)}/s achieved (${(jobMs / 1000).toFixed(1)} s) | all in the ERP after ${(allMs / 1000).toFixed(1)} s (${stack.erp.salesOrders.length - erpBefore} created) |`;
    };
    row(await replayAt(100, 500));
    row(await replayAt(10, 50));

    // 3. The reconciler over 10,000 ECP orders in its window (the host stopped: only the run is measured).
    await stack.stopHost();
    stack.ecp.faults = { ...stack.ecp.faults, lostEventRate: 1 };
    const placed: string[] = [];
    for (let i = 0; i < ORDERS; i++) placed.push((await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] })).id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const known = placed.slice(0, ORDERS - 1000);
    const lost = placed.slice(ORDERS - 1000);
    const submit = async (orderId: string) => {
      const entry = newLedgerEntry(orderId, 1, externalDocumentNumberFor(orderId), new Date());
      await hub.ledger.create(recordSubmitted(entry, `SO-${orderId}`, new Date()));
    };
    await eachConcurrently(known, 32, submit);
    const run = async (concurrency: number) => {
      const deps = { ...hub.reconcile, windowMs: 3600_000, concurrency };
      let summary;
      const took = await timed(async () => (summary = await reconcileOrders(deps, new JourneyRecorder(hub.journeys, 'bench'), 'bench')));
      return { took, summary: summary as unknown as Awaited<ReturnType<typeof reconcileOrders>> };
    };
    const withLost = await run(16);
    row(
      `| reconciler, ${withLost.summary.counts.listed} ECP orders, ${lost.length} never announced (16 at a time) | ${(withLost.took / 1000).toFixed(1)} s: ${withLost.summary.counts.queuedUnseen} queued, ${withLost.summary.counts.inStep} in step | |`,
    );
    await eachConcurrently(lost, 32, async (orderId) => {
      const current = await hub.ledger.get(orderId);
      if (current === undefined) await submit(orderId);
    });
    const parallel = await run(16);
    const sequential = await run(1);
    row(
      `| reconciler, ${parallel.summary.counts.listed} ECP orders all in step | 16 at a time: ${(parallel.took / 1000).toFixed(1)} s | one at a time: ${(sequential.took / 1000).toFixed(1)} s |`,
    );
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n| what | measured (median of ${RUNS}) | the alternative, same run |\n|---|---|---|\n${rows.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

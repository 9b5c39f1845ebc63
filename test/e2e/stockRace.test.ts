import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import type { StockRun } from '../../src/domain/stockRun';
import { stockOfSku } from '../../src/flows/inventory/stockOfSku';
import { CATALOG } from '../../local/sandboxes/catalog';
import { OutOfStockError } from '../../local/sandboxes/ecp/SandboxEcp';
import { setErpStock, startTestStack, waitFor, type TestStack } from '../support/stack';

/** The race runs a minute (`npm run test:stock-race`); npm test runs 15 seconds of it. */
const SECONDS = Number(process.env.STOCK_RACE_SECONDS ?? 15);
const ORDERS_PER_SECOND = 20;
/** Stock of every item at each warehouse when the race starts: sold out within seconds at 20 orders a second. */
const START_STOCK = 25;

jest.setTimeout(SECONDS * 1000 + 240_000);

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the stock race: orders in the shop while the ERP restocks, delta syncs and a full reconciliation run', () => {
  let test: TestStack | undefined;
  afterAll(async () => await test?.stop());

  it(`${ORDERS_PER_SECOND} orders a second for ${SECONDS} s, restocks twice a second, the ERP slow, the shop's events late → 0 units backordered, every SKU in step after`, async () => {
    test = await startTestStack({
      settings: { STOCK_SYNC_SCHEDULE: '*/5 * * * * *', STOCK_FULL_SYNC_SCHEDULE: '0 0 0 1 1 *' },
    });
    const { stack } = test;
    const hub = createHubServices(loadSettings(stack.settings));
    // The ERP keeps its orders (no shipments meanwhile) and answers slowly.
    if (stack.erp.lives !== undefined) stack.erp.lives.settings = { ...stack.erp.lives.settings, enabled: false };
    const fullSync = async (): Promise<string> => {
      const answer = await fetch(`${stack.functionsUrl}/api/ops/stock/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-functions-key': stack.functionKey },
        body: JSON.stringify({ full: true }),
      });
      expect(answer.status).toBe(202);
      return ((await answer.json()) as { runId: string }).runId;
    };
    const finished = async (runId: string): Promise<StockRun> => {
      let run: StockRun | undefined;
      await waitFor(
        async () => {
          run = await hub.stock.state.run(runId);
          return run !== undefined && run.status !== 'Running';
        },
        120_000,
        `stock run ${runId} finished`,
      );
      return run as StockRun;
    };
    const everyRow = CATALOG.flatMap((p) => ['main', 'east'].map((location) => ({ ...p, location })));

    for (const p of CATALOG) for (const location of ['MAIN', 'EAST']) await setErpStock(stack.erp.url, p.itemNo, location, START_STOCK);
    await waitFor(
      () => everyRow.every((r) => stack.ecp.inventory.level(r.sku, r.location)?.available === START_STOCK),
      30_000,
      'the shop at the ERP’s stock',
    );

    stack.erp.faults = { ...stack.erp.faults, latencyMs: 250, readLatencyMs: 150 };
    // The shop's order events reach the hub a second late: sold units the hub has not heard of yet.
    stack.ecp.faults = { ...stack.ecp.faults, eventDelayMs: 1000 };
    let placed = 0;
    let outOfStock = 0;
    let restocks = 0;
    const orders: Promise<void>[] = [];
    const started = Date.now();
    let fullRunId: string | undefined;
    for (let tick = 0; Date.now() - started < SECONDS * 1000; tick++) {
      const lines = Array.from({ length: 1 + Math.floor(Math.random() * 2) }, () => ({
        sku: pick(CATALOG).sku,
        quantity: 1 + Math.floor(Math.random() * 3),
      }));
      orders.push(
        stack.ecp.placeOrder({ lines }).then(
          () => {
            placed++;
          },
          (error: unknown) => {
            if (!(error instanceof OutOfStockError)) throw error;
            outOfStock++;
          },
        ),
      );
      if (tick % (ORDERS_PER_SECOND / 2) === 0) {
        // Twice a second a delivery at a warehouse: 5 to 15 more on hand.
        const item = pick(CATALOG).itemNo;
        const location = pick(['MAIN', 'EAST']);
        await setErpStock(stack.erp.url, item, location, stack.erp.stock.level(item, location).onHand + 5 + Math.floor(Math.random() * 11));
        restocks++;
      }
      if (fullRunId === undefined && Date.now() - started > (SECONDS * 1000) / 3) fullRunId = await fullSync();
      await sleep(Math.max(0, started + ((tick + 1) * 1000) / ORDERS_PER_SECOND - Date.now()));
    }
    await Promise.all(orders);
    stack.ecp.faults = { ...stack.ecp.faults, eventDelayMs: 0 };
    stack.erp.faults = { ...stack.erp.faults, latencyMs: 0, readLatencyMs: 0 };

    // Every order placed reaches the ERP, and leaves the units in flight.
    await waitFor(() => stack.erp.salesOrders.length === placed, 120_000, `all ${placed} orders in the ERP`);
    await waitFor(async () => (await hub.stock.inFlight.totals()).size === 0, 30_000, 'no units in flight');
    const midRace = await finished(fullRunId ?? (await fullSync()));
    // Settled: a last full reconciliation brings every row to its sellable quantity.
    const last = await finished(await fullSync());
    const backordered = stack.erp.stats().backorderedUnits;
    const shown = await Promise.all(CATALOG.map((p) => stockOfSku(hub.stock, p.sku)));
    const outOfStep = shown.flatMap((s) =>
      'locations' in s
        ? s.locations.filter((l) => !l.inStep || l.shop?.available !== l.sellable).map((l) => `${s.sku} at ${l.location}`)
        : [s.unknown],
    );
    const deltas = (await hub.stock.state.runs(200)).filter((r) => r.kind === 'delta' && Date.parse(r.startedAt) >= started);
    console.log(
      `stock race: ${placed} orders placed, ${outOfStock} refused out of stock, ${restocks} restocks, ${deltas.length} delta syncs ` +
        `(${deltas.reduce((n, r) => n + r.counts.conflictResolved, 0)} conflicts resolved), full reconciliation during the race ${midRace.status} ` +
        `(${midRace.counts.rows} rows, ${midRace.counts.applied} applied, ${midRace.counts.conflictResolved} conflicts resolved), ` +
        `after: ${last.counts.applied} corrected; ${backordered} units backordered; ${outOfStep.length} rows out of step`,
    );
    expect(placed).toBeGreaterThan(ORDERS_PER_SECOND * SECONDS * 0.3);
    expect(outOfStock).toBeGreaterThan(0);
    expect(backordered).toBe(0);
    expect(outOfStep).toEqual([]);
    expect(midRace.status).not.toBe('Failed');
    expect(last.status).toBe('Success');
  });
});

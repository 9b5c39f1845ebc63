import path from 'node:path';
import { SandboxEcp } from '../../local/sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../../local/sandboxes/erp/SandboxErp';
import { freePort } from '../../local/support/freePort';
import { EcpInventoryClient } from '../../src/adapters/ecp/EcpInventoryClient';
import { ErpStockClient } from '../../src/adapters/erp/ErpStockClient';
import { InFlightUnitsTable } from '../../src/adapters/tables/InFlightUnitsTable';
import { StockStateTables } from '../../src/adapters/tables/StockStateTables';
import { unitsOfShopOrder } from '../../src/domain/shopOrderUnits';
import { deltaSync, type DeltaSyncDeps } from '../../src/flows/inventory/deltaSync';
import { priceSync } from '../../src/flows/inventory/priceSync';
import { pushStock } from '../../src/flows/inventory/pushStock';
import { loadStockCatalog, type StockCatalog } from '../../src/inventory/loadStockCatalog';
import { startTestAzurite } from '../support/azurite';
import { setErpStock } from '../support/stack';

const MUG = { sku: 'MUG-LOGO', itemNo: '10030' };

describe('the stock delta sync, against the sandbox ERP and ECP and Azurite', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let erp: SandboxErp;
  let ecp: SandboxEcp;
  let deps: DeltaSyncDeps;

  const setStock = (itemNo: string, location: string, quantity: number): Promise<void> => setErpStock(erp.url, itemNo, location, quantity);
  const shop = (sku: string, location = 'main') => ecp.inventory.level(sku, location);
  /** A shop order, received by the hub (its units held as in flight) or not yet. */
  const placeMugs = async (quantity: number, received: boolean) => {
    const order = await ecp.placeOrder({ lines: [{ sku: MUG.sku, quantity }] });
    if (received) await deps.inFlight.hold(order.id, unitsOfShopOrder(order));
    return order;
  };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    erp = new SandboxErp({ host: '127.0.0.1', port: await freePort(), apiKey: 'erp-key', seedStock: 100, log: () => undefined });
    ecp = new SandboxEcp({
      host: '127.0.0.1',
      port: await freePort(),
      apiKey: 'ecp-key',
      topicEndpoint: 'http://127.0.0.1:9/topics/t/api/events',
      topicKey: 'k',
      seedStock: 100,
      log: () => undefined,
    });
    await Promise.all([erp.start(), ecp.start()]);
    ecp.faults = { ...ecp.faults, lostEventRate: 1 };
    deps = {
      erp: new ErpStockClient({ baseUrl: erp.url, apiKey: 'erp-key', timeoutMs: 5000 }),
      shop: new EcpInventoryClient({ baseUrl: ecp.url, apiKey: 'ecp-key', timeoutMs: 5000 }),
      inFlight: new InFlightUnitsTable(azurite.connectionString),
      state: new StockStateTables(azurite.connectionString),
      catalog: loadStockCatalog(path.resolve('mappings')),
      callAttempts: 8,
      staleRetries: 3,
      priceListTimeZone: 'UTC',
      ledgerPage: 5,
      maxEntriesPerRun: 100_000,
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))),
    };
  });
  afterAll(async () => {
    await Promise.all([erp.stop(), ecp.stop()]);
    await azurite.stop();
  });

  it('first reads the whole ledger, page by page, and finds every SKU at every location in step', async () => {
    const run = await deltaSync(deps);
    expect(run.status).toBe('Success');
    // 8 mapped items at 2 locations (the product not yet in sku-items.csv is not the hub's to sync).
    expect(run.counts).toEqual({ rows: 16, applied: 0, unchanged: 16, conflictResolved: 0, refused: 0 });
    expect(run.ledger).toEqual({ from: 0, to: erp.stock.ledger.length });
    expect(await deps.state.watermark()).toBe(erp.stock.ledger.length);
    expect((await deps.state.runs(5))[0]).toMatchObject({ runId: run.runId, status: 'Success' });
  });

  it('pushes only what a new ledger entry touched, compare-and-set against the value last pushed', async () => {
    await setStock(MUG.itemNo, 'MAIN', 40);
    const calls = ecp.inventoryCalls.setQuantities;
    const run = await deltaSync(deps);
    expect(run.counts).toEqual({ rows: 1, applied: 1, unchanged: 0, conflictResolved: 0, refused: 0 });
    expect(ecp.inventoryCalls.setQuantities).toBe(calls + 1);
    expect(shop(MUG.sku)?.available).toBe(40);
    expect(shop(MUG.sku, 'east')?.available).toBe(100);
    const pushed = (await deps.state.pushed([{ sku: MUG.sku, location: 'main' }])).get(`${MUG.sku}|main`);
    expect(pushed).toMatchObject({ quantity: 40, held: false, erpAvailable: 40, inFlight: 0, safetyStock: 0, sellable: 40 });
    // Nothing new in the ledger: nothing to do.
    const idle = await deltaSync(deps);
    expect(idle.counts.rows).toBe(0);
  });

  it('subtracts an order the hub has received once, not again as the shop’s committed units (no double deduction)', async () => {
    await placeMugs(3, true);
    expect(shop(MUG.sku)).toMatchObject({ available: 37, committed: 3 });
    await setStock(MUG.itemNo, 'MAIN', 50);
    const run = await deltaSync(deps);
    // The shop moved (the order) since the hub set 40: the row came back stale, was read and computed again.
    expect(run.counts).toMatchObject({ rows: 1, conflictResolved: 1, refused: 0 });
    // 50 on hand, 3 in flight: 47 sellable. Subtracting the shop's committed 3 as well would give 44.
    expect(shop(MUG.sku)).toMatchObject({ available: 47, committed: 3 });
  });

  it('never pushes above the shop’s ceiling: units of an order the hub has not received yet stay off sale', async () => {
    const unseen = await placeMugs(5, false);
    expect(shop(MUG.sku)).toMatchObject({ available: 42, committed: 8 });
    await setStock(MUG.itemNo, 'MAIN', 60);
    const run = await deltaSync(deps);
    expect(run.counts).toMatchObject({ rows: 1, conflictResolved: 1 });
    // Sellable says 60 − 3 = 57; the shop has 8 committed of the 60 on hand: at most 52.
    expect(shop(MUG.sku)?.available).toBe(52);
    const held = (await deps.state.pushed([{ sku: MUG.sku, location: 'main' }])).get(`${MUG.sku}|main`);
    expect(held).toMatchObject({ quantity: 52, held: true, sellable: 57 });
    expect(await deps.state.held()).toEqual([{ sku: MUG.sku, location: 'main' }]);

    // The order reaches the hub: the held row is looked at again without a ledger entry, and is in step.
    await deps.inFlight.hold(unseen.id, unitsOfShopOrder(unseen));
    const next = await deltaSync(deps);
    expect(next.counts).toMatchObject({ rows: 1, unchanged: 1 });
    expect(shop(MUG.sku)?.available).toBe(52);
    expect(await deps.state.held()).toEqual([]);
  });

  it('refuses exactly the bad rows of a call, with the shop’s reasons, and applies the rest', async () => {
    // A lookup that also maps an ERP location to the shop's inactive pop-up location.
    const catalog: StockCatalog = {
      ...deps.catalog,
      erpLocationOf: (location) => (location === 'popup' ? 'EAST' : deps.catalog.erpLocationOf(location)),
    };
    await setStock('10010', 'EAST', 70);
    await setStock('10011', 'EAST', 71);
    const candidates = [
      { sku: 'TSHIRT-BLK-M', location: 'east' },
      { sku: 'TSHIRT-WHT-L', location: 'east' },
      { sku: 'TSHIRT-BLK-M', location: 'popup', shop: { sku: 'TSHIRT-BLK-M', location: 'popup', available: 0, committed: 0 } },
      { sku: 'TSHIRT-WHT-L', location: 'popup', shop: { sku: 'TSHIRT-WHT-L', location: 'popup', available: 0, committed: 0 } },
    ];
    const results = await pushStock({ ...deps, catalog }, candidates, { runId: 'partial-test', why: 'test' });
    const refused = results.filter((r) => r.outcome === 'refused');
    expect(refused).toHaveLength(2);
    expect(refused.every((r) => r.code === 'INACTIVE_LOCATION' && r.location === 'popup' && /not active/.test(r.reason ?? ''))).toBe(true);
    expect(results.filter((r) => r.outcome === 'applied').map((r) => [r.sku, r.quantity])).toEqual([
      ['TSHIRT-BLK-M', 70],
      ['TSHIRT-WHT-L', 71],
    ]);
    expect(shop('TSHIRT-BLK-M', 'east')?.available).toBe(70);
  });

  it('rides out a storm of 429s: waits each Retry-After, sends the same call again under the same key, and ends in step', async () => {
    for (const [itemNo, quantity] of [
      ['10020', 21],
      ['10040', 22],
      ['10050', 23],
    ] as const)
      await setStock(itemNo, 'MAIN', quantity);
    // Every inventory call answered 429 for the first 600 ms of the run.
    ecp.faults = { ...ecp.faults, inventoryThrottleRate: 1 };
    const throttled = ecp.inventoryCalls.throttled;
    const storm = setTimeout(() => (ecp.faults = { ...ecp.faults, inventoryThrottleRate: 0 }), 600);
    const run = await deltaSync(deps);
    clearTimeout(storm);
    ecp.faults = { ...ecp.faults, inventoryThrottleRate: 0 };
    expect(['Success', 'Partial']).toContain(run.status);
    expect(ecp.inventoryCalls.throttled).toBeGreaterThan(throttled);
    // Whatever got through is the current figure; what did not is retried by the next run, never left stale.
    const again = await deltaSync(deps);
    expect(again.status).toBe('Success');
    expect([shop('HOODIE-GRY-M')?.available, shop('BOOK-GUIDE')?.available, shop('SOCKS-3PK')?.available]).toEqual([21, 22, 23]);
  });

  it('rides out ERP pages failing a third of the time: the run ends Success, every figure the current one', async () => {
    await setStock('10020', 'EAST', 41);
    await setStock('10030', 'EAST', 42);
    erp.faults = { ...erp.faults, readErrorRate: 0.33 };
    const run = await deltaSync(deps);
    erp.faults = { ...erp.faults, readErrorRate: 0 };
    expect(run.status).toBe('Success');
    expect([shop('HOODIE-GRY-M', 'east')?.available, shop(MUG.sku, 'east')?.available]).toEqual([41, 42]);
  });

  it('keeps the watermark where it was when the ERP cannot be read, and says why', async () => {
    const before = await deps.state.watermark();
    await setStock('10060', 'MAIN', 33);
    erp.faults = { ...erp.faults, readErrorRate: 1 };
    const run = await deltaSync({ ...deps, callAttempts: 2 });
    erp.faults = { ...erp.faults, readErrorRate: 0 };
    expect(run.status).toBe('Failed');
    expect(run.error).toMatch(/ERP GET item-ledger-entries failed with 503/);
    expect(await deps.state.watermark()).toBe(before);
    const next = await deltaSync(deps);
    expect(next.status).toBe('Success');
    expect(shop('CAP-NAVY')?.available).toBe(33);
  });

  describe('prices', () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const addPrice = async (line: Record<string, unknown>): Promise<void> => {
      const answer = await fetch(`${erp.url}/_control/prices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(line),
      });
      expect(answer.status).toBe(201);
    };

    it('sets every price once, then only what changed: the line that started last wins, a future one waits its day', async () => {
      const first = await priceSync(deps);
      expect(first).toMatchObject({ kind: 'prices', status: 'Success', counts: { rows: 8, applied: 8 } });
      expect((await priceSync(deps)).counts).toMatchObject({ rows: 8, unchanged: 8, applied: 0 });
      await addPrice({ itemNo: MUG.itemNo, unitPrice: 10, compareAtPrice: 12.5, startingDate: today });
      await addPrice({ itemNo: MUG.itemNo, unitPrice: 8, startingDate: tomorrow });
      const sale = await priceSync(deps);
      expect(sale.counts).toMatchObject({ rows: 8, applied: 1, unchanged: 7 });
      expect(ecp.prices.get(MUG.sku)).toMatchObject({ price: 10, compareAtPrice: 12.5 });
    });

    it('sends a refused price again next run from the price list as it is then, never the payload that failed', async () => {
      await addPrice({ itemNo: '10040', unitPrice: 20, compareAtPrice: 18, startingDate: today });
      const refused = await priceSync(deps);
      expect(refused.status).toBe('Partial');
      expect(refused.refusedRows).toEqual([expect.objectContaining({ sku: 'BOOK-GUIDE', code: 'INVALID_PRICE' })]);
      expect(ecp.prices.get('BOOK-GUIDE')?.price).toBe(18);
      // The ERP's price list is mended: the next run sends the price now in force.
      await addPrice({ itemNo: '10040', unitPrice: 19.5, startingDate: today });
      const mended = await priceSync(deps);
      expect(mended.status).toBe('Success');
      expect(ecp.prices.get('BOOK-GUIDE')).toMatchObject({ price: 19.5, compareAtPrice: null });
    });

    it("takes the lines valid on today's date where the ERP is (PRICE_LIST_TIME_ZONE), not in UTC", async () => {
      // Half past eleven in the evening, UTC: already tomorrow in Amsterdam, where the mug's 8 starts.
      const lateEvening = new Date(`${today}T23:30:00.000Z`);
      expect((await priceSync({ ...deps, now: () => lateEvening })).counts).toMatchObject({ applied: 0 });
      expect(ecp.prices.get(MUG.sku)?.price).toBe(10);
      const inAmsterdam = await priceSync({ ...deps, priceListTimeZone: 'Europe/Amsterdam', now: () => lateEvening });
      expect(inAmsterdam.counts).toMatchObject({ applied: 1 });
      expect(ecp.prices.get(MUG.sku)?.price).toBe(8);
    });
  });
});

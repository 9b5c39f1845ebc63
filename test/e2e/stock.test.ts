import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import type { StockRun } from '../../src/domain/stockRun';
import type { StockOfLocation, StockOfSku } from '../../src/flows/inventory/stockOfSku';
import { runTimerNow, setErpStock, startTestStack, waitFor, type TestStack } from '../support/stack';

jest.setTimeout(300_000);

const run = promisify(execFile);

describe('stock from the ERP to the shop, through the local runtime', () => {
  let test: TestStack | undefined;
  afterAll(async () => await test?.stop());

  it('a timer run after a ledger entry, an order’s units in flight until the ERP has it, a full reconciliation correcting drift both ways, the ops API and the CLI', async () => {
    test = await startTestStack({
      // Runs only when asked, so that the test counts them.
      settings: { STOCK_SYNC_SCHEDULE: '0 0 0 1 1 *', STOCK_FULL_SYNC_SCHEDULE: '0 0 0 1 1 *' },
    });
    const { stack } = test;
    const hub = createHubServices(loadSettings(stack.settings));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the answer's shape, as each call expects it
    const ops = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${stack.functionsUrl}/api/ops/${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-functions-key': stack.functionKey },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    const latestRun = async (): Promise<StockRun | undefined> => (await hub.stock.state.runs(1))[0];
    const timerRun = async (name: string): Promise<StockRun> => {
      const before = (await latestRun())?.runId;
      await runTimerNow(stack, name);
      let latest: StockRun | undefined;
      await waitFor(
        async () => {
          latest = await latestRun();
          return latest !== undefined && latest.runId !== before && latest.status !== 'Running';
        },
        60_000,
        `a ${name} run kept`,
      );
      return latest as StockRun;
    };
    const shop = (sku: string, location = 'main') => stack.ecp.inventory.level(sku, location);

    // The first run reads the whole seeded ledger and finds the shop in step.
    const first = await timerRun('stockDeltaSync');
    expect(first).toMatchObject({ kind: 'delta', status: 'Success', counts: { rows: 16, unchanged: 16 } });

    // A stock count at both warehouses: no grey hoodie left at MAIN, 12 at EAST; the shop follows.
    await setErpStock(stack.erp.url, '10020', 'MAIN', 0);
    await setErpStock(stack.erp.url, '10020', 'EAST', 12);
    const delta = await timerRun('stockDeltaSync');
    expect(delta.counts).toMatchObject({ rows: 2, applied: 2 });
    expect([shop('HOODIE-GRY-M')?.available, shop('HOODIE-GRY-M', 'east')?.available]).toEqual([0, 12]);

    // An order of 5 hoodies, served from east, while the ERP is slow: in flight until the ERP has it.
    stack.erp.faults = { ...stack.erp.faults, latencyMs: 3000 };
    const order = await stack.ecp.placeOrder({ lines: [{ sku: 'HOODIE-GRY-M', quantity: 5 }] });
    expect(order.locationId).toBe('east');
    await waitFor(
      async () => (await hub.stock.inFlight.totals()).get('HOODIE-GRY-M|east') === 5,
      20_000,
      'the order’s units held in flight',
    );
    const shown = await ops<StockOfSku & { locations: StockOfLocation[] }>('GET', 'stock/skus/HOODIE-GRY-M');
    expect(shown.status).toBe(200);
    // 12 available at EAST, 5 in flight: 7, what the shop shows (it took them itself), not 2.
    expect(shown.body.locations.find((l) => l.location === 'east')).toMatchObject({
      inFlight: 5,
      erp: { onHand: 12, available: 12 },
      sellable: 7,
      ceiling: 7,
      shop: { available: 7, committed: 5 },
      inStep: true,
    });
    stack.erp.faults = { ...stack.erp.faults, latencyMs: 0 };
    await waitFor(async () => (await hub.stock.inFlight.totals()).size === 0, 30_000, 'the order’s units released once the ERP has it');
    const inErp = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === `ECP-${order.id}`);
    expect(inErp?.order.locationCode).toBe('EAST');
    expect(stack.erp.stock.level('10020', 'EAST')).toMatchObject({ onHand: 12, reserved: 5, available: 7 });

    // Drift both ways: a shop level set too high by hand, another too low; the ERP does not know.
    stack.ecp.inventory.apply({
      ...stack.ecp.inventory.level('CAP-NAVY', 'main')!,
      available: 250_000,
      updatedAt: new Date().toISOString(),
    });
    stack.ecp.inventory.apply({ ...stack.ecp.inventory.level('BOOK-GUIDE', 'east')!, available: 3, updatedAt: new Date().toISOString() });
    const started = await ops<StockRun & { status: string }>('POST', 'stock/sync', { full: true });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe(`/api/ops/stock/runs/${started.body.runId}`);
    const again = await ops('POST', 'stock/sync', { full: true });
    expect([202, 409]).toContain(again.status);
    let full: StockRun | undefined;
    await waitFor(
      async () => {
        full = (await ops<StockRun>('GET', `stock/runs/${started.body.runId}`)).body;
        return full.status !== 'Running';
      },
      60_000,
      'the full reconciliation done',
    );
    expect(full).toMatchObject({ kind: 'full', status: 'Success', progress: { done: true } });
    expect(full?.counts.applied).toBeGreaterThanOrEqual(2);
    expect(shop('CAP-NAVY')?.available).toBe(100_000);
    expect(shop('BOOK-GUIDE', 'east')?.available).toBe(100_000);

    // Refused requests say why.
    expect(await ops('POST', 'stock/sync', { full: 'yes' })).toMatchObject({ status: 400, body: { error: 'not a valid sync request' } });
    const notJson = await fetch(`${stack.functionsUrl}/api/ops/stock/sync`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.functionKey },
      body: '{full',
    });
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'the body is not JSON' }]);
    expect((await ops<{ runs: StockRun[] }>('GET', 'stock/runs?limit=1')).body.runs).toHaveLength(1);
    expect(await ops('GET', 'stock/runs?limit=0')).toMatchObject({
      status: 400,
      body: { error: 'not a valid runs query', details: ['limit: a whole number from 1 to 200'] },
    });
    expect(await ops('GET', 'stock/skus/POSTER-A2')).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/not in sku-items.csv/) },
    });

    // The same from the CLI.
    const env = { ...process.env, ...stack.settings };
    const show = await run('node', ['--import', 'tsx', 'src/cli/hub.ts', 'inventory', 'show', 'CAP-NAVY'], { env });
    expect(show.stdout).toMatch(
      /CAP-NAVY at main \(item 10060 at MAIN\): ERP on hand 100000, available 100000; in flight 0; safety stock 0; sellable 100000/,
    );
    expect(show.stdout).toMatch(/last pushed 100000 at .* \(full\)/);
    const runs = await run('node', ['--import', 'tsx', 'src/cli/hub.ts', 'inventory', 'runs', '--limit', '3'], { env });
    expect(runs.stdout).toMatch(/stock full run .* Success/);
    // The CLI reads --limit by the API's own rule.
    await expect(run('node', ['--import', 'tsx', 'src/cli/hub.ts', 'inventory', 'runs', '--limit', '201'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('hub inventory runs: limit: a whole number from 1 to 200'),
    });
    const sync = await run('node', ['--import', 'tsx', 'src/cli/hub.ts', 'inventory', 'sync'], { env });
    // (A shipment meanwhile may have touched a row: whatever it did, the run ends Success.)
    expect(sync.stdout).toMatch(/stock delta run .* Success: \d+ rows/);
  });
});

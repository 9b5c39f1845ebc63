import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generatedProducts } from '../../local/sandboxes/catalog';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import type { StockRun } from '../../src/domain/stockRun';
import { MAPPINGS_DIR } from '../support/mappings';
import { startTestStack, waitFor, type TestStack } from '../support/stack';

jest.setTimeout(300_000);

/** 2,000 more products at 2 locations: 4,016 levels, 17 pages of 250. */
const PRODUCTS = generatedProducts(2000);

describe('a full stock reconciliation survives a SIGKILL of the host', () => {
  let test: TestStack | undefined;
  const mappings = mkdtempSync(path.join(tmpdir(), 'order-hub-stock-mappings-'));
  afterAll(async () => {
    await test?.stop();
    rmSync(mappings, { recursive: true, force: true });
  });

  it('resumes from the last page it kept, reads that page anew, and ends with every row corrected', async () => {
    cpSync(MAPPINGS_DIR, mappings, { recursive: true });
    appendFileSync(path.join(mappings, 'lookups', 'sku-items.csv'), PRODUCTS.map((p) => `${p.sku},${p.itemNo}\n`).join(''));
    test = await startTestStack({
      extraProducts: PRODUCTS,
      settings: { MAPPINGS_DIR: mappings, STOCK_SYNC_SCHEDULE: '0 0 0 1 1 *', STOCK_FULL_SYNC_SCHEDULE: '0 0 0 1 1 *' },
    });
    const { stack } = test;
    const hub = createHubServices(loadSettings(stack.settings));
    // Drift on every page: one SKU in ten off by some units, one way or the other.
    const drifted = PRODUCTS.filter((_, i) => i % 10 === 3);
    for (const [i, p] of drifted.entries()) {
      const level = stack.ecp.inventory.level(p.sku, i % 2 === 0 ? 'main' : 'east');
      if (level !== undefined)
        stack.ecp.inventory.apply({ ...level, available: level.available + (i % 3 === 0 ? -7 : 9), updatedAt: new Date().toISOString() });
    }
    // Slow pages, so that the host dies mid-run.
    stack.ecp.faults = { ...stack.ecp.faults, latencyMs: 400 };
    const answer = await fetch(`${stack.functionsUrl}/api/ops/stock/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': stack.functionKey },
      body: JSON.stringify({ full: true }),
    });
    expect(answer.status).toBe(202);
    const { runId } = (await answer.json()) as { runId: string };
    const run = async (): Promise<StockRun | undefined> => await hub.stock.state.run(runId);
    await waitFor(async () => ((await run())?.progress?.pages ?? 0) >= 4, 120_000, 'four pages done');

    await stack.stopHost('SIGKILL');
    const atKill = (await run())?.progress?.pages ?? 0;
    expect((await run())?.status).toBe('Running');
    stack.ecp.faults = { ...stack.ecp.faults, latencyMs: 0 };
    await stack.startHost();

    await waitFor(async () => (await run())?.status !== 'Running', 180_000, 'the full reconciliation done after the restart');
    const done = (await run()) as StockRun;
    expect(done.status).toBe('Success');
    expect(done.progress).toMatchObject({ pages: 17, done: true });
    expect(atKill).toBeLessThan(17);
    // Every drifted row corrected once the run has passed its page, none left out of step.
    const off = drifted.filter((p, i) => stack.ecp.inventory.level(p.sku, i % 2 === 0 ? 'main' : 'east')?.available !== 100_000);
    expect(off).toEqual([]);
    expect(done.counts.applied).toBeGreaterThanOrEqual(drifted.length);
    // The page under way when the host died may be counted twice (read anew), never skipped.
    expect(done.counts.rows).toBeGreaterThanOrEqual(4016);
  });
});

/**
 * `npm run bench:inventory`: stock from the ERP to the shop at size, against the sandboxes with the
 * shop's rate limit (a bucket of 1,000 cost points, 100 restored a second; a set of 250 rows costs
 * 10, a page of levels 5) and Azurite, through the hub's own use cases and adapters:
 *  1. the first delta sync of a catalog of 100,000 SKU × location rows (the whole ledger read, every
 *     row's shop level read first, in step);
 *  2. a full push: every row's ERP stock changed, one delta sync sends all 100,000 rows (beside the
 *     floor the rate limit sets);
 *  3. a full reconciliation of the same catalog, with drift in one row in a hundred;
 *  4. 100 ledger entries: the delta sync beside re-reading the whole shop (a full reconciliation),
 *     what connectors do on every run;
 *  5. the delay from an ERP ledger entry to the shop's new figure, with the delta sync on a
 *     one-minute timer;
 * and storage calls per row of each, from Azurite's request log.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { Azurite } from '../local/azurite/Azurite';
import { generatedProducts } from '../local/sandboxes/catalog';
import { SandboxEcp } from '../local/sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../local/sandboxes/erp/SandboxErp';
import { freePort } from '../local/support/freePort';
import { EcpInventoryClient } from '../src/adapters/ecp/EcpInventoryClient';
import { ErpStockClient } from '../src/adapters/erp/ErpStockClient';
import { InFlightUnitsTable } from '../src/adapters/tables/InFlightUnitsTable';
import { StockStateTables } from '../src/adapters/tables/StockStateTables';
import { describeStockRun, type StockRun } from '../src/domain/stockRun';
import { deltaSync, type DeltaSyncDeps } from '../src/flows/inventory/deltaSync';
import { beginFullSync, fullSyncPart } from '../src/flows/inventory/fullSync';
import { loadStockCatalog } from '../src/inventory/loadStockCatalog';
import { logWritten } from './pipeline/storageCalls';

const PRODUCTS = Number(process.env.INVENTORY_BENCH_PRODUCTS ?? 50_000);
const LATENCY_MINUTES = Number(process.env.INVENTORY_BENCH_LATENCY_MINUTES ?? 5);
const BUCKET = { capacity: 1000, restorePerSecond: 100 };
const COST = { set: 10, page: 5 };

const REQUEST = /\w+StorageContextMiddleware: RequestMethod=(\w+) RequestURL=(\S+)/;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface Phase {
  name: string;
  ms: number;
  rows: number;
  run?: StockRun;
  points: number;
  throttled: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-inventory-bench-'));
  const debugLog = path.join(dir, 'azurite-debug.log');
  const products = generatedProducts(PRODUCTS);
  const mappings = path.join(dir, 'mappings');
  cpSync(path.resolve('mappings'), mappings, { recursive: true });
  appendFileSync(path.join(mappings, 'lookups', 'sku-items.csv'), products.map((p) => `${p.sku},${p.itemNo}\n`).join(''));
  const azurite = await Azurite.start({
    location: path.join(dir, 'azurite'),
    blobPort: await freePort(),
    queuePort: await freePort(),
    tablePort: await freePort(),
    debugLog,
  });
  const erp = new SandboxErp({ host: '127.0.0.1', port: await freePort(), apiKey: 'erp', extraProducts: products, log: () => undefined });
  const ecp = new SandboxEcp({
    host: '127.0.0.1',
    port: await freePort(),
    apiKey: 'ecp',
    topicEndpoint: 'http://127.0.0.1:9/topics/t/api/events',
    topicKey: 'k',
    extraProducts: products,
    rateLimit: BUCKET,
    log: () => undefined,
  });
  await Promise.all([erp.start(), ecp.start()]);
  const deps: DeltaSyncDeps = {
    erp: new ErpStockClient({ baseUrl: erp.url, apiKey: 'erp', timeoutMs: 30_000 }),
    shop: new EcpInventoryClient({ baseUrl: ecp.url, apiKey: 'ecp', timeoutMs: 30_000 }),
    inFlight: new InFlightUnitsTable(azurite.connectionString),
    state: new StockStateTables(azurite.connectionString),
    catalog: loadStockCatalog(mappings),
    callAttempts: 30,
    staleRetries: 3,
    priceListTimeZone: 'UTC',
    ledgerPage: 1000,
    maxEntriesPerRun: 1_000_000,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  const mark = async (name: string): Promise<void> => {
    await queues.getQueueClient(name).exists();
  };
  const rows = 2 * (PRODUCTS + 8);
  const phases: Phase[] = [];
  const measure = async (name: string, work: () => Promise<StockRun>): Promise<StockRun> => {
    const before = { ...ecp.inventoryCalls };
    await mark(`mark-${phases.length}-start`);
    const started = performance.now();
    const run = await work();
    const elapsed = performance.now() - started;
    await mark(`mark-${phases.length}-end`);
    const pages = ecp.inventoryCalls.levelsPages - before.levelsPages;
    const sets = ecp.inventoryCalls.setQuantities - before.setQuantities;
    phases.push({
      name,
      ms: elapsed,
      rows: run.counts.rows,
      run,
      points: pages * COST.page + sets * COST.set,
      throttled: ecp.inventoryCalls.throttled - before.throttled,
    });
    console.log(
      `${name}: ${seconds(elapsed)}; ${describeStockRun(run)}; ${pages} pages, ${sets} set calls, ${ecp.inventoryCalls.throttled - before.throttled} throttled (429)`,
    );
    return run;
  };
  const full = async (): Promise<StockRun> => {
    const begun = await beginFullSync(deps);
    for (;;) {
      const part = await fullSyncPart(deps, begun.runId);
      if (part.progress?.done !== false) return part;
    }
  };
  /** Waits for the bucket to fill again, so that each phase starts as a fresh minute would. */
  const rest = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, (BUCKET.capacity / BUCKET.restorePerSecond) * 1000 + 500));

  try {
    console.log(
      `catalog: ${PRODUCTS + 8} products at 2 locations = ${rows} rows; the shop's rate limit ${BUCKET.capacity} points, ${BUCKET.restorePerSecond}/s`,
    );
    await measure('first delta sync (whole ledger, every shop level read)', () => deltaSync(deps));
    await rest();

    let i = 0;
    for (const p of [
      ...products,
      ...['10010', '10011', '10020', '10030', '10040', '10050', '10060', '10070'].map((itemNo) => ({ itemNo })),
    ])
      for (const location of ['MAIN', 'EAST']) erp.setStock(p.itemNo, location, 90_000 + (i++ % 1000));
    await measure('full push (every row changed, one delta sync)', () => deltaSync(deps));
    await rest();

    // Drift in one row in a hundred, both ways.
    i = 0;
    for (const p of products)
      if (i++ % 50 === 0) {
        const level = ecp.inventory.level(p.sku, i % 100 === 1 ? 'main' : 'east');
        if (level !== undefined)
          ecp.inventory.apply({ ...level, available: level.available + (i % 3 === 0 ? -5 : 5), updatedAt: new Date().toISOString() });
      }
    await measure('full reconciliation (drift in 1 row of 100)', full);
    await rest();

    for (const p of products.slice(0, 100)) erp.setStock(p.itemNo, 'MAIN', 80_000);
    await measure('100 ledger entries: delta sync', () => deltaSync(deps));
    await rest();
    for (const p of products.slice(100, 200)) erp.setStock(p.itemNo, 'MAIN', 80_000);
    await measure('100 ledger entries: re-reading the whole shop (a full reconciliation)', full);

    // Ledger entry → the shop's figure, the delta sync on a one-minute timer (at second 30, as the sample's schedule).
    const delays: number[] = [];
    const pending = new Map<string, { at: number; quantity: number }>();
    const stop = Date.now() + LATENCY_MINUTES * 60_000;
    let timerRuns = 0;
    const timer = (async () => {
      while (Date.now() < stop + 70_000 && (Date.now() < stop || pending.size > 0)) {
        const wait = 60_000 - ((Date.now() - 30_000) % 60_000);
        await new Promise((resolve) => setTimeout(resolve, wait));
        await deltaSync(deps);
        timerRuns++;
      }
    })();
    const watcher = setInterval(() => {
      for (const [sku, { at, quantity }] of pending)
        if (ecp.inventory.level(sku, 'east')?.available === quantity) {
          delays.push(Date.now() - at);
          pending.delete(sku);
        }
    }, 100);
    let n = 0;
    while (Date.now() < stop) {
      const p = products[1000 + (n++ % 1000)]!;
      const quantity = 70_000 + n;
      erp.setStock(p.itemNo, 'EAST', quantity);
      pending.set(p.sku, { at: Date.now(), quantity });
      await new Promise((resolve) => setTimeout(resolve, 3000 + Math.random() * 4000));
    }
    await timer;
    clearInterval(watcher);
    const sorted = [...delays].sort((a, b) => a - b);
    const pct = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

    await azurite.stop();
    await logWritten(debugLog);
    const calls = countByPhase(debugLog, phases.length);

    console.log('\n| what | time | rows | shop calls: pages / sets (points) | the rate limit’s floor | 429s | storage calls | per row |');
    console.log('|---|---:|---:|---|---:|---:|---:|---:|');
    for (const [k, phase] of phases.entries()) {
      const floor = Math.max(0, phase.points - BUCKET.capacity) / BUCKET.restorePerSecond;
      const c = calls[k] ?? 0;
      console.log(
        `| ${phase.name} | ${seconds(phase.ms)} | ${phase.rows} | ${phase.points} points | ${floor.toFixed(1)} s | ${phase.throttled} | ${c} | ${(c / Math.max(1, phase.rows)).toFixed(3)} |`,
      );
    }
    console.log(
      `\nledger entry → the shop's figure, delta sync every minute (${timerRuns} runs, ${delays.length} entries): p50 ${seconds(pct(0.5))}, p95 ${seconds(pct(0.95))}, max ${seconds(sorted.at(-1) ?? NaN)}`,
    );
  } finally {
    await Promise.all([erp.stop(), ecp.stop()]);
    await azurite.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Requests Azurite served between each phase's two marks. */
function countByPhase(debugLog: string, phases: number): number[] {
  const counts = Array.from({ length: phases }, () => 0);
  let inside: number | undefined;
  for (const line of readFileSync(debugLog, 'utf8').split('\n')) {
    const url = REQUEST.exec(line)?.[2];
    if (url === undefined) continue;
    const marked = /mark-(\d+)-(start|end)/.exec(url);
    if (marked !== null) {
      inside = marked[2] === 'start' ? Number(marked[1]) : undefined;
      continue;
    }
    if (inside !== undefined) counts[inside] = (counts[inside] ?? 0) + 1;
  }
  return counts;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

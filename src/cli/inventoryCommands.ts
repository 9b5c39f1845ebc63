import type { Command } from 'commander';
import type { HubServices } from '../composition/hubServices';
import { describeStockRun, type StockRun } from '../domain/stockRun';
import { deltaSync } from '../flows/inventory/deltaSync';
import { priceSync } from '../flows/inventory/priceSync';
import { beginFullSync, fullSyncPart } from '../flows/inventory/fullSync';
import { isUnderWay, latestFullSync } from '../flows/inventory/startFullSync';
import { stockOfSku } from '../flows/inventory/stockOfSku';
import { stockRunsQuerySchema } from '../flows/inventory/stockRuns';
import { parsedOptions } from './parsedOptions';

function printRun(run: StockRun, json: boolean | undefined): void {
  if (json === true) return console.log(JSON.stringify(run, null, 2));
  console.log(describeStockRun(run));
  for (const r of run.refusedRows) console.log(`  refused ${r.sku} at ${r.location}: ${r.code ?? ''} ${r.reason ?? ''}`);
}

/**
 * A full reconciliation run here, part after part until done: the one under way if its runner
 * stopped (its progress kept, nothing moved for five minutes), else a new one.
 */
async function fullHere(hub: HubServices): Promise<StockRun> {
  const stock = hub.stock;
  const latest = await latestFullSync(stock.state);
  if (latest !== undefined && isUnderWay(latest, stock.now()))
    throw new Error(
      `a full reconciliation is under way (${latest.runId}, ${latest.progress?.pages ?? 0} pages done): wait for it, or see npx hub inventory runs`,
    );
  const run = latest?.status === 'Running' ? latest : await beginFullSync(stock);
  if (run === latest) console.log(`resuming ${run.runId} after page ${run.progress?.pages ?? 0}`);
  for (;;) {
    const part = await fullSyncPart(stock, run.runId);
    console.log(`${part.progress?.pages ?? 0} pages, ${part.counts.rows} rows so far`);
    if (part.progress?.done !== false) return part;
  }
}

/** `npx hub inventory sync [--full] | runs | show <sku>`: stock from the ERP to the shop, as the timers and the ops API run it. */
export function registerInventoryCommands(program: Command, services: () => Promise<HubServices>): void {
  const inventory = program.command('inventory').description('stock from the ERP to the shop: sync now, the runs kept, one SKU’s figures');
  inventory
    .command('sync')
    .description('bring the ERP’s stock changes to the shop now (what the timer does); --full: every SKU at every location')
    .option('--full', 'a full reconciliation: read every shop level, correct drift both ways (resumes one whose runner stopped)')
    .option('--prices', 'instead, the prices valid today (what the price timer does)')
    .option('--json', 'print JSON')
    .action(async (options: { full?: boolean; prices?: boolean; json?: boolean }) => {
      const hub = await services();
      const run =
        options.prices === true ? await priceSync(hub.stock) : options.full === true ? await fullHere(hub) : await deltaSync(hub.stock);
      printRun(run, options.json);
      if (run.status !== 'Success') process.exitCode = 1;
    });
  inventory
    .command('runs')
    .description('the latest delta syncs and full reconciliations, newest first')
    .option('--limit <n>', 'how many (1 to 200)', '20')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }) => {
      const query = parsedOptions('inventory runs', stockRunsQuerySchema, { limit: options.limit });
      if (query === undefined) return;
      const runs = await (await services()).stock.state.runs(query.limit);
      if (options.json === true) return console.log(JSON.stringify(runs, null, 2));
      if (runs.length === 0) return console.log('no stock run kept yet');
      for (const run of runs) console.log(`${run.startedAt}  ${describeStockRun(run)}`);
    });
  inventory
    .command('show <sku>')
    .description(
      'one SKU at each shop location: ERP figures, units in flight, safety stock, sellable, the shop’s figures, what was last pushed, when and why',
    )
    .option('--json', 'print JSON')
    .action(async (sku: string, options: { json?: boolean }) => {
      const shown = await stockOfSku((await services()).stock, sku);
      if (options.json === true) return console.log(JSON.stringify(shown, null, 2));
      if ('unknown' in shown) {
        console.error(shown.unknown);
        process.exitCode = 1;
        return;
      }
      for (const l of shown.locations) {
        const pushed = l.lastPushed;
        console.log(
          `${shown.sku} at ${l.location} (item ${l.itemNo} at ${l.erpLocation}): ERP on hand ${l.erp.onHand}, available ${l.erp.available}; ` +
            `in flight ${l.inFlight}; safety stock ${l.safetyStock}; sellable ${l.sellable}` +
            (l.ceiling === undefined ? '' : `; shop ceiling ${l.ceiling}`),
        );
        console.log(
          `  shop: ${l.shop === undefined ? 'not read' : `available ${l.shop.available}, committed ${l.shop.committed}`}; ` +
            (pushed === undefined
              ? 'never pushed'
              : `last pushed ${pushed.quantity}${pushed.held ? ' (held to the ceiling)' : ''} at ${pushed.at} by ${pushed.runId} (${pushed.why})`) +
            (l.inStep ? '' : '  ← not in step yet'),
        );
      }
    });
}

import { stockKey } from '../../domain/shopOrderUnits';
import { countResults, StockRunKinds, type StockRun } from '../../domain/stockRun';
import { pushStock, type PushStockDeps, type StockCandidate } from './pushStock';
import { withRetries } from './shopRetries';
import { finishStockRun, isPassingRefusal, newStockRun } from './stockRuns';

export interface DeltaSyncDeps extends PushStockDeps {
  /** Ledger entries a page asks for. */
  ledgerPage: number;
  /** Ledger entries one run takes at the most (the next run goes on from there). */
  maxEntriesPerRun: number;
}

/**
 * The delta sync (timer): reads the ERP's item ledger from the watermark on, and brings to the
 * shop every SKU and location those entries touched, with the rows last held down to the shop's
 * ceiling. The watermark moves on once every touched row is settled (applied, unchanged, or
 * refused for good); a row refused for a passing reason (the shop throttling or down, the row
 * changing under it) keeps it where it was, and the next run computes those rows again from the
 * figures of its own time.
 */
export async function deltaSync(deps: DeltaSyncDeps): Promise<StockRun> {
  const run = newStockRun(StockRunKinds.DELTA, deps.now());
  try {
    const from = await deps.state.watermark();
    let to = from;
    const touched = new Map<string, StockCandidate>();
    for (let more = true; more && to - from < deps.maxEntriesPerRun;) {
      const after = to;
      const page = await withRetries(deps, () =>
        deps.erp.ledgerAfter(after, Math.min(deps.ledgerPage, deps.maxEntriesPerRun - (after - from))),
      );
      for (const entry of page.entries) {
        to = Math.max(to, entry.entryNo);
        const sku = deps.catalog.skuOf(entry.itemNo);
        const location = deps.catalog.shopLocationOf(entry.location);
        if (sku !== undefined && location !== undefined) touched.set(stockKey(sku, location), { sku, location });
      }
      more = page.more && page.entries.length > 0;
    }
    for (const row of await deps.state.held()) touched.set(stockKey(row.sku, row.location), row);
    run.ledger = { from, to };
    const results = await pushStock(deps, [...touched.values()], { runId: run.runId, why: 'delta' });
    countResults(run, results);
    if (!results.some(isPassingRefusal) && to > from) await deps.state.setWatermark(to);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  }
  return await finishStockRun(run, deps);
}

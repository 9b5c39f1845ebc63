import { countResults, finishedStatus, StockRunKinds, type StockRun } from '../../domain/stockRun';
import { withRetries } from './shopRetries';
import { pushStock, type PushStockDeps, type StockCandidate } from './pushStock';
import { newStockRun } from './stockRuns';
import type { ShopLevel } from '../../ports/ShopInventoryPort';

/** Pages of shop levels one part of a full reconciliation takes before it hands back (and its progress is kept). */
export const PAGES_PER_PART = 20;

/** A full reconciliation whose progress has not moved for this long has lost its runner: it may be resumed. */
export const ABANDONED_AFTER_MS = 5 * 60_000;

/** Starts a full reconciliation: its run, kept as Running, with no page done. */
export async function beginFullSync(deps: Pick<PushStockDeps, 'state' | 'now'>): Promise<StockRun> {
  const run = newStockRun(StockRunKinds.FULL, deps.now());
  run.progress = { pages: 0, done: false };
  await deps.state.keepRun(run);
  return run;
}

/**
 * One part of a full reconciliation: from where the run's kept progress stands, reads the shop's
 * levels a page at a time (every SKU at every location, in SKU order), computes each mapped row's
 * sellable quantity afresh and corrects it both ways where it drifted; after each page the counts
 * and the next page's cursor are kept. Run again after a crash it goes on from the last page kept,
 * reading that page anew: nothing is pushed from a computation made before. Done after the last page.
 */
export async function fullSyncPart(deps: PushStockDeps, runId: string, maxPages = PAGES_PER_PART): Promise<StockRun> {
  const run = await deps.state.run(runId);
  if (run === undefined) throw new Error(`no full reconciliation ${runId}`);
  if (run.progress === undefined || run.progress.done) return run;
  try {
    for (let page = 0; page < maxPages && !run.progress.done; page++) {
      const cursor: string | undefined = run.progress.cursor;
      const levels: { levels: ShopLevel[]; nextCursor?: string } = await withRetries(deps, () =>
        deps.shop.levels(cursor === undefined ? {} : { cursor }),
      );
      const candidates: StockCandidate[] = levels.levels
        .filter((l) => deps.catalog.itemOf(l.sku) !== undefined && deps.catalog.erpLocationOf(l.location) !== undefined)
        .map((l) => ({ sku: l.sku, location: l.location, shop: l }));
      countResults(run, await pushStock(deps, candidates, { runId, why: 'full', keepInStep: false }));
      run.progress = {
        keptAt: deps.now().toISOString(),
        pages: run.progress.pages + 1,
        ...(levels.nextCursor === undefined ? {} : { cursor: levels.nextCursor }),
        done: levels.nextCursor === undefined,
      };
      if (run.progress.done) {
        run.finishedAt = deps.now().toISOString();
        run.status = finishedStatus(run);
      }
      await deps.state.keepRun(run);
    }
  } catch (error) {
    // Kept as it stands: a retry of this part goes on from the last page kept.
    run.error = error instanceof Error ? error.message : String(error);
    await deps.state.keepRun(run);
    delete run.error;
    throw error;
  }
  return run;
}

/** A full reconciliation stopped for good: kept as Failed, with why. */
export async function failFullSync(deps: Pick<PushStockDeps, 'state' | 'now'>, runId: string, error: string): Promise<void> {
  const run = await deps.state.run(runId);
  if (run === undefined || run.status !== 'Running') return;
  run.error = error;
  run.finishedAt = deps.now().toISOString();
  run.status = 'Failed';
  await deps.state.keepRun(run);
}

import { countResults, StockRefusals, StockRunKinds, type StockRowResult, type StockRun } from '../../domain/stockRun';
import type { PriceLine } from '../../ports/ErpStockPort';
import type { SetPriceRow } from '../../ports/ShopInventoryPort';
import type { PushedPrice } from '../../ports/StockStatePort';
import type { PushStockDeps } from './pushStock';
import { withRetries } from './shopRetries';
import { callKey, finishStockRun, newStockRun, refusalOf } from './stockRuns';
import { batchesOf } from '../../domain/batches';
import { dayIn } from '../../domain/businessDay';

/** Rows one shop call takes, and price-list lines a page. */
const BATCH = 250;
const PAGE = 1000;

/** Prices (all products' rows count for the shop location `*`: a price is the product's, not a location's). */
const ALL_LOCATIONS = '*';

/** The line in force for each item on the day: the one that started last (the later line of one day). */
export function pricesInForce(lines: readonly PriceLine[]): Map<string, PriceLine> {
  const inForce = new Map<string, PriceLine>();
  for (const line of lines) {
    const current = inForce.get(line.itemNo);
    if (
      current === undefined ||
      line.startingDate > current.startingDate ||
      (line.startingDate === current.startingDate && line.lineNo > current.lineNo)
    )
      inForce.set(line.itemNo, line);
  }
  return inForce;
}

/**
 * The price sync (timer): the ERP's price-list lines valid today (in PRICE_LIST_TIME_ZONE, the ERP's) → each SKU's price and
 * compare-at price in the shop, only what differs from what the hub last set, in calls of 250. A
 * row refused or a call that failed is not recorded as set: the next run computes it again from the
 * price list as it is then, never from the payload that failed.
 */
export async function priceSync(deps: PushStockDeps): Promise<StockRun> {
  const run = newStockRun(StockRunKinds.PRICES, deps.now());
  try {
    const day = dayIn(deps.priceListTimeZone, deps.now());
    const lines: PriceLine[] = [];
    for (let after = 0, more = true; more;) {
      const from = after;
      const page = await withRetries(deps, () => deps.erp.priceLinesValidOn(day, from, PAGE));
      lines.push(...page.lines);
      after = page.lines.at(-1)?.lineNo ?? after;
      more = page.more && page.lines.length > 0;
    }
    const last = await deps.state.pushedPrices();
    const results: StockRowResult[] = [];
    const wanted: SetPriceRow[] = [];
    for (const line of pricesInForce(lines).values()) {
      const sku = deps.catalog.skuOf(line.itemNo);
      if (sku === undefined) continue;
      const row = { sku, price: line.unitPrice, compareAtPrice: line.compareAtPrice ?? null };
      const previous = last.get(sku);
      if (previous !== undefined && previous.price === row.price && previous.compareAtPrice === row.compareAtPrice)
        results.push({ sku, location: ALL_LOCATIONS, outcome: 'unchanged', quantity: row.price });
      else wanted.push(row);
    }
    for (const batch of batchesOf(wanted, BATCH)) {
      const key = callKey(run.runId, batch);
      const set: PushedPrice[] = [];
      try {
        const answers = await withRetries(deps, () => deps.shop.setPrices(batch, key));
        const bySku = new Map(answers.map((a) => [a.sku, a]));
        for (const row of batch) {
          const answer = bySku.get(row.sku);
          if (answer?.status === 'applied') {
            results.push({ sku: row.sku, location: ALL_LOCATIONS, outcome: 'applied', quantity: row.price });
            set.push({ ...row, at: deps.now().toISOString(), runId: run.runId });
          } else
            results.push({
              sku: row.sku,
              location: ALL_LOCATIONS,
              outcome: 'refused',
              code: answer?.status === 'refused' ? answer.code : StockRefusals.NO_ANSWER,
              reason: answer?.status === 'refused' ? answer.message : 'the shop’s answer did not mention it',
            });
        }
      } catch (error) {
        const refusal = refusalOf(error, StockRefusals.PUSH_FAILED);
        for (const row of batch) results.push({ sku: row.sku, location: ALL_LOCATIONS, ...refusal });
      }
      if (set.length > 0) await deps.state.recordPrices(set);
    }
    countResults(run, results);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  }
  return await finishStockRun(run, deps);
}

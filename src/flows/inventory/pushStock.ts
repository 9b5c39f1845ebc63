import { quantityToPush, sellableQuantity, shopCeiling } from '../../domain/sellableQuantity';
import { stockKey } from '../../domain/shopOrderUnits';
import { StockRefusals, type StockRowResult } from '../../domain/stockRun';
import type { StockCatalog } from '../../inventory/loadStockCatalog';
import type { ErpStockLevel, ErpStockPort } from '../../ports/ErpStockPort';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { SetQuantityResult, SetQuantityRow, ShopInventoryPort, ShopLevel } from '../../ports/ShopInventoryPort';
import type { PushedStock, StockStatePort } from '../../ports/StockStatePort';
import { withRetries } from './shopRetries';
import { callKey, refusalOf } from './stockRuns';
import { batchesOf } from '../../domain/batches';

export interface PushStockDeps {
  erp: ErpStockPort;
  shop: ShopInventoryPort;
  inFlight: InFlightUnitsPort;
  state: StockStatePort;
  catalog: StockCatalog;
  /** Tries of one shop call (a 429 waits its Retry-After, a 5xx or timeout backs off). */
  callAttempts: number;
  /** How often a row the shop keeps changing under it is read and pushed again. */
  staleRetries: number;
  /** Where the ERP's price lists are valid by the day (IANA time zone): the price sync's today. */
  priceListTimeZone: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** A SKU at a shop location to bring in step, with the shop's level when it is known already. */
export interface StockCandidate {
  sku: string;
  location: string;
  shop?: ShopLevel;
}

/** Rows one shop call takes, and item numbers one ERP stock read. */
const BATCH = 250;

interface Terms {
  erpAvailable: number;
  erpOnHand: number;
  inFlight: number;
  safetyStock: number;
  sellable: number;
}

interface Planned {
  sku: string;
  location: string;
  row: SetQuantityRow;
  held: boolean;
  terms: Terms;
}

/**
 * Brings SKUs at shop locations in step with the ERP: computes each one's sellable quantity (see
 * domain/sellableQuantity), and sets the shop's `available` where it differs, in calls of 250,
 * each row compare-and-set against the value it replaces. Where the last pushed value is known and
 * nothing held it down, that is the compare value, and a row still at that value is left alone; the
 * shop is read first otherwise (a first push, a row held down to the shop's ceiling, a full
 * reconciliation's page), and what is pushed never exceeds the shop's ceiling. A row the shop
 * changed meanwhile (an order placed) comes back stale: it is read again, computed again from fresh
 * figures and pushed again; never from the earlier computation.
 */
export async function pushStock(
  deps: PushStockDeps,
  candidates: readonly StockCandidate[],
  context: {
    runId: string;
    why: string;
    /**
     * Keep a row found in step as what was last pushed (a first read; a delta sync): the next delta
     * compares with it. A full reconciliation keeps only what it changed or held: a row it found in
     * step is read again should a later delta find its value stale.
     */
    keepInStep?: boolean;
  },
): Promise<StockRowResult[]> {
  const results: StockRowResult[] = [];
  /** How often the shop changed each row under the hub in this run. */
  const staleCount = new Map<string, number>();
  let pending: StockCandidate[] = [...new Map(candidates.map((c) => [stockKey(c.sku, c.location), c])).values()];
  while (pending.length > 0) {
    const conflicted = (c: { sku: string; location: string }): boolean => (staleCount.get(stockKey(c.sku, c.location)) ?? 0) > 0;
    const unread = pending.filter((c) => c.shop === undefined);
    const last = unread.length === 0 ? new Map<string, PushedStock>() : await deps.state.pushed(unread);
    // A row whose last value is not known (or was held down) is read from the shop first, and computed on the next pass.
    const toRead = unread.filter((c) => {
      const previous = last.get(stockKey(c.sku, c.location));
      return previous === undefined || previous.held;
    });
    const readFirst = new Set(toRead.map((c) => stockKey(c.sku, c.location)));
    const terms = await termsOf(
      deps,
      pending.filter((c) => !readFirst.has(stockKey(c.sku, c.location))),
    );
    const planned: Planned[] = [];
    const baselines: PushedStock[] = [];
    const settled = (c: StockCandidate, quantity: number, outcome: 'applied' | 'unchanged'): StockRowResult => ({
      sku: c.sku,
      location: c.location,
      outcome: conflicted(c) ? 'conflictResolved' : outcome,
      quantity,
    });
    const baseline = (c: StockCandidate, t: Terms, quantity: number, held: boolean): PushedStock => ({
      sku: c.sku,
      location: c.location,
      quantity,
      held,
      at: deps.now().toISOString(),
      ...t,
      runId: context.runId,
      why: conflicted(c) ? `${context.why}, after a conflict` : context.why,
    });
    for (const c of pending) {
      if (readFirst.has(stockKey(c.sku, c.location))) continue;
      const t = terms.get(stockKey(c.sku, c.location));
      if (t === undefined) {
        results.push({
          sku: c.sku,
          location: c.location,
          outcome: 'refused',
          code: StockRefusals.NOT_MAPPED,
          reason: 'no ERP item or location for it',
        });
        continue;
      }
      if (c.shop !== undefined) {
        const ceiling = shopCeiling({ erpOnHand: t.erpOnHand, shopCommitted: c.shop.committed, safetyStock: t.safetyStock });
        const { quantity, held } = quantityToPush(t.sellable, ceiling);
        if (quantity === c.shop.available) {
          results.push(settled(c, quantity, 'unchanged'));
          if (context.keepInStep !== false || held) baselines.push(baseline(c, t, quantity, held));
        } else
          planned.push({ ...c, row: { sku: c.sku, location: c.location, quantity, compareQuantity: c.shop.available }, held, terms: t });
        continue;
      }
      const previous = last.get(stockKey(c.sku, c.location));
      if (previous === undefined) continue; // read first (above)
      if (previous.quantity === t.sellable) results.push(settled(c, t.sellable, 'unchanged'));
      else
        planned.push({
          ...c,
          row: { sku: c.sku, location: c.location, quantity: t.sellable, compareQuantity: previous.quantity },
          held: false,
          terms: t,
        });
    }
    const stale: StockCandidate[] = [];
    for (const batch of batchesOf(planned, BATCH)) {
      let answers: SetQuantityResult[];
      try {
        answers = await setQuantities(
          deps,
          batch.map((p) => p.row),
          context.runId,
        );
      } catch (error) {
        const refusal = refusalOf(error, StockRefusals.PUSH_FAILED);
        for (const p of batch) results.push({ sku: p.sku, location: p.location, ...refusal });
        continue;
      }
      const byKey = new Map(batch.map((p) => [stockKey(p.sku, p.location), p]));
      const answered = new Set<string>();
      for (const answer of answers) {
        const p = byKey.get(stockKey(answer.sku, answer.location));
        if (p === undefined) continue;
        answered.add(stockKey(p.sku, p.location));
        if (answer.status === 'applied') {
          results.push(settled(p, p.row.quantity, 'applied'));
          baselines.push(baseline(p, p.terms, p.row.quantity, p.held));
        } else if (answer.status === 'stale') {
          const times = (staleCount.get(stockKey(p.sku, p.location)) ?? 0) + 1;
          staleCount.set(stockKey(p.sku, p.location), times);
          if (times <= deps.staleRetries) stale.push({ sku: p.sku, location: p.location });
          else
            results.push({
              sku: p.sku,
              location: p.location,
              outcome: 'refused',
              code: StockRefusals.KEPT_CHANGING,
              reason: `the shop changed it ${times} times while the hub set it (now ${answer.currentQuantity})`,
            });
        } else results.push({ sku: p.sku, location: p.location, outcome: 'refused', code: answer.code, reason: answer.message });
      }
      for (const p of batch)
        if (!answered.has(stockKey(p.sku, p.location)))
          results.push({
            sku: p.sku,
            location: p.location,
            outcome: 'refused',
            code: StockRefusals.NO_ANSWER,
            reason: 'the shop’s answer did not mention it',
          });
    }
    if (baselines.length > 0) await deps.state.recordPushed(baselines);
    // Rows whose shop level must be known first, and rows the shop changed meanwhile: read now,
    // computed again from fresh figures on the next pass.
    const read = await readShop(deps, [...toRead, ...stale]);
    results.push(...read.refused);
    pending = read.candidates;
  }
  return results;
}

/** The figures each candidate's sellable quantity comes from. */
async function termsOf(deps: PushStockDeps, candidates: readonly StockCandidate[]): Promise<Map<string, Terms>> {
  const mapped = candidates.flatMap((c) => {
    const itemNo = deps.catalog.itemOf(c.sku);
    const erpLocation = deps.catalog.erpLocationOf(c.location);
    return itemNo === undefined || erpLocation === undefined ? [] : [{ ...c, itemNo, erpLocation }];
  });
  // In flight first, the ERP after: an order released between the two reads (the ERP took it meanwhile)
  // is in both and subtracted twice for a moment; read the other way round it would be in neither.
  const inFlight = await deps.inFlight.totals();
  const levels = new Map<string, ErpStockLevel>();
  for (const batch of batchesOf([...new Set(mapped.map((m) => m.itemNo))], BATCH))
    for (const level of await withRetries(deps, () => deps.erp.levels(batch))) levels.set(`${level.itemNo}|${level.location}`, level);
  const terms = new Map<string, Terms>();
  for (const m of mapped) {
    const level = levels.get(`${m.itemNo}|${m.erpLocation}`) ?? { itemNo: m.itemNo, location: m.erpLocation, onHand: 0, available: 0 };
    const t = {
      erpAvailable: level.available,
      erpOnHand: level.onHand,
      inFlight: inFlight.get(stockKey(m.sku, m.location)) ?? 0,
      safetyStock: deps.catalog.safetyStock(m.itemNo, m.erpLocation),
    };
    terms.set(stockKey(m.sku, m.location), { ...t, sellable: sellableQuantity(t) });
  }
  return terms;
}

/** The shop's levels of these candidates, read in calls of 250 SKUs (each at every location). */
async function readShop(
  deps: PushStockDeps,
  candidates: readonly StockCandidate[],
): Promise<{ candidates: StockCandidate[]; refused: StockRowResult[] }> {
  const bySku = new Map<string, StockCandidate[]>();
  for (const c of candidates) bySku.set(c.sku, [...(bySku.get(c.sku) ?? []), c]);
  const read: StockCandidate[] = [];
  const refused: StockRowResult[] = [];
  for (const batch of batchesOf([...bySku.keys()], BATCH)) {
    const levels = new Map<string, ShopLevel>();
    try {
      // Every location of each SKU: a page holds 250 levels, so these SKUs' may take more than one.
      let cursor: string | undefined;
      do {
        const from: string | undefined = cursor;
        const page = await withRetries(deps, () => deps.shop.levels({ skus: batch, ...(from === undefined ? {} : { cursor: from }) }));
        for (const level of page.levels) levels.set(stockKey(level.sku, level.location), level);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    } catch (error) {
      const refusal = refusalOf(error, StockRefusals.READ_FAILED);
      for (const sku of batch) for (const c of bySku.get(sku) ?? []) refused.push({ sku: c.sku, location: c.location, ...refusal });
      continue;
    }
    for (const sku of batch)
      for (const c of bySku.get(sku) ?? [])
        // The shop has no level for it yet: a level of nothing.
        read.push({
          sku: c.sku,
          location: c.location,
          shop: levels.get(stockKey(c.sku, c.location)) ?? { sku: c.sku, location: c.location, available: 0, committed: 0 },
        });
  }
  return { candidates: read, refused };
}

/** One set-quantities call, under its idempotency key (`callKey`). */
async function setQuantities(deps: PushStockDeps, rows: SetQuantityRow[], runId: string): Promise<SetQuantityResult[]> {
  const key = callKey(runId, rows);
  return await withRetries(deps, () => deps.shop.setQuantities(rows, key));
}

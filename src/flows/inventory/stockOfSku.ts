import { quantityToPush, sellableQuantity, shopCeiling } from '../../domain/sellableQuantity';
import { stockKey } from '../../domain/shopOrderUnits';
import type { ShopLevel } from '../../ports/ShopInventoryPort';
import type { PushedStock } from '../../ports/StockStatePort';
import type { PushStockDeps } from './pushStock';

/** One SKU at one shop location, as an operator looks at it: every figure its sellable quantity comes from, and what was pushed. */
export interface StockOfLocation {
  location: string;
  erpLocation: string;
  itemNo: string;
  erp: { onHand: number; available: number };
  inFlight: number;
  safetyStock: number;
  sellable: number;
  /** The shop's ceiling (ERP on hand − shop committed − safety stock). */
  ceiling?: number;
  shop?: { available: number; committed: number };
  lastPushed?: PushedStock;
  /** The shop shows what it should (or says why not). */
  inStep: boolean;
}

export type StockOfSku = { sku: string; locations: StockOfLocation[] } | { sku: string; unknown: string };

/** `npx hub inventory show <sku>` and GET /api/ops/stock/skus/{sku}: the SKU at each shop location, read now. */
export async function stockOfSku(deps: PushStockDeps, sku: string): Promise<StockOfSku> {
  const itemNo = deps.catalog.itemOf(sku);
  if (itemNo === undefined) return { sku, unknown: `'${sku}' is not in sku-items.csv: the hub syncs no stock for it` };
  const pairs = deps.catalog.pairs.filter((p) => p.sku === sku);
  const [levels, inFlight, pushed, shop] = await Promise.all([
    deps.erp.levels([itemNo]),
    deps.inFlight.totals(),
    deps.state.pushed(pairs.map((p) => ({ sku, location: p.shopLocation }))),
    deps.shop.levels({ skus: [sku] }).then(
      (page) => page.levels,
      () => [] as ShopLevel[],
    ),
  ]);
  return {
    sku,
    locations: pairs.map((p) => {
      const level = levels.find((l) => l.location === p.erpLocation) ?? { onHand: 0, available: 0 };
      const terms = {
        erpAvailable: level.available,
        inFlight: inFlight.get(stockKey(sku, p.shopLocation)) ?? 0,
        safetyStock: deps.catalog.safetyStock(itemNo, p.erpLocation),
      };
      const sellable = sellableQuantity(terms);
      const atShop = shop.find((l) => l.location === p.shopLocation);
      const ceiling =
        atShop === undefined
          ? undefined
          : shopCeiling({ erpOnHand: level.onHand, shopCommitted: atShop.committed, safetyStock: terms.safetyStock });
      const lastPushed = pushed.get(stockKey(sku, p.shopLocation));
      return {
        location: p.shopLocation,
        erpLocation: p.erpLocation,
        itemNo,
        erp: { onHand: level.onHand, available: level.available },
        inFlight: terms.inFlight,
        safetyStock: terms.safetyStock,
        sellable,
        ...(ceiling === undefined ? {} : { ceiling }),
        ...(atShop === undefined ? {} : { shop: { available: atShop.available, committed: atShop.committed } }),
        ...(lastPushed === undefined ? {} : { lastPushed }),
        inStep: atShop !== undefined && ceiling !== undefined && atShop.available === quantityToPush(sellable, ceiling).quantity,
      };
    }),
  };
}

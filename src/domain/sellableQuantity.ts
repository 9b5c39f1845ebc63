/**
 * Sellable quantity: what the shop may offer of one SKU at one of its locations, pushed to the
 * shop's `available`.
 *
 *     sellable = ERP available − in-flight units − safety stock, never below 0
 *
 * - ERP available: the warehouse's on hand less what its sales orders reserve. An order the ERP
 *   holds is in it already.
 * - in-flight units: units in shop orders the hub has received and the ERP does not hold yet (not
 *   yet submitted, waiting for a retry, parked).
 * - safety stock: units kept back on purpose (mappings/lookups/safety-stock.csv).
 *
 * The shop's `committed` (units in its unfulfilled orders) is never subtracted from this: each of
 * those orders is either in flight (subtracted once, above) or held by the ERP (its reservation,
 * subtracted once, in ERP available). Subtracting `committed` as well would count them twice.
 *
 * The shop's own figures bound what is pushed from above: an order placed in the shop a moment ago
 * that has not reached the hub yet is in the shop's `committed` but in neither term above. So the
 * value pushed never exceeds the shop's ceiling,
 *
 *     ceiling = ERP on hand − shop committed − safety stock,
 *
 * which is the same number as sellable once every shop order has reached the hub (the ERP on hand
 * holds the units of its reserved orders, the shop's committed holds the same orders).
 */
export interface SellableTerms {
  erpAvailable: number;
  inFlight: number;
  safetyStock: number;
}

export function sellableQuantity(terms: SellableTerms): number {
  return Math.max(0, terms.erpAvailable - terms.inFlight - terms.safetyStock);
}

export interface CeilingTerms {
  erpOnHand: number;
  shopCommitted: number;
  safetyStock: number;
}

export function shopCeiling(terms: CeilingTerms): number {
  return Math.max(0, terms.erpOnHand - terms.shopCommitted - terms.safetyStock);
}

/** What to push when the shop's figures are known: sellable, held down to the ceiling. */
export function quantityToPush(sellable: number, ceiling: number): { quantity: number; held: boolean } {
  return sellable <= ceiling ? { quantity: sellable, held: false } : { quantity: ceiling, held: true };
}

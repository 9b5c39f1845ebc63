/** Units of one SKU an order takes at one shop location. */
export interface ShopOrderUnits {
  sku: string;
  location: string;
  quantity: number;
}

/** Where the shop serves an order from when it does not say (orders placed before locations). */
export const DEFAULT_SHOP_LOCATION = 'main';

/**
 * The units an ECP order, as fetched, takes from the shop's stock: its lines' SKUs and quantities
 * at the location serving it. What cannot be read is left out (such an order is parked anyway).
 */
export function unitsOfShopOrder(order: unknown): ShopOrderUnits[] {
  if (typeof order !== 'object' || order === null) return [];
  const { lineItems, locationId } = order as { lineItems?: unknown; locationId?: unknown };
  if (!Array.isArray(lineItems)) return [];
  const location = typeof locationId === 'string' && locationId !== '' ? locationId : DEFAULT_SHOP_LOCATION;
  const units = new Map<string, number>();
  for (const line of lineItems as unknown[]) {
    const { sku, quantity } = (line ?? {}) as { sku?: unknown; quantity?: unknown };
    if (typeof sku === 'string' && typeof quantity === 'number' && Number.isFinite(quantity) && quantity > 0)
      units.set(sku, (units.get(sku) ?? 0) + quantity);
  }
  return [...units].map(([sku, quantity]) => ({ sku, location, quantity }));
}

/** The key of a SKU at a shop location, as stock sync keeps its rows. */
export const stockKey = (sku: string, location: string): string => `${sku}|${location}`;

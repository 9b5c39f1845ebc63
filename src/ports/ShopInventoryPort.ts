/** What the shop holds of one SKU at one of its locations. */
export interface ShopLevel {
  sku: string;
  location: string;
  available: number;
  committed: number;
}

/** One row to set: `available` to `quantity`, only if it still holds `compareQuantity`. */
export interface SetQuantityRow {
  sku: string;
  location: string;
  quantity: number;
  compareQuantity: number;
}

export type SetQuantityResult =
  | { sku: string; location: string; status: 'applied' }
  | { sku: string; location: string; status: 'stale'; currentQuantity: number }
  | { sku: string; location: string; status: 'refused'; code: string; message: string };

/** A product's price to set, and the compare-at price shown struck through (null: none). */
export interface SetPriceRow {
  sku: string;
  price: number;
  compareAtPrice: number | null;
}

export type SetPriceResult = { sku: string; status: 'applied' } | { sku: string; status: 'refused'; code: string; message: string };

/** The shop's inventory API (and its prices). */
export interface ShopInventoryPort {
  /** Sets up to 250 products' prices in one call; the same key again returns the first answer. */
  setPrices(rows: readonly SetPriceRow[], idempotencyKey: string): Promise<SetPriceResult[]>;
  /**
   * A page of levels in SKU order from `cursor`: of these SKUs (at most 250) at every location, or
   * of every SKU. `nextCursor` names the next page.
   */
  levels(query: { skus?: readonly string[]; cursor?: string }): Promise<{ levels: ShopLevel[]; nextCursor?: string }>;
  /** Sets up to 250 rows in one call; the same key again returns the first answer and changes nothing. */
  setQuantities(rows: readonly SetQuantityRow[], idempotencyKey: string): Promise<SetQuantityResult[]>;
}

/** The sandbox shop's prices: each product's price, and the compare-at price shown struck through. */
export interface ShopPrice {
  sku: string;
  price: number;
  compareAtPrice: number | null;
  updatedAt: string;
}

export interface PriceRow {
  sku: string;
  price: number;
  compareAtPrice: number | null;
}

export type PriceResult =
  { sku: string; status: 'applied' } | { sku: string; status: 'refused'; code: 'UNKNOWN_SKU' | 'INVALID_PRICE'; message: string };

export class ShopPrices {
  private readonly prices = new Map<string, ShopPrice>();

  constructor(private readonly skus: ReadonlySet<string>) {}

  apply(price: ShopPrice): void {
    this.prices.set(price.sku, price);
  }

  snapshot(): ShopPrice[] {
    return [...this.prices.values()];
  }

  get(sku: string): ShopPrice | undefined {
    return this.prices.get(sku);
  }

  /** What setting these rows would change, row by row; nothing is changed here. */
  set(rows: readonly PriceRow[], at: string): { results: PriceResult[]; changes: ShopPrice[] } {
    const results: PriceResult[] = [];
    const changes: ShopPrice[] = [];
    for (const row of rows) {
      if (!this.skus.has(row.sku)) {
        results.push({ sku: row.sku, status: 'refused', code: 'UNKNOWN_SKU', message: `no product with SKU ${row.sku}` });
        continue;
      }
      const valid =
        Number.isFinite(row.price) &&
        row.price >= 0 &&
        (row.compareAtPrice === null || (Number.isFinite(row.compareAtPrice) && row.compareAtPrice > row.price));
      if (!valid) {
        results.push({
          sku: row.sku,
          status: 'refused',
          code: 'INVALID_PRICE',
          message: 'price must be 0 or more, and a compare-at price above it',
        });
        continue;
      }
      changes.push({ ...row, updatedAt: at });
      results.push({ sku: row.sku, status: 'applied' });
    }
    return { results, changes };
  }
}

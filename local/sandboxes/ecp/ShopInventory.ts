/**
 * The sandbox shop's inventory, as the leading shop platforms define it, per SKU and location:
 * `available` (what it may sell), `committed` (units in its orders not yet fulfilled) and
 * `onHand` (available + committed). An order takes its units from `available` at once and commits
 * them; fulfilling it takes them off hand; cancelling it puts them back on sale. An integration
 * sets `available` in calls of at most 250 rows, each with an optional compare quantity.
 */

/** The shop's locations; `popup` exists but is inactive (a row for it is refused). */
export const SHOP_LOCATIONS = [
  { id: 'main', active: true },
  { id: 'east', active: true },
  { id: 'popup', active: false },
] as const;

export interface InventoryLevel {
  sku: string;
  location: string;
  available: number;
  committed: number;
  onHand: number;
  updatedAt: string;
}

export interface QuantityRow {
  sku: string;
  location: string;
  quantity: number;
  /** The value the caller believes `available` holds; a row whose current value differs is refused. */
  compareQuantity?: number;
}

export type RowResult =
  | { sku: string; location: string; status: 'applied'; quantity: number }
  | { sku: string; location: string; status: 'refused'; code: 'CHANGE_FROM_QUANTITY_STALE'; message: string; currentQuantity: number }
  | { sku: string; location: string; status: 'refused'; code: 'UNKNOWN_SKU' | 'INACTIVE_LOCATION' | 'INVALID_QUANTITY'; message: string };

/** What a change of one level is, for the sandbox's journal. */
export interface LevelChange {
  sku: string;
  location: string;
  available: number;
  committed: number;
  updatedAt: string;
}

const key = (sku: string, location: string): string => `${sku}|${location}`;

export class ShopInventory {
  private readonly levels = new Map<string, LevelChange>();
  private readonly skus: ReadonlySet<string>;
  /** Sorted keys, for paging. */
  private sorted: string[] | undefined;

  constructor(skus: Iterable<string>) {
    this.skus = new Set(skus);
  }

  get isEmpty(): boolean {
    return this.levels.size === 0;
  }

  /** Applies a change (as it is made, and when the journal is read). */
  apply(change: LevelChange): void {
    const k = key(change.sku, change.location);
    if (!this.levels.has(k)) this.sorted = undefined;
    this.levels.set(k, change);
  }

  snapshot(): LevelChange[] {
    return [...this.levels.values()];
  }

  /** The levels a new shop starts with: `quantity` available of every SKU at every active location. */
  seed(quantity: number, at: string): LevelChange[] {
    return [...this.skus].flatMap((sku) =>
      SHOP_LOCATIONS.filter((l) => l.active).map((l) => ({ sku, location: l.id, available: quantity, committed: 0, updatedAt: at })),
    );
  }

  level(sku: string, location: string): InventoryLevel | undefined {
    const found = this.levels.get(key(sku, location));
    return found === undefined ? undefined : { ...found, onHand: found.available + found.committed };
  }

  /** Levels in SKU then location order, after `afterKey`, filtered, at most `top`; and the key to go on from. */
  page(
    filter: { skus?: ReadonlySet<string>; location?: string },
    afterKey: string | undefined,
    top: number,
  ): { levels: InventoryLevel[]; next?: string } {
    this.sorted ??= [...this.levels.keys()].sort();
    let start = 0;
    if (afterKey !== undefined) {
      // The first key after the cursor (binary search over the sorted keys).
      let low = 0;
      let high = this.sorted.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (this.sorted[mid]! <= afterKey) low = mid + 1;
        else high = mid;
      }
      start = low;
    }
    const levels: InventoryLevel[] = [];
    let i = start;
    for (; i < this.sorted.length && levels.length < top; i++) {
      const found = this.levels.get(this.sorted[i]!)!;
      if (filter.skus !== undefined && !filter.skus.has(found.sku)) continue;
      if (filter.location !== undefined && found.location !== filter.location) continue;
      levels.push({ ...found, onHand: found.available + found.committed });
    }
    const more = levels.length === top && i < this.sorted.length;
    return { levels, ...(more ? { next: this.sorted[i - 1]! } : {}) };
  }

  /** What setting these rows would change, row by row; nothing is changed here. */
  setQuantities(rows: readonly QuantityRow[], at: string): { results: RowResult[]; changes: LevelChange[] } {
    const results: RowResult[] = [];
    const changes: LevelChange[] = [];
    const pending = new Map<string, LevelChange>();
    for (const row of rows) {
      const { sku, location } = row;
      const place = SHOP_LOCATIONS.find((l) => l.id === location);
      if (!this.skus.has(sku)) {
        results.push({ sku, location, status: 'refused', code: 'UNKNOWN_SKU', message: `no product with SKU ${sku}` });
        continue;
      }
      if (place === undefined || !place.active) {
        results.push({ sku, location, status: 'refused', code: 'INACTIVE_LOCATION', message: `location ${location} is not active` });
        continue;
      }
      if (!Number.isInteger(row.quantity) || row.quantity < 0) {
        results.push({ sku, location, status: 'refused', code: 'INVALID_QUANTITY', message: 'quantity must be a whole number, 0 or more' });
        continue;
      }
      const current = pending.get(key(sku, location)) ?? this.levels.get(key(sku, location));
      const available = current?.available ?? 0;
      if (row.compareQuantity !== undefined && row.compareQuantity !== available) {
        results.push({
          sku,
          location,
          status: 'refused',
          code: 'CHANGE_FROM_QUANTITY_STALE',
          message: `available is ${available}, not ${row.compareQuantity}`,
          currentQuantity: available,
        });
        continue;
      }
      const change = { sku, location, available: row.quantity, committed: current?.committed ?? 0, updatedAt: at };
      pending.set(key(sku, location), change);
      changes.push(change);
      results.push({ sku, location, status: 'applied', quantity: row.quantity });
    }
    return { results, changes };
  }

  /**
   * Where an order of these lines can be served whole: the first active location with every line
   * available; undefined when none has.
   */
  locationFor(lines: readonly { sku: string; quantity: number }[]): string | undefined {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
    return SHOP_LOCATIONS.find(
      (l) => l.active && [...wanted].every(([sku, quantity]) => (this.levels.get(key(sku, l.id))?.available ?? 0) >= quantity),
    )?.id;
  }

  /** The changes of `delta` units moved from available to committed (an order placed) or back (negative: cancelled). */
  commit(lines: readonly { sku: string; quantity: number }[], location: string, sign: 1 | -1, at: string): LevelChange[] {
    return this.move(lines, location, at, (level, q) => ({ available: level.available - sign * q, committed: level.committed + sign * q }));
  }

  /** The changes of an order fulfilled: its committed units leave the shelf. */
  fulfil(lines: readonly { sku: string; quantity: number }[], location: string, at: string): LevelChange[] {
    return this.move(lines, location, at, (level, q) => ({ available: level.available, committed: Math.max(0, level.committed - q) }));
  }

  private move(
    lines: readonly { sku: string; quantity: number }[],
    location: string,
    at: string,
    change: (level: LevelChange, quantity: number) => { available: number; committed: number },
  ): LevelChange[] {
    const next = new Map<string, LevelChange>();
    for (const line of lines) {
      const k = key(line.sku, location);
      const level = next.get(k) ?? this.levels.get(k) ?? { sku: line.sku, location, available: 0, committed: 0, updatedAt: at };
      next.set(k, { ...level, ...change(level, line.quantity), updatedAt: at });
    }
    return [...next.values()];
  }
}

/**
 * The sandbox ERP's stock, as an ERP keeps it: an item ledger (every change of what is on hand is
 * an entry with its number, the change feed an integration reads from), reservations made by open
 * sales orders, and per item and location what is on hand, reserved and available (on hand less
 * reserved). A sales order line reserves what is available at once; what it asks beyond that is a
 * backorder, the oversell the tests count.
 */

/** The ERP's locations (warehouses). */
export const ERP_LOCATIONS = ['MAIN', 'EAST'] as const;

export type ItemLedgerEntryType = 'Positive Adjmt.' | 'Negative Adjmt.' | 'Sale';

export interface ItemLedgerEntry {
  entryNo: number;
  itemNo: string;
  location: string;
  entryType: ItemLedgerEntryType;
  /** Positive in, negative out. */
  quantity: number;
  postedAt: string;
  /** The sales order a sale entry ships. */
  documentNo?: string;
}

export interface StockLevel {
  itemNo: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** What a sales order holds of one item at one location. */
export interface Reservation {
  salesOrderId: string;
  itemNo: string;
  location: string;
  /** Reserved from what was available. */
  reserved: number;
  /** Asked beyond what was available. */
  backordered: number;
}

const key = (itemNo: string, location: string): string => `${itemNo}|${location}`;

export class ErpStock {
  readonly ledger: ItemLedgerEntry[] = [];
  private readonly onHand = new Map<string, number>();
  /** Open reservations by sales order. */
  private readonly reservations = new Map<string, Reservation[]>();
  private readonly reservedBy = new Map<string, number>();

  constructor(private readonly items: ReadonlySet<string>) {}

  isLocation(location: string): boolean {
    return (ERP_LOCATIONS as readonly string[]).includes(location);
  }

  /** Applies a posted entry (as it is posted, and when the journal is read). */
  applyEntry(entry: ItemLedgerEntry): void {
    this.ledger.push(entry);
    const k = key(entry.itemNo, entry.location);
    this.onHand.set(k, (this.onHand.get(k) ?? 0) + entry.quantity);
  }

  /** Applies a sales order's reservations (as it is created, and when the journal is read). */
  applyReservations(salesOrderId: string, reservations: Reservation[]): void {
    this.reservations.set(salesOrderId, reservations);
    for (const r of reservations) {
      const k = key(r.itemNo, r.location);
      this.reservedBy.set(k, (this.reservedBy.get(k) ?? 0) + r.reserved);
    }
  }

  /** Releases a sales order's reservations (shipped or cancelled). */
  release(salesOrderId: string): Reservation[] {
    const held = this.reservations.get(salesOrderId) ?? [];
    this.reservations.delete(salesOrderId);
    for (const r of held) {
      const k = key(r.itemNo, r.location);
      this.reservedBy.set(k, (this.reservedBy.get(k) ?? 0) - r.reserved);
    }
    return held;
  }

  reservationsOf(salesOrderId: string): readonly Reservation[] | undefined {
    return this.reservations.get(salesOrderId);
  }

  /** What one sales order's lines would reserve now, line by line (quantities of one item and location summed). */
  reserve(salesOrderId: string, location: string, lines: readonly { itemNo: string; quantity: number }[]): Reservation[] {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.itemNo, (wanted.get(line.itemNo) ?? 0) + line.quantity);
    return [...wanted].map(([itemNo, quantity]) => {
      const reserved = Math.max(0, Math.min(quantity, this.level(itemNo, location).available));
      return { salesOrderId, itemNo, location, reserved, backordered: quantity - reserved };
    });
  }

  level(itemNo: string, location: string): StockLevel {
    const k = key(itemNo, location);
    const onHand = this.onHand.get(k) ?? 0;
    const reserved = this.reservedBy.get(k) ?? 0;
    return { itemNo, location, onHand, reserved, available: onHand - reserved };
  }

  /** Every location's level of each item asked for (known items only). */
  levels(itemNos: readonly string[]): StockLevel[] {
    return itemNos.filter((i) => this.items.has(i)).flatMap((itemNo) => ERP_LOCATIONS.map((location) => this.level(itemNo, location)));
  }

  /** The entry that brings an item's on-hand quantity at a location to `quantity` (none when it is there already). */
  adjustmentTo(itemNo: string, location: string, quantity: number, postedAt: string): Omit<ItemLedgerEntry, 'entryNo'> | undefined {
    const change = quantity - this.level(itemNo, location).onHand;
    if (change === 0) return undefined;
    return { itemNo, location, entryType: change > 0 ? 'Positive Adjmt.' : 'Negative Adjmt.', quantity: change, postedAt };
  }

  get nextEntryNo(): number {
    return (this.ledger.at(-1)?.entryNo ?? 0) + 1;
  }

  /** Entries after `entryNo`, oldest first, at most `top`. */
  entriesAfter(entryNo: number, top: number): ItemLedgerEntry[] {
    // Entry numbers are 1, 2, 3, ... in the ledger's order.
    return this.ledger.slice(Math.max(0, entryNo), Math.max(0, entryNo) + top);
  }
}

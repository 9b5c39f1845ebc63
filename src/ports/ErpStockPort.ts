/** One entry of the ERP's item ledger, its change feed of what is on hand. */
export interface LedgerEntry {
  entryNo: number;
  itemNo: string;
  location: string;
  quantity: number;
}

/** What the ERP holds of one item at one location. */
export interface ErpStockLevel {
  itemNo: string;
  location: string;
  onHand: number;
  available: number;
}

/** A line of the ERP's price list: an item's price from a day on. */
export interface PriceLine {
  lineNo: number;
  itemNo: string;
  unitPrice: number;
  compareAtPrice?: number;
  startingDate: string;
}

/** The ERP's stock: its item ledger from an entry on, and the levels of items; and its prices. */
export interface ErpStockPort {
  /** The price-list lines valid on a day (yyyy-MM-dd), in line order, a page at a time from after `lineNo`. */
  priceLinesValidOn(day: string, after: number, top: number): Promise<{ lines: PriceLine[]; more: boolean }>;
  /** Entries after `entryNo`, oldest first, a page at a time; `more` when there are others after them. */
  ledgerAfter(entryNo: number, top: number): Promise<{ entries: LedgerEntry[]; more: boolean }>;
  /** Every location's level of each item (at most 250 items a call). */
  levels(itemNos: readonly string[]): Promise<ErpStockLevel[]>;
}

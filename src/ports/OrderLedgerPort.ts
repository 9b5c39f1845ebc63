import type { LedgerEntry } from '../domain/orderLedger';

export interface VersionedLedgerEntry {
  entry: LedgerEntry;
  etag: string;
}

/** Ledger storage with optimistic concurrency: writes fail with STORAGE.CONFLICT on a stale etag. */
export interface OrderLedgerPort {
  get(orderId: string): Promise<VersionedLedgerEntry | undefined>;
  create(entry: LedgerEntry): Promise<VersionedLedgerEntry>;
  replace(entry: LedgerEntry, etag: string): Promise<VersionedLedgerEntry>;
}

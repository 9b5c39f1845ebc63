import type { LedgerEntry } from '../domain/orderLedger';

export interface VersionedLedgerEntry {
  entry: LedgerEntry;
  etag: string;
}

/** Ledger storage with optimistic concurrency: writes fail with STORAGE.CONFLICT on a stale etag. */
export interface OrderLedgerPort {
  get(orderId: string): Promise<VersionedLedgerEntry | undefined>;
  create(entry: LedgerEntry): Promise<VersionedLedgerEntry>;
  /** `previous`: the entry as read, when the caller has it (an index need not be rewritten for what did not change). */
  replace(entry: LedgerEntry, etag: string, previous?: LedgerEntry): Promise<VersionedLedgerEntry>;
}

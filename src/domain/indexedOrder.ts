import type { LedgerEntry, OrderState } from './orderLedger';

/** What the order index holds of one order: no personal data, only where it stands. */
export interface IndexedOrder {
  orderId: string;
  state: OrderState;
  erpOrderId?: string;
  lastErrorCode?: string;
  receivedAt: string;
  placedAt?: string;
  submittedAt?: string;
  updatedAt: string;
}

/** What the order index shows of a ledger entry. */
export function indexedOrderOf(entry: LedgerEntry): IndexedOrder {
  return {
    orderId: entry.orderId,
    state: entry.state,
    receivedAt: entry.receivedAt ?? entry.updatedAt,
    updatedAt: entry.updatedAt,
    ...(entry.erpOrderId === undefined ? {} : { erpOrderId: entry.erpOrderId }),
    ...(entry.lastErrorCode === undefined ? {} : { lastErrorCode: entry.lastErrorCode }),
    ...(entry.placedAt === undefined ? {} : { placedAt: entry.placedAt }),
    ...(entry.submittedAt === undefined ? {} : { submittedAt: entry.submittedAt }),
  };
}

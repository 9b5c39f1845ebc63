import type { IndexedOrder } from '../domain/indexedOrder';
import type { OrderState } from '../domain/orderLedger';

export type { IndexedOrder };

export interface OrderIndexQuery {
  from: Date;
  to: Date;
  state?: OrderState;
  limit: number;
  cursor?: string;
}

/** The orders by the day the hub received them, newest first, for search and statistics; kept beside the ledger. */
export interface OrderIndexPort {
  record(order: IndexedOrder): Promise<void>;
  /** One page of the orders received in [from, to), newest first. */
  page(query: OrderIndexQuery): Promise<{ orders: IndexedOrder[]; nextCursor?: string }>;
  /** Every order received in [from, to) (for statistics). */
  all(from: Date, to: Date): AsyncIterable<IndexedOrder>;
  /** The ECP order the ERP knows by this id. */
  orderIdOfErpOrder(erpOrderId: string): Promise<string | undefined>;
}

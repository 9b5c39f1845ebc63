import type { EcpOrderUpdate } from '../platforms/ecp/ecpOrderUpdate';

/** An order as the ECP's order list names it: enough to compare with the ledger. */
export interface ChangedOrder {
  id: string;
  version: number;
  updatedAt: string;
}

export interface EcpOrdersPort {
  /** The order as the ECP returns it, unchecked: the integrator checks it against the ECP schema. */
  getOrder(orderId: string): Promise<unknown>;
  /** Applies a change to an order; answers the order's new version. */
  updateOrder(update: EcpOrderUpdate): Promise<{ version: number }>;
  /** One page of the orders created or changed since a time, oldest change first; `nextCursor` names the next page. */
  listChanged(since: Date, cursor?: string): Promise<{ orders: ChangedOrder[]; nextCursor?: string }>;
}

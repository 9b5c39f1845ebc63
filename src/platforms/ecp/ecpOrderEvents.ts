/** Event types the ECP publishes to its Event Grid topic, and the data they carry. */
export const EcpEventTypes = {
  ORDER_CREATED: 'Ecp.Order.Created',
  /** Any change to an order, the hub's own included. */
  ORDER_UPDATED: 'Ecp.Order.Updated',
} as const;

export type EcpEventType = (typeof EcpEventTypes)[keyof typeof EcpEventTypes];

export interface EcpOrderEventData {
  orderId: string;
  version: number;
  /** For updates: the API client that made the change (the hub's is ECP_CLIENT_NAME). */
  updatedBy?: string;
}

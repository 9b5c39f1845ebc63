/** Event types the ECP publishes to its Event Grid topic, and the data they carry. */
export const EcpEventTypes = {
  ORDER_CREATED: 'Ecp.Order.Created',
} as const;

export type EcpEventType = (typeof EcpEventTypes)[keyof typeof EcpEventTypes];

export interface EcpOrderEventData {
  orderId: string;
  version: number;
}

/** Service Bus queue names: part of the contract with the infrastructure (infra/) and the local runtime. */
export const QueueNames = {
  ONLINE_ORDERS: 'online-orders',
  ERP_UPDATES: 'erp-updates',
  /** Confirmation requests (orders the ERP accepted, paid registrations): one session per confirmation. */
  CONFIRMATIONS: 'confirmations',
} as const;

/** Application properties the hub sets on its messages. */
export const MessageProperties = {
  ATTEMPT: 'attempt',
  ORDER_VERSION: 'orderVersion',
  EVENT_ID: 'eventId',
  REPLAYED_AT: 'replayedAt',
} as const;

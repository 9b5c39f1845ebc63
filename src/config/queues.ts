/** Service Bus queue names: part of the contract with the infrastructure (infra/) and the local runtime. */
export const QueueNames = {
  ONLINE_ORDERS: 'online-orders',
  ERP_UPDATES: 'erp-updates',
  /** Confirmation requests (orders the ERP accepted, paid registrations): one session per confirmation. */
  CONFIRMATIONS: 'confirmations',
} as const;

/**
 * What the hub relies on of each queue: infra/ creates them so in Azure (a test compares), the local
 * stack so on Azurite. Sessions keep an order's messages in order; duplicate detection drops a
 * message sent twice with one id; a message failing more often than the delivery count is
 * dead-lettered. `requiresSession` and duplicate detection cannot be changed once a queue exists.
 */
export interface QueueProperties {
  name: string;
  requiresSession: boolean;
  lockDurationMs: number;
  maxDeliveryCount: number;
  duplicateDetectionWindowMs: number;
}

export const HUB_QUEUES: readonly QueueProperties[] = Object.values(QueueNames).map((name) => ({
  name,
  requiresSession: true,
  lockDurationMs: 60_000,
  maxDeliveryCount: 10,
  duplicateDetectionWindowMs: 10 * 60_000,
}));

/** Application properties the hub sets on its messages. */
export const MessageProperties = {
  ATTEMPT: 'attempt',
  ORDER_VERSION: 'orderVersion',
  EVENT_ID: 'eventId',
  REPLAYED_AT: 'replayedAt',
} as const;

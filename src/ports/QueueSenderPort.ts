/** A message for a Service Bus queue, in the terms the hub relies on. */
export interface OutgoingMessage {
  body: unknown;
  /** Duplicate detection key: the same id within the window is dropped by the queue. */
  messageId: string;
  /** Messages of one session (one order) are delivered one at a time, in order. */
  sessionId: string;
  correlationId?: string;
  applicationProperties?: Record<string, string | number | boolean>;
  /** Deliver no sooner than this. */
  scheduledEnqueueTime?: Date;
}

export interface QueueSenderPort {
  send(queueName: string, message: OutgoingMessage): Promise<void>;
}

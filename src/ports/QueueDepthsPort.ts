/** How many messages wait in a queue and its dead-letter queue; `unavailable` says why the counts could not be read. */
export interface QueueDepth {
  queue: string;
  active?: number;
  deadLetters?: number;
  unavailable?: string;
}

/** The depths of the hub's Service Bus queues, as Service Bus counts them. */
export interface QueueDepthsPort {
  depths(queues: readonly string[]): Promise<QueueDepth[]>;
}

/** A message that failed for good: kept with its reason and payload until someone replays it. */
export interface ParkedMessage {
  /**
   * Where the message came from, and goes back to on replay: a Service Bus queue, or
   * `ParkedSources.ORDER_EVENTS` for ECP order events from Event Grid.
   */
  source: string;
  /** The ECP order id; empty when the message names no valid order (an invalid event). */
  orderId: string;
  /** Set when one order may have several messages parked at once (ERP updates, events): the message's or event's id. */
  messageId?: string;
  code: string;
  reason: string;
  details: string[];
  /**
   * What the hub last held of the message (JSON text): the event as delivered, or the message body
   * with a claim-checked order read back from its blob.
   */
  payload: string;
  attempts: number;
  parkedAt: string;
  correlationId?: string;
  /** False when replaying cannot help because the message itself is unusable (an invalid event): it can only be looked at. */
  replayable: boolean;
  /** The mappings in force when it was parked (`name@version#fingerprint, ...`), where a mapping ran. */
  mappings?: string;
}

/** Where parked messages come from besides the hub's queues. */
export const ParkedSources = {
  /** ECP order events the Event Grid trigger could never process (its host cannot refuse them). */
  ORDER_EVENTS: 'ecp-order-events',
  /** Confirmation requests that are not one, and confirmation branches that failed for good (replayed through the queue, branch by branch). */
  CONFIRMATIONS: 'confirmations',
} as const;

export interface ParkedMessagesPort {
  park(message: ParkedMessage): Promise<void>;
  list(): Promise<ParkedMessage[]>;
  remove(source: string, orderId: string, messageId?: string): Promise<void>;
}

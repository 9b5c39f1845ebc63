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
  /** Set when an operator resolved or dismissed it: kept, out of the open failures, restorable. */
  resolution?: Resolution;
}

/** What an operator decided of a parked entry, and why: `resolved` (fixed by other means), `dismissed` (nothing to do). */
export interface Resolution {
  action: 'resolved' | 'dismissed';
  reason: string;
  by: string;
  at: string;
}

/** Where parked messages come from besides the hub's queues. */
export const ParkedSources = {
  /** ECP order events the Event Grid trigger could never process (its host cannot refuse them). */
  ORDER_EVENTS: 'ecp-order-events',
  /** Confirmation requests that are not one, and confirmation branches that failed for good (replayed through the queue, branch by branch). */
  CONFIRMATIONS: 'confirmations',
} as const;

/** A parked entry without its payload: what listings, groups and statistics need. */
export type ParkedSummary = Omit<ParkedMessage, 'payload'>;

export interface ParkedMessagesPort {
  /** Parks a message (anew: a resolution it had is gone). */
  park(message: ParkedMessage): Promise<void>;
  /** The open entries: parked and not resolved. */
  list(): Promise<ParkedMessage[]>;
  /** The open entries, or the resolved ones, without their payloads (a listing reads much less). */
  overview(state: 'open' | 'resolved'): Promise<ParkedSummary[]>;
  /** One entry, by its source, order and message id; undefined when it is not parked. */
  get(source: string, orderId: string, messageId?: string): Promise<ParkedMessage | undefined>;
  /** One order's entries, open and resolved. */
  ofOrder(orderId: string): Promise<ParkedMessage[]>;
  /** Records (or, with undefined, clears) an entry's resolution; false when it is not parked. */
  setResolution(source: string, orderId: string, messageId: string | undefined, resolution: Resolution | undefined): Promise<boolean>;
  remove(source: string, orderId: string, messageId?: string): Promise<void>;
}

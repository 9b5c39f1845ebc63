/** A message that failed for good: kept with its reason and payload until someone replays it. */
export interface ParkedMessage {
  /** The queue the message came from and goes back to on replay. */
  queue: string;
  orderId: string;
  /** Set when an order may have several messages parked at once (its ERP updates): the message's id. */
  messageId?: string;
  code: string;
  reason: string;
  details: string[];
  /** The message body exactly as received (JSON text). */
  payload: string;
  attempts: number;
  parkedAt: string;
  correlationId?: string;
}

export interface ParkedMessagesPort {
  park(message: ParkedMessage): Promise<void>;
  list(): Promise<ParkedMessage[]>;
  remove(queue: string, orderId: string, messageId?: string): Promise<void>;
}

import { MessageProperties } from '../../config/queues';

/** One delivery of a hub message (Service Bus trigger), as the use cases take it. */
export interface HubMessage {
  body: unknown;
  messageId: string;
  /** The ECP order id. */
  sessionId: string;
  correlationId?: string;
  /** 1 for the first attempt; the hub's own re-scheduled messages count up. */
  attempt: number;
  applicationProperties: Record<string, unknown>;
}

/** A Service Bus delivery from the trigger's body and metadata (`InvocationContext.triggerMetadata`). */
export function hubMessageOf(body: unknown, triggerMetadata: Record<string, unknown> | undefined): HubMessage {
  const metadata = triggerMetadata ?? {};
  const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
  return {
    body,
    messageId: String(metadata.messageId),
    sessionId: String(metadata.sessionId),
    ...(typeof metadata.correlationId === 'string' ? { correlationId: metadata.correlationId } : {}),
    attempt: Number(properties[MessageProperties.ATTEMPT] ?? 1),
    applicationProperties: properties,
  };
}

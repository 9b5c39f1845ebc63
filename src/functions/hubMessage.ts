import type { InvocationContext } from '@azure/functions';
import { MessageProperties } from '../config/queues';
import type { HubMessage } from '../useCases/retryOrPark';

/** A Service Bus delivery as the use cases take it, from the trigger's body and metadata. */
export function hubMessageOf(body: unknown, context: InvocationContext): HubMessage {
  const metadata = context.triggerMetadata ?? {};
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

import { z } from 'zod';

/**
 * How a Service Bus message is stored in a storage queue by the local stand-in. Shared by the
 * app's local sender and the local runtime's receiver.
 */
export const localBusEnvelopeSchema = z.object({
  messageId: z.string().min(1),
  sessionId: z.string().optional(),
  correlationId: z.string().optional(),
  contentType: z.string(),
  applicationProperties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  body: z.unknown().optional(),
  enqueuedTimeUtc: z.string(),
  scheduledEnqueueTimeUtc: z.string().optional(),
});

export type LocalBusEnvelope = z.infer<typeof localBusEnvelopeSchema>;

/**
 * A storage queue message holds 64 KiB, so the stand-in refuses larger messages, as Service Bus
 * refuses those over its own limit (256 KB on Standard); the hub sends large bodies by claim check.
 */
export const LOCAL_BUS_MAX_MESSAGE_BYTES = 64 * 1024;

/** The dead-letter queue of a queue, as the stand-in names it. */
export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-deadletter`;
}

/** Connection string value that selects the local stand-in instead of Azure Service Bus. */
export const LOCAL_SERVICE_BUS_CONNECTION = 'UseDevelopmentServiceBus=true';

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
  /** Set when the body was too large for a queue message: the blob that holds it (claim check). */
  bodyBlob: z.string().optional(),
  enqueuedTimeUtc: z.string(),
  scheduledEnqueueTimeUtc: z.string().optional(),
});

export type LocalBusEnvelope = z.infer<typeof localBusEnvelopeSchema>;

/**
 * Messages larger than this keep their body in a blob (claim check): a storage queue message holds
 * 64 KiB once XML-escaped, and JSON's quotes may double in size when escaped.
 */
export const LOCAL_BUS_INLINE_BODY_MAX_BYTES = 32 * 1024;

/** The dead-letter queue of a queue, as the stand-in names it. */
export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-deadletter`;
}

/** Connection string value that selects the local stand-in instead of Azure Service Bus. */
export const LOCAL_SERVICE_BUS_CONNECTION = 'UseDevelopmentServiceBus=true';

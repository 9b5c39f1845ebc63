import { createHmac } from 'node:crypto';
import { RestError, TableClient } from '@azure/data-tables';
import { z } from 'zod';

/**
 * How the local Service Bus namespace keeps messages in a storage account: each queue is a storage
 * queue of the same name, its dead-letter queue `<queue>-deadletter`, each message an envelope.
 * The namespace (sending side) and the host's receivers (receiving side) share this layout.
 */
export const localBusEnvelopeSchema = z.object({
  messageId: z.string().min(1),
  sessionId: z.string().optional(),
  correlationId: z.string().optional(),
  contentType: z.string(),
  applicationProperties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The message body as sent (text). */
  body: z.string(),
  enqueuedTimeUtc: z.string(),
  scheduledEnqueueTimeUtc: z.string().optional(),
  sequenceNumber: z.number().int(),
});

export type LocalBusEnvelope = z.infer<typeof localBusEnvelopeSchema>;

/** A storage queue message holds 64 KiB: the largest message the local namespace takes. */
export const LOCAL_BUS_MAX_MESSAGE_BYTES = 64 * 1024;

/** The dead-letter queue of a queue. */
export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-deadletter`;
}

/** A queue's properties, as Service Bus keeps them on the queue (infra/ sets the same in Azure). */
export interface LocalQueueDefinition {
  name: string;
  requiresSession: boolean;
  lockDurationMs: number;
  maxDeliveryCount: number;
  /** Messages with a message id seen within this window are dropped. */
  duplicateDetectionWindowMs: number;
}

/** Where the namespace records its queues, so that receivers take the same properties. */
const QUEUES_TABLE = 'localbusqueues';

function queuesTable(storageConnectionString: string): TableClient {
  return TableClient.fromConnectionString(storageConnectionString, QUEUES_TABLE, { allowInsecureConnection: true });
}

export async function writeQueueDefinitions(storageConnectionString: string, queues: readonly LocalQueueDefinition[]): Promise<void> {
  const table = queuesTable(storageConnectionString);
  await table.createTable();
  for (const queue of queues)
    await table.upsertEntity({ partitionKey: 'queue', rowKey: queue.name, definition: JSON.stringify(queue) }, 'Replace');
}

/** The queue's properties, or undefined when the namespace has no such queue. */
export async function readQueueDefinition(storageConnectionString: string, name: string): Promise<LocalQueueDefinition | undefined> {
  try {
    const row = await queuesTable(storageConnectionString).getEntity<{ definition: string }>('queue', name);
    return JSON.parse(row.definition) as LocalQueueDefinition;
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** A Service Bus connection string's endpoint and key, as the host's receivers read it. */
export function readConnectionString(text: string): { endpoint: string; keyName: string; key: string } | undefined {
  const part = (name: string): string | undefined => new RegExp(`(?:^|;)\\s*${name}=([^;]*)`, 'i').exec(text)?.[1]?.trim();
  const endpoint = part('Endpoint');
  const keyName = part('SharedAccessKeyName');
  const key = part('SharedAccessKey');
  return endpoint === undefined || keyName === undefined || key === undefined ? undefined : { endpoint, keyName, key };
}

/** The signature of a shared access signature: HMAC-SHA256 of the URL-encoded resource and the expiry. */
export function signatureOf(key: string, encodedResource: string, expiry: number): Buffer {
  return createHmac('sha256', key).update(`${encodedResource}\n${expiry}`).digest();
}

/** A shared access signature over `resourceUri`, valid for an hour. */
export function sharedAccessSignature(resourceUri: string, keyName: string, key: string): string {
  const encoded = encodeURIComponent(resourceUri.toLowerCase());
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signatureOf(key, encoded, expiry).toString('base64'))}&se=${expiry}&skn=${encodeURIComponent(keyName)}`;
}

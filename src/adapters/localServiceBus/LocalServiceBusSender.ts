import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { OutgoingMessage, QueueSenderPort } from '../../ports/QueueSenderPort';
import { DuplicateDetectionLog } from './DuplicateDetectionLog';
import { LOCAL_BUS_MAX_MESSAGE_BYTES, type LocalBusEnvelope } from './localBusEnvelope';

/** Storage queues hide a new message for at most 7 days. */
const MAX_SCHEDULE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/**
 * The local Service Bus stand-in's sending side, over storage queues (Azurite): duplicate
 * detection by message id, scheduled enqueue as initial invisibility, oversize messages refused.
 */
export class LocalServiceBusSender implements QueueSenderPort {
  readonly duplicates: DuplicateDetectionLog;
  private readonly service: QueueServiceClient;
  private readonly queues = new Map<string, Promise<QueueClient>>();

  constructor(storageConnectionString: string, duplicateWindowMs = DEFAULT_DUPLICATE_WINDOW_MS) {
    this.service = QueueServiceClient.fromConnectionString(storageConnectionString);
    this.duplicates = new DuplicateDetectionLog(storageConnectionString, duplicateWindowMs);
  }

  /** The storage queue behind a Service Bus queue, created on first use. */
  queue(name: string): Promise<QueueClient> {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      const client = this.service.getQueueClient(name);
      queue = client.createIfNotExists().then(() => client);
      queue.catch(() => this.queues.delete(name));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async send(queueName: string, message: OutgoingMessage): Promise<void> {
    if ((await this.duplicates.firstCarrier(queueName, message.messageId)) !== undefined) return;
    const now = new Date();
    const envelope: LocalBusEnvelope = {
      messageId: message.messageId,
      sessionId: message.sessionId,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      contentType: 'application/json',
      applicationProperties: message.applicationProperties ?? {},
      body: message.body,
      enqueuedTimeUtc: now.toISOString(),
      ...(message.scheduledEnqueueTime === undefined ? {} : { scheduledEnqueueTimeUtc: message.scheduledEnqueueTime.toISOString() }),
    };
    const text = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(text);
    if (bytes > LOCAL_BUS_MAX_MESSAGE_BYTES) {
      throw new Error(
        `message ${message.messageId} is ${bytes} bytes, over the ${LOCAL_BUS_MAX_MESSAGE_BYTES} a queue message holds (MessageSizeExceeded); send large bodies by claim check`,
      );
    }
    const delayMs = message.scheduledEnqueueTime === undefined ? 0 : message.scheduledEnqueueTime.getTime() - now.getTime();
    const visibilityTimeout = Math.min(MAX_SCHEDULE_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
    const queue = await this.queue(queueName);
    const sent = await queue.sendMessage(text, { visibilityTimeout, messageTimeToLive: -1 });
    await this.duplicates.claim(queueName, message.messageId, sent.messageId);
  }
}

import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { DuplicateDetectionLog } from './DuplicateDetectionLog';
import { LOCAL_BUS_MAX_MESSAGE_BYTES, type LocalBusEnvelope, type LocalQueueDefinition } from './localBus';

/** Storage queues hide a new message for at most 7 days. */
const MAX_SCHEDULE_SECONDS = 7 * 24 * 3600;

export interface MessageToWrite {
  messageId: string;
  sessionId?: string;
  correlationId?: string;
  contentType: string;
  applicationProperties: Record<string, string | number | boolean>;
  body: string;
  /** Not to be received before this time. */
  scheduledEnqueueTime?: Date;
}

export type WriteOutcome =
  | { written: true; sequenceNumber: number }
  | { written: false; reason: 'duplicate' }
  | { written: false; reason: 'tooLarge'; bytes: number };

/**
 * Puts messages on the local Service Bus queues (storage queues) with Service Bus's semantics: a
 * message id seen within the queue's window is dropped, a scheduled message stays hidden until
 * its time, a message over a storage queue message's 64 KiB is refused. `heard` is told when a
 * message can be received (now, or at its scheduled time), so that receivers need not poll;
 * `carrierRecorded` when a message is known to be no duplicate, so that receivers need not ask.
 */
export class LocalQueueWriter {
  private readonly service: QueueServiceClient;
  private readonly duplicates: DuplicateDetectionLog;
  private sequence = Date.now() * 1000;

  constructor(
    storageConnectionString: string,
    private readonly heard: (queueName: string, sequenceNumber: number) => void = () => undefined,
    /** Told of each queue message recorded as the carrier of its message id (no duplicate), as soon as it is. */
    private readonly carrierRecorded: (queueName: string, queueMessageId: string) => void = () => undefined,
  ) {
    this.service = QueueServiceClient.fromConnectionString(storageConnectionString);
    this.duplicates = new DuplicateDetectionLog(storageConnectionString);
  }

  queue(name: string): QueueClient {
    return this.service.getQueueClient(name);
  }

  async write(queue: LocalQueueDefinition, message: MessageToWrite): Promise<WriteOutcome> {
    const now = new Date();
    const { scheduledEnqueueTime, ...fields } = message;
    const envelope: LocalBusEnvelope = {
      ...fields,
      enqueuedTimeUtc: now.toISOString(),
      ...(scheduledEnqueueTime === undefined ? {} : { scheduledEnqueueTimeUtc: scheduledEnqueueTime.toISOString() }),
      sequenceNumber: ++this.sequence,
    };
    const text = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(text);
    if (bytes > LOCAL_BUS_MAX_MESSAGE_BYTES) return { written: false, reason: 'tooLarge', bytes };
    const delayMs = scheduledEnqueueTime === undefined ? 0 : scheduledEnqueueTime.getTime() - now.getTime();
    const visibilityTimeout = Math.min(MAX_SCHEDULE_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
    // Sent first, then recorded as the id's carrier: a duplicate (another carrier within the window)
    // is taken back at once, and a receiver that meets it before then drops it by the same record.
    const sent = await this.queue(queue.name).sendMessage(text, { visibilityTimeout, messageTimeToLive: -1 });
    const carrier = await this.duplicates.claim(queue.name, message.messageId, sent.messageId, queue.duplicateDetectionWindowMs);
    if (carrier !== sent.messageId) {
      await this.queue(queue.name)
        .deleteMessage(sent.messageId, sent.popReceipt)
        .catch(() => undefined);
      return { written: false, reason: 'duplicate' };
    }
    this.carrierRecorded(queue.name, sent.messageId);
    // Receivers hear of it when it can be received: now, or when its scheduled time comes.
    if (visibilityTimeout === 0) this.heard(queue.name, envelope.sequenceNumber);
    else setTimeout(() => this.heard(queue.name, envelope.sequenceNumber), visibilityTimeout * 1000 + 20).unref();
    return { written: true, sequenceNumber: envelope.sequenceNumber };
  }

  /** Forgets message ids older than the queue's window. */
  async prune(queue: LocalQueueDefinition): Promise<void> {
    await this.duplicates.prune(queue.name, queue.duplicateDetectionWindowMs);
  }
}

import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { Doorbell } from '../../support/doorbell';
import { pause } from '../../support/pause';
import { PollBackoff } from '../../support/pollBackoff';
import type { DuplicateDetectionLog } from './DuplicateDetectionLog';
import { localBusEnvelopeSchema, type LocalBusEnvelope, type LocalQueueDefinition } from './localBus';

/** What tells a receiver that a message can be received, so that it need not poll storage on a timer. */
export interface QueueNotices {
  /** Resolves when a message can be received, when `signal` aborts, or after `timeoutMs` at the most. */
  next(timeoutMs: number, signal: AbortSignal): Promise<void>;
  /** Whether the queue message is known to be the first carrier of its message id (no duplicate), without asking storage. */
  isCarrier(queueMessageId: string): boolean;
}

export interface ReceiverOptions {
  /** The queue's own properties (lock duration, max delivery count, duplicate detection window). */
  queue: LocalQueueDefinition;
  /** The trigger receives by session: one message of a session at a time. */
  sessionsEnabled: boolean;
  /** host.json maxAutoLockRenewalDuration: a message's lock is renewed this long at most, then left to expire. */
  maxAutoLockRenewalMs: number;
  /** host.json: maxConcurrentSessions for session queues, maxConcurrentCalls otherwise. */
  maxConcurrent: number;
  /** Longest pause between receives on an empty queue (the pause starts short after a message). */
  pollIntervalMs: number;
  /**
   * Hears from the namespace when a message can be received: on an empty queue the receiver waits
   * for that (polling storage again every few seconds) instead of pausing on a timer.
   */
  notices?: QueueNotices;
}

export interface ReceivedMessage {
  envelope: LocalBusEnvelope;
  deliveryCount: number;
  /** The storage queue's id of this copy. */
  queueMessageId: string;
  /** Names this delivery's lock (a new one for each delivery, as Service Bus's lock tokens). */
  lockToken: string;
}

export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface DeadLetteredMessage {
  deadLetterReason: string;
  deadLetterErrorDescription: string;
  deliveryCount: number;
  deadLetteredAt: string;
  envelope?: LocalBusEnvelope;
  rawText?: string;
}

interface Lock {
  queueMessageId: string;
  popReceipt: string;
  deliveryCount: number;
  envelope: LocalBusEnvelope;
  sessionKey: string;
  lockToken: string;
  receivedAt: number;
  /** Operations on one message run one after another: each renewal changes the pop receipt. */
  chain: Promise<unknown>;
}

function onLock<T>(lock: Lock, operation: () => Promise<T>): Promise<T> {
  const next = lock.chain.then(operation, operation);
  lock.chain = next.catch(() => undefined);
  return next;
}

/**
 * How long a receiver waits for the namespace's notice before polling storage anyway: for what no
 * notice announces, a message whose lock ran out in a host that stopped (its lock is a minute) or
 * one scheduled before the namespace last started.
 */
const NOTICE_WAIT_MS = 5000;

/** The pause before polling again right after a receive that found messages. */
const SHORTEST_POLL_MS = 10;

/**
 * Peek-lock consumer with Service Bus semantics over a storage queue: the lock is the visibility
 * timeout (renewed while the handler runs), the delivery count is the dequeue count, a message
 * past the max delivery count goes to the dead-letter queue, and with sessions on, messages of
 * one session are handed to the handler one at a time, in the order received.
 */
export class LocalQueueReceiver {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly pending: Lock[] = [];
  private readonly active = new Map<string, Lock>();
  private readonly settled = new Set<Promise<void>>();
  private renewTimer: NodeJS.Timeout | undefined;
  /** Cuts short the receive loop's pauses and receives when stopping. */
  private readonly stopping = new AbortController();
  /** A message went back to the queue since the last receive (abandoned): no waiting for a notice. */
  private releasedSince = false;
  /** Wakes the receive loop waiting for a free slot. */
  private readonly roomMade = new Doorbell();

  constructor(
    private readonly queue: QueueClient,
    private readonly deadLetterQueue: QueueClient,
    private readonly duplicates: DuplicateDetectionLog,
    private readonly options: ReceiverOptions,
    private readonly handler: MessageHandler,
    private readonly log: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    await this.queue.createIfNotExists();
    await this.deadLetterQueue.createIfNotExists();
    this.running = true;
    this.renewTimer = setInterval(() => void this.renewLocks(), Math.max(250, this.options.queue.lockDurationMs / 3));
    this.loop = this.receiveLoop();
  }

  /**
   * Stops receiving, gives running handlers up to `graceMs` to finish, then hands every message it
   * still holds back to the queue (visible again at once): one whose handler did not finish is
   * delivered again, as after a lost lock. Nothing is lost; the hub's ledger makes a repeat harmless.
   */
  async stop(graceMs = 1500): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loop;
    const graceOver = new AbortController();
    await Promise.race([Promise.all(this.settled).finally(() => graceOver.abort()), pause(graceMs, graceOver.signal)]);
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    const held = [...this.pending.splice(0), ...this.active.values()];
    await Promise.all(held.map((lock) => onLock(lock, () => this.release(lock)).catch(() => undefined)));
  }

  private async receiveLoop(): Promise<void> {
    const lockSeconds = Math.max(1, Math.ceil(this.options.queue.lockDurationMs / 1000));
    const backoff = new PollBackoff(SHORTEST_POLL_MS, this.options.pollIntervalMs);
    while (this.running) {
      const room = this.options.maxConcurrent * 2 - this.pending.length - this.active.size;
      if (room <= 0) {
        // Every slot is taken: wait for a handler to finish (or the stop), so that what it frees is taken at once.
        await this.roomMade.wait(this.options.pollIntervalMs, this.stopping.signal);
        continue;
      }
      let received;
      try {
        received = await this.queue.receiveMessages({ numberOfMessages: Math.min(32, room), visibilityTimeout: lockSeconds });
      } catch (error) {
        this.log(`receive from ${this.options.queue.name} failed: ${String(error)}`);
        await pause(this.options.pollIntervalMs * 5, this.stopping.signal);
        continue;
      }
      if (this.stopping.signal.aborted) {
        // Received while stopping: straight back to the queue.
        await Promise.all(
          received.receivedMessageItems.map((item) =>
            this.queue.updateMessage(item.messageId, item.popReceipt, undefined, 0).catch(() => undefined),
          ),
        );
        break;
      }
      if (received.receivedMessageItems.length === 0) {
        if (this.options.notices !== undefined && !this.releasedSince)
          await this.options.notices.next(NOTICE_WAIT_MS, this.stopping.signal);
        else await pause(backoff.empty(), this.stopping.signal);
        this.releasedSince = false;
        continue;
      }
      backoff.found();
      const { notices } = this.options;
      if (notices !== undefined && received.receivedMessageItems.some((item) => !notices.isCarrier(item.messageId))) {
        // Received before the notice of them: what the namespace has recorded since, asked for at once (one
        // answer from its memory for the whole batch, where each message would be a read of the record).
        await notices.next(0, this.stopping.signal);
      }
      for (const item of received.receivedMessageItems) {
        await this.accept(item.messageId, item.popReceipt, item.dequeueCount, item.messageText).catch((error: unknown) =>
          this.log(`could not accept message ${item.messageId}: ${String(error)}`),
        );
      }
      this.pump();
    }
  }

  private async accept(queueMessageId: string, popReceipt: string, deliveryCount: number, text: string): Promise<void> {
    let envelope: LocalBusEnvelope;
    try {
      envelope = localBusEnvelopeSchema.parse(JSON.parse(text));
    } catch (error) {
      await this.deadLetter({ queueMessageId, popReceipt }, { rawText: text, deliveryCount }, 'MessageMalformed', String(error));
      return;
    }
    const lockToken = randomUUID();
    // Without sessions every delivery runs on its own, a redelivery of a message whose lock was lost included.
    const sessionKey = this.options.sessionsEnabled ? (envelope.sessionId ?? '') : lockToken;
    const lock: Lock = {
      queueMessageId,
      popReceipt,
      deliveryCount,
      envelope,
      sessionKey,
      lockToken,
      receivedAt: Date.now(),
      chain: Promise.resolve(),
    };
    if (deliveryCount > this.options.queue.maxDeliveryCount) {
      await this.deadLetter(
        lock,
        { envelope, deliveryCount },
        'MaxDeliveryCountExceeded',
        `delivered ${deliveryCount - 1} times without success`,
      );
      return;
    }
    // A message the namespace has told of as its id's carrier is no duplicate; any other is checked against the record.
    const carrier =
      this.options.notices?.isCarrier(queueMessageId) === true
        ? queueMessageId
        : await this.duplicates.carrierOf(
            this.options.queue.name,
            envelope.messageId,
            queueMessageId,
            this.options.queue.duplicateDetectionWindowMs,
          );
    if (carrier !== queueMessageId) {
      this.log(`dropped duplicate of message ${envelope.messageId} on ${this.options.queue.name}`);
      await this.queue.deleteMessage(queueMessageId, lock.popReceipt);
      return;
    }
    this.pending.push(lock);
  }

  /** Starts every pending message whose session is free, up to the concurrency limit, in order. */
  private pump(): void {
    if (!this.running) return;
    for (let i = 0; i < this.pending.length && this.active.size < this.options.maxConcurrent;) {
      const lock = this.pending[i]!;
      if (this.active.has(lock.sessionKey)) {
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      this.active.set(lock.sessionKey, lock);
      const run = this.run(lock).finally(() => {
        this.active.delete(lock.sessionKey);
        this.settled.delete(run);
        this.pump();
        this.roomMade.ring();
      });
      this.settled.add(run);
    }
  }

  private async run(lock: Lock): Promise<void> {
    try {
      await this.handler({
        envelope: lock.envelope,
        deliveryCount: lock.deliveryCount,
        queueMessageId: lock.queueMessageId,
        lockToken: lock.lockToken,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      try {
        if (lock.deliveryCount >= this.options.queue.maxDeliveryCount) {
          await onLock(lock, () =>
            this.deadLetter(lock, { envelope: lock.envelope, deliveryCount: lock.deliveryCount }, 'MaxDeliveryCountExceeded', reason),
          );
        } else {
          await onLock(lock, () => this.release(lock)); // abandon: delivered again at once, delivery count + 1
        }
      } catch (settleError) {
        this.log(`could not abandon message ${lock.envelope.messageId}: ${String(settleError)}; its lock will expire`);
      }
      return;
    }
    try {
      await onLock(lock, () => this.queue.deleteMessage(lock.queueMessageId, lock.popReceipt));
    } catch (error) {
      this.log(`could not complete message ${lock.envelope.messageId}: ${String(error)}; it will be delivered again`);
    }
  }

  private async release(lock: Lock): Promise<void> {
    await this.queue.updateMessage(lock.queueMessageId, lock.popReceipt, undefined, 0);
    // The namespace does not know of it: take it again without waiting for a notice.
    this.releasedSince = true;
  }

  private async deadLetter(
    lock: { queueMessageId: string; popReceipt: string },
    message: Pick<DeadLetteredMessage, 'envelope' | 'rawText' | 'deliveryCount'>,
    reason: string,
    description: string,
  ): Promise<void> {
    const record: DeadLetteredMessage = {
      ...message,
      deadLetterReason: reason,
      deadLetterErrorDescription: description,
      deadLetteredAt: new Date().toISOString(),
    };
    await this.deadLetterQueue.sendMessage(JSON.stringify(record), { messageTimeToLive: -1 });
    await this.queue.deleteMessage(lock.queueMessageId, lock.popReceipt);
    this.log(`dead-lettered a message of ${this.options.queue.name}: ${reason}: ${description}`);
  }

  /** Keeps the lock of every held message (running or waiting for its session) from expiring. */
  private async renewLocks(): Promise<void> {
    const lockSeconds = Math.max(1, Math.ceil(this.options.queue.lockDurationMs / 1000));
    const renewUntil = Date.now() - this.options.maxAutoLockRenewalMs;
    const held = [...this.active.values(), ...this.pending].filter((lock) => lock.receivedAt > renewUntil);
    await Promise.all(
      held.map(
        (lock) =>
          onLock(lock, async () => {
            const renewed = await this.queue.updateMessage(lock.queueMessageId, lock.popReceipt, undefined, lockSeconds);
            if (renewed.popReceipt !== undefined) lock.popReceipt = renewed.popReceipt;
          }).catch(() => undefined), // completed meanwhile, or the lock is lost: redelivery covers it
      ),
    );
  }
}

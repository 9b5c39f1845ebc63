import type { QueueClient } from '@azure/storage-queue';
import { Doorbell } from '../../support/doorbell';
import { pause } from '../../support/pause';
import type { LargeMessages } from './LargeMessages';

/** Storage queues hide a new message for at most 7 days. */
const MAX_HIDDEN_MS = 7 * 24 * 3600 * 1000;

export interface TaskHubQueueOptions<T> {
  /** A received message is hidden this long, renewed while its handler runs (host.json's queue visibility timeouts). */
  visibilityTimeoutMs: number;
  /** Handlers running at once (host.json maxConcurrentOrchestratorFunctions / maxConcurrentActivityFunctions). */
  maxConcurrent: number;
  /** Longest wait between receives on an empty queue (host.json maxQueuePollingInterval). */
  maxPollingIntervalMs: number;
  /** Messages with the same key are handled one at a time, in the order received (an orchestration's instance id). */
  sessionOf?: (message: T) => string;
  /** Where messages too large for the queue are kept. */
  largeMessages: LargeMessages;
  log: (message: string) => void;
}

interface Held<T> {
  message: T;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  session: string;
  /** The blob holding the message, when it was too large for the queue. */
  blob?: string;
  /** Operations on one message run one after another: each renewal changes the pop receipt. */
  chain: Promise<unknown>;
}

function onHeld<T, R>(held: Held<T>, operation: () => Promise<R>): Promise<R> {
  const next = held.chain.then(operation, operation);
  held.chain = next.catch(() => undefined);
  return next;
}

/** The pause before a message whose handler failed is received again, growing with each failure (at most a minute). */
export function retryPauseMs(dequeueCount: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, dequeueCount - 1));
}

/**
 * One of a task hub's storage queues (a control queue, the work-item queue), received as the
 * Durable Task Framework's Azure Storage provider receives it: a message stays hidden while its
 * handler runs and is deleted when it succeeds; when it fails, or the process dies, it comes back.
 * Messages of one session (an orchestration instance) are handled together as one batch, as the
 * provider hands an instance's pending messages to one episode. Messages sent from this process
 * wake the receive loop at once (when they can be received); others are found by polling, at most
 * `maxPollingIntervalMs` apart.
 */
export class TaskHubQueue<T> {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly pending: Held<T>[] = [];
  /** The messages being handled, by session: a session's messages are handled together, one batch at a time. */
  private readonly active = new Map<string, Held<T>[]>();
  private readonly settled = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /** Rung when a message may have become receivable (sent from here, or visible again). */
  private readonly arrived = new Doorbell();
  /** Rung when a batch finished: there is room to receive more. */
  private readonly roomMade = new Doorbell();
  private renewTimer: NodeJS.Timeout | undefined;
  private handler: ((messages: T[]) => Promise<void>) | undefined;

  constructor(
    readonly client: QueueClient,
    private readonly options: TaskHubQueueOptions<T>,
  ) {}

  async create(): Promise<void> {
    await this.client.createIfNotExists();
  }

  /** Puts a message on the queue, hidden for `delayMs` (a timer's time to fire, at most 7 days ahead). */
  async send(message: T, delayMs = 0): Promise<void> {
    const hiddenMs = Math.min(MAX_HIDDEN_MS, Math.max(0, delayMs));
    await this.client.sendMessage(await this.options.largeMessages.toQueueText(JSON.stringify(message)), {
      visibilityTimeout: Math.ceil(hiddenMs / 1000),
      messageTimeToLive: -1,
    });
    this.ringWhenVisible(hiddenMs);
  }

  private ringWhenVisible(hiddenMs: number): void {
    if (hiddenMs <= 0) this.arrived.ring();
    else setTimeout(() => this.arrived.ring(), Math.ceil(hiddenMs / 1000) * 1000 + 20).unref();
  }

  /** Handles messages with `handler`: those of one session (one instance) together, in the order received. */
  start(handler: (messages: T[]) => Promise<void>): void {
    this.handler = handler;
    this.running = true;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(250, this.options.visibilityTimeoutMs / 3));
    this.loop = this.receiveLoop();
  }

  /** Stops receiving, gives running handlers up to `graceMs`, then hands what it holds back to the queue. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loop;
    const graceOver = new AbortController();
    await Promise.race([Promise.all(this.settled).finally(() => graceOver.abort()), pause(graceMs, graceOver.signal)]);
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    const held = [...this.pending.splice(0), ...[...this.active.values()].flat()];
    await Promise.all(
      held.map((h) => onHeld(h, () => this.client.updateMessage(h.messageId, h.popReceipt, undefined, 0)).catch(() => undefined)),
    );
  }

  private get visibilitySeconds(): number {
    return Math.max(1, Math.ceil(this.options.visibilityTimeoutMs / 1000));
  }

  private get holding(): number {
    let active = 0;
    for (const batch of this.active.values()) active += batch.length;
    return this.pending.length + active;
  }

  private async receiveLoop(): Promise<void> {
    while (this.running) {
      const room = this.options.maxConcurrent * 2 - this.holding;
      if (room <= 0) {
        await this.roomMade.wait(this.options.maxPollingIntervalMs, this.stopping.signal);
        continue;
      }
      const wanted = Math.min(32, room);
      let items;
      try {
        items = (await this.client.receiveMessages({ numberOfMessages: wanted, visibilityTimeout: this.visibilitySeconds }))
          .receivedMessageItems;
      } catch (error) {
        this.options.log(`receive from ${this.client.name} failed: ${String(error)}`);
        await pause(1000, this.stopping.signal);
        continue;
      }
      if (this.stopping.signal.aborted) {
        await Promise.all(items.map((i) => this.client.updateMessage(i.messageId, i.popReceipt, undefined, 0).catch(() => undefined)));
        break;
      }
      for (const item of items) await this.accept(item);
      this.pump();
      // Fewer than asked for: the queue is drained for now. Wait until a message may have come
      // (sent from this process, or due), polling at least every maxQueuePollingInterval.
      if (items.length < wanted) await this.arrived.wait(this.options.maxPollingIntervalMs, this.stopping.signal);
    }
  }

  private async accept(item: { messageId: string; popReceipt: string; dequeueCount: number; messageText: string }): Promise<void> {
    let read: { text: string; blob?: string };
    try {
      read = await this.options.largeMessages.fromQueueText(item.messageText);
    } catch (error) {
      this.options.log(`could not read the blob of a large message of ${this.client.name}: ${String(error)}; it comes back later`);
      return;
    }
    let message: T;
    try {
      message = JSON.parse(read.text) as T;
    } catch {
      this.options.log(`dropped a message of ${this.client.name} that is not JSON: ${item.messageText.slice(0, 200)}`);
      await this.client.deleteMessage(item.messageId, item.popReceipt).catch(() => undefined);
      return;
    }
    this.pending.push({
      message,
      messageId: item.messageId,
      popReceipt: item.popReceipt,
      dequeueCount: item.dequeueCount,
      session: this.options.sessionOf?.(message) ?? item.messageId,
      ...(read.blob === undefined ? {} : { blob: read.blob }),
      chain: Promise.resolve(),
    });
  }

  /** Starts the pending messages of every free session, each session's as one batch, up to the concurrency limit. */
  private pump(): void {
    if (!this.running) return;
    for (let i = 0; i < this.pending.length && this.active.size < this.options.maxConcurrent;) {
      const session = this.pending[i]!.session;
      if (this.active.has(session)) {
        i++;
        continue;
      }
      const batch = this.pending.filter((held) => held.session === session);
      for (const held of batch) this.pending.splice(this.pending.indexOf(held), 1);
      this.active.set(session, batch);
      const run = this.run(batch).finally(() => {
        this.active.delete(session);
        this.settled.delete(run);
        this.pump();
        this.roomMade.ring();
      });
      this.settled.add(run);
    }
  }

  private async run(batch: Held<T>[]): Promise<void> {
    try {
      await this.handler!(batch.map((held) => held.message));
    } catch (error) {
      const attempt = Math.max(...batch.map((held) => held.dequeueCount));
      const waitMs = retryPauseMs(attempt);
      this.options.log(
        `${batch.length} message(s) of ${this.client.name} failed (attempt ${attempt}), again in ${waitMs} ms: ${String(error)}`,
      );
      await Promise.all(
        batch.map((held) =>
          onHeld(held, () => this.client.updateMessage(held.messageId, held.popReceipt, undefined, Math.ceil(waitMs / 1000))).catch(
            () => undefined,
          ),
        ),
      );
      this.ringWhenVisible(waitMs);
      return;
    }
    await Promise.all(
      batch.map(async (held) => {
        try {
          await onHeld(held, () => this.client.deleteMessage(held.messageId, held.popReceipt));
          if (held.blob !== undefined) await this.options.largeMessages.remove(held.blob);
        } catch (error) {
          this.options.log(`could not delete a handled message of ${this.client.name}: ${String(error)}; it will be handled again`);
        }
      }),
    );
  }

  /** Keeps every held message hidden while it waits or runs. */
  private async renew(): Promise<void> {
    await Promise.all(
      [...[...this.active.values()].flat(), ...this.pending].map((held) =>
        onHeld(held, async () => {
          const renewed = await this.client.updateMessage(held.messageId, held.popReceipt, undefined, this.visibilitySeconds);
          if (renewed.popReceipt !== undefined) held.popReceipt = renewed.popReceipt;
        }).catch(() => undefined),
      ),
    );
  }
}

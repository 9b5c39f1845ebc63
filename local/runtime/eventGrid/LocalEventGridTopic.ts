import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { closeServer, listen } from '../../support/httpServer';
import { Doorbell } from '../../support/doorbell';
import { BodyTooLargeError, readBody } from '../readBody';
import { EventGridDeliveryTypes, EventGridHeaders, SUBSCRIPTION_VALIDATION_EVENT } from './eventGridWebhook';
import { EVENT_GRID_EVENT_TTL_MS, EVENT_GRID_MAX_DELIVERY_ATTEMPTS, isFinalDeliveryFailure, nextDeliveryDelayMs } from './retrySchedule';

export interface SubscriptionConfig {
  name: string;
  /** Webhook to deliver to, e.g. the host's `/runtime/webhooks/eventgrid?functionName=…&code=<system key>`. */
  endpoint: string;
  /** Deliver only these event types (all when omitted), like a subscription filter. */
  includedEventTypes?: string[];
}

export interface TopicConfig {
  name: string;
  /** The topic's access key, sent by publishers in `aeg-sas-key`. */
  key: string;
  subscriptions: SubscriptionConfig[];
}

export interface LocalEventGridTopicOptions {
  host: string;
  port: number;
  topics: TopicConfig[];
  storageConnectionString: string;
  /** Multiplies Event Grid's retry schedule; 1 as in Azure, smaller for development. @default 1 */
  retryScale?: number;
  /**
   * Pause between polls of a drained delivery queue. A publish and a retry's time wake the loop at
   * once; the poll only finds what no ring announces (deliveries a stopped process left locked). @default 1000
   */
  pollIntervalMs?: number;
  /** Deliveries to one subscription at once. @default 16 */
  maxConcurrentDeliveries?: number;
  log: (line: string) => void;
}

type EventSchema = 'EventGridSchema' | 'CloudEventSchemaV1_0';

interface PendingDelivery {
  schema: EventSchema;
  event: Record<string, unknown>;
  publishedAt: string;
}

/** Event Grid takes at most 1 MB per publish request. */
const MAX_PUBLISH_BYTES = 1024 * 1024;
const EG_REQUIRED = ['id', 'subject', 'eventType', 'eventTime', 'data', 'dataVersion'] as const;
const CE_REQUIRED = ['id', 'source', 'type', 'specversion'] as const;

function send(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

function queueNameFor(topic: string, subscription: string, suffix = ''): string {
  return `eg-${topic}-${subscription}${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A local Event Grid custom topic: accepts publishes from the official EventGridPublisherClient
 * (Event Grid schema or CloudEvents, `aeg-sas-key`), keeps each event for each subscription in a
 * storage queue so nothing is lost if a process dies, and delivers with Event Grid's retry
 * schedule; 400, 401, 403 and 413 answers, 30 attempts or 24 hours send the event to a dead-letter queue.
 */
export class LocalEventGridTopic {
  private server: Server | undefined;
  private running = false;
  private readonly loops: Promise<void>[] = [];
  /** Wakes a subscription's delivery loop when an event for it is published. */
  private readonly doorbells = new Map<string, Doorbell>();
  private readonly service: QueueServiceClient;
  /** Cuts deliveries in flight short when stopping: they count as failed and are delivered again later. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: LocalEventGridTopicOptions) {
    this.service = QueueServiceClient.fromConnectionString(options.storageConnectionString);
  }

  endpointFor(topic: string): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://${this.options.host}:${address?.port ?? this.options.port}/topics/${topic}/api/events`;
  }

  deadLetterQueue(topic: string, subscription: string): QueueClient {
    return this.service.getQueueClient(queueNameFor(topic, subscription, '-deadletter'));
  }

  async start(): Promise<void> {
    for (const topic of this.options.topics) {
      for (const subscription of topic.subscriptions) {
        await this.deliveryQueue(topic.name, subscription.name).createIfNotExists();
        await this.deadLetterQueue(topic.name, subscription.name).createIfNotExists();
      }
    }
    this.server = createServer((request, response) => {
      this.publish(request, response).catch((error: unknown) => {
        this.options.log(`publish failed: ${String(error)}`);
        if (!response.headersSent) send(response, 500, { error: { code: 'InternalError', message: 'could not accept the events' } });
      });
    });
    await listen(this.server, this.options.port, this.options.host);
    this.running = true;
    for (const topic of this.options.topics) {
      for (const subscription of topic.subscriptions) this.loops.push(this.deliverLoop(topic.name, subscription));
    }
  }

  /**
   * Stops delivering (a delivery in flight is cut and retried later, as Event Grid does after a
   * timeout) but goes on taking publishes: what a function still running publishes is kept.
   */
  async stopDelivering(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  /** Stops delivering and publishing. */
  async stop(): Promise<void> {
    await this.stopDelivering();
    await closeServer(this.server, true);
  }

  /** Sends the subscription validation handshake, as Event Grid does when a subscription is created. */
  async validateSubscription(subscription: SubscriptionConfig): Promise<void> {
    const validationCode = randomUUID();
    const response = await fetch(subscription.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [EventGridHeaders.EVENT_TYPE]: EventGridDeliveryTypes.SUBSCRIPTION_VALIDATION },
      body: JSON.stringify([
        {
          id: randomUUID(),
          topic: 'local',
          subject: '',
          eventType: SUBSCRIPTION_VALIDATION_EVENT,
          eventTime: new Date().toISOString(),
          dataVersion: '2',
          data: { validationCode },
        },
      ]),
    });
    const answer = (await response.json().catch(() => ({}))) as { validationResponse?: unknown };
    if (!response.ok || answer.validationResponse !== validationCode) {
      throw new Error(`subscription ${subscription.name} failed validation at ${subscription.endpoint} (${response.status})`);
    }
  }

  private doorbell(topic: string, subscription: string): Doorbell {
    const key = `${topic}/${subscription}`;
    let bell = this.doorbells.get(key);
    if (bell === undefined) {
      bell = new Doorbell();
      this.doorbells.set(key, bell);
    }
    return bell;
  }

  private deliveryQueue(topic: string, subscription: string): QueueClient {
    return this.service.getQueueClient(queueNameFor(topic, subscription));
  }

  private async publish(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/topics\/([^/]+)\/api\/events$/.exec(new URL(request.url ?? '/', 'http://local').pathname);
    const topic = this.options.topics.find((t) => t.name === match?.[1]);
    if (request.method !== 'POST' || topic === undefined)
      return send(response, 404, { error: { code: 'NotFound', message: 'no such topic' } });
    const key = request.headers[EventGridHeaders.SAS_KEY];
    if (typeof key !== 'string' || !sameKey(key, topic.key))
      return send(response, 401, { error: { code: 'Unauthorized', message: 'missing or wrong aeg-sas-key' } });

    let body: Buffer;
    try {
      body = await readBody(request, MAX_PUBLISH_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return send(response, 413, { error: { code: 'RequestEntityTooLarge', message: error.message } });
      throw error;
    }
    const cloudEvents = (request.headers['content-type'] ?? '').startsWith('application/cloudevents');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return send(response, 400, { error: { code: 'BadRequest', message: 'body is not JSON' } });
    }
    const events = Array.isArray(parsed) ? parsed : [parsed];
    const required: readonly string[] = cloudEvents ? CE_REQUIRED : EG_REQUIRED;
    for (const [index, event] of events.entries()) {
      if (typeof event !== 'object' || event === null)
        return send(response, 400, { error: { code: 'BadRequest', message: `event ${index} is not an object` } });
      const missing = required.filter((field) => !(field in event));
      if (missing.length > 0)
        return send(response, 400, { error: { code: 'BadRequest', message: `event ${index} lacks ${missing.join(', ')}` } });
    }
    const schema: EventSchema = cloudEvents ? 'CloudEventSchemaV1_0' : 'EventGridSchema';
    const publishedAt = new Date().toISOString();
    for (const event of events as Record<string, unknown>[]) {
      const type = String(cloudEvents ? event.type : event.eventType);
      for (const subscription of topic.subscriptions) {
        if (subscription.includedEventTypes !== undefined && !subscription.includedEventTypes.includes(type)) continue;
        const delivery: PendingDelivery = { schema, event: { ...event, ...(cloudEvents ? {} : { topic: topic.name }) }, publishedAt };
        await this.deliveryQueue(topic.name, subscription.name).sendMessage(JSON.stringify(delivery), { messageTimeToLive: -1 });
        this.doorbell(topic.name, subscription.name).ring();
      }
    }
    send(response, 200);
  }

  private async deliverLoop(topic: string, subscription: SubscriptionConfig): Promise<void> {
    const queue = this.deliveryQueue(topic, subscription.name);
    const inFlight = new Set<Promise<void>>();
    const limit = this.options.maxConcurrentDeliveries ?? 16;
    const pauseMs = this.options.pollIntervalMs ?? 1000;
    while (this.running) {
      const room = limit - inFlight.size;
      const wanted = Math.min(32, room);
      const items =
        room > 0 ? await queue.receiveMessages({ numberOfMessages: wanted, visibilityTimeout: 60 }).catch(() => undefined) : undefined;
      const received = items?.receivedMessageItems ?? [];
      const doorbell = this.doorbell(topic, subscription.name);
      for (const item of received) {
        const delivery = this.deliver(topic, subscription, queue, item).finally(() => {
          inFlight.delete(delivery);
          // A slot freed while every one was taken: take the next delivery now.
          if (inFlight.size === limit - 1) doorbell.ring();
        });
        inFlight.add(delivery);
      }
      // Fewer than asked for: drained for now. What comes next rings: a publish, a retry's time
      // (see deliver) or a freed slot; the poll after the pause only finds deliveries a stopped
      // process left locked.
      if (received.length < wanted || room <= 0) await doorbell.wait(pauseMs, this.stopping.signal);
    }
    await Promise.all(inFlight);
  }

  private async deliver(
    topic: string,
    subscription: SubscriptionConfig,
    queue: QueueClient,
    item: { messageId: string; popReceipt: string; dequeueCount: number; messageText: string },
  ): Promise<void> {
    const delivery = JSON.parse(item.messageText) as PendingDelivery;
    const cloudEvent = delivery.schema === 'CloudEventSchemaV1_0';
    let status = 0;
    try {
      const response = await fetch(subscription.endpoint, {
        method: 'POST',
        headers: {
          'content-type': cloudEvent ? 'application/cloudevents+json; charset=utf-8' : 'application/json',
          [EventGridHeaders.EVENT_TYPE]: EventGridDeliveryTypes.NOTIFICATION,
          [EventGridHeaders.SUBSCRIPTION_NAME]: subscription.name.toUpperCase(),
          [EventGridHeaders.DELIVERY_COUNT]: String(item.dequeueCount - 1),
        },
        body: JSON.stringify(cloudEvent ? delivery.event : [delivery.event]),
        signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopping.signal]),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0; // not reached, or no answer in 30 s
    }
    if (status >= 200 && status < 300) {
      await queue.deleteMessage(item.messageId, item.popReceipt).catch(() => undefined);
      return;
    }
    const expired = Date.now() - Date.parse(delivery.publishedAt) > EVENT_GRID_EVENT_TTL_MS;
    if (isFinalDeliveryFailure(status) || item.dequeueCount >= EVENT_GRID_MAX_DELIVERY_ATTEMPTS || expired) {
      const reason = isFinalDeliveryFailure(status)
        ? `delivery answered ${status}`
        : expired
          ? 'time to live expired'
          : 'max delivery attempts reached';
      await this.deadLetterQueue(topic, subscription.name).sendMessage(
        JSON.stringify({
          ...delivery,
          deadLetterReason: reason,
          deliveryAttempts: item.dequeueCount,
          lastHttpStatus: status,
          deadLetteredAt: new Date().toISOString(),
        }),
        { messageTimeToLive: -1 },
      );
      await queue.deleteMessage(item.messageId, item.popReceipt).catch(() => undefined);
      this.options.log(`event ${String(delivery.event.id)} to ${subscription.name} dead-lettered: ${reason}`);
      return;
    }
    const delaySeconds = Math.max(0, Math.ceil(nextDeliveryDelayMs(item.dequeueCount, this.options.retryScale ?? 1) / 1000));
    await queue.updateMessage(item.messageId, item.popReceipt, undefined, delaySeconds).catch(() => undefined);
    setTimeout(() => this.doorbell(topic, subscription.name).ring(), delaySeconds * 1000 + 20).unref();
  }
}

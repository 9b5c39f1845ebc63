import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import { closeServer, listen } from '../../support/httpServer';
import { BodyTooLargeError, readBody } from '../readBody';
import { LocalQueueWriter } from './LocalQueueWriter';
import {
  deadLetterQueueName,
  LOCAL_BUS_MAX_MESSAGE_BYTES,
  signatureOf,
  writeQueueDefinitions,
  type LocalQueueDefinition,
} from './localBus';

export interface LocalServiceBusNamespaceOptions {
  host: string;
  port: number;
  /** The storage account its queues live in (Azurite). */
  storageConnectionString: string;
  /** The shared access key senders (and the host's receivers) sign with, and its name. */
  keyName: string;
  key: string;
  queues: readonly LocalQueueDefinition[];
  log: (line: string) => void;
}

/** Request headers that are HTTP's own, not application properties. */
const HTTP_HEADERS = new Set([
  'authorization',
  'content-type',
  'content-length',
  'host',
  'connection',
  'accept',
  'accept-encoding',
  'user-agent',
  'brokerproperties',
  'expect',
  'transfer-encoding',
  'keep-alive',
]);

/** The broker properties the namespace honours; others (Label, TimeToLive, …) are accepted and ignored. */
const brokerPropertiesSchema = z.looseObject({
  MessageId: z.string().min(1).optional(),
  SessionId: z.string().optional(),
  CorrelationId: z.string().optional(),
  ScheduledEnqueueTimeUtc: z.string().optional(),
});

function readBrokerProperties(text: string | undefined): z.infer<typeof brokerPropertiesSchema> {
  if (text === undefined || text === '') return {};
  const parsed = brokerPropertiesSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`BrokerProperties: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

function answer(response: ServerResponse, status: number, message?: string): void {
  response.writeHead(status, message === undefined ? {} : { 'content-type': 'application/json' });
  response.end(message === undefined ? '' : JSON.stringify({ error: { code: status, message } }));
}

/**
 * The sending side of a local Service Bus namespace, over storage queues: Service Bus's REST
 * "Send Message" API (`POST /{queue}/messages`, shared access signature, `BrokerProperties`,
 * application properties as headers), with duplicate detection by message id, scheduled enqueue
 * as initial invisibility, sessions required where the queue requires them, and messages over a
 * storage queue message's 64 KiB refused with 413. The host's receivers read the same queues.
 */
export class LocalServiceBusNamespace {
  private server: Server | undefined;
  private readonly writer: LocalQueueWriter;
  private readonly queues = new Map<string, LocalQueueDefinition>();
  private pruneTimer: NodeJS.Timeout | undefined;
  private readonly noticesByQueue = new Map<string, QueueNotice>();

  constructor(private readonly options: LocalServiceBusNamespaceOptions) {
    this.writer = new LocalQueueWriter(
      options.storageConnectionString,
      (queueName, sequence) => this.notice(queueName).ring(sequence),
      (queueName, queueMessageId) => this.notice(queueName).carrier(queueMessageId),
    );
    for (const queue of options.queues) this.queues.set(queue.name, queue);
  }

  /** The connection string an app uses to send here (REST, over http). */
  get connectionString(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `Endpoint=http://${this.options.host}:${address?.port ?? this.options.port}/;SharedAccessKeyName=${this.options.keyName};SharedAccessKey=${this.options.key}`;
  }

  /** Creates the queues and their dead-letter queues, records their properties, and listens. */
  async start(): Promise<void> {
    for (const queue of this.queues.values()) await this.defineQueue(queue);
    this.server = createServer((request, response) => {
      this.receive(request, response).catch((error: unknown) => {
        this.options.log(`send failed: ${String(error)}`);
        if (!response.headersSent) answer(response, 500, 'the namespace could not take the message');
      });
    });
    await listen(this.server, this.options.port, this.options.host);
    this.pruneTimer = setInterval(() => void this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await closeServer(this.server, true);
  }

  /** Creates a queue (and its dead-letter queue), as infra/ would; receivers find its properties. */
  async defineQueue(definition: LocalQueueDefinition): Promise<void> {
    this.queues.set(definition.name, definition);
    await this.queue(definition.name).createIfNotExists();
    await this.queue(deadLetterQueueName(definition.name)).createIfNotExists();
    await writeQueueDefinitions(this.options.storageConnectionString, [definition]);
  }

  queue(name: string): QueueClient {
    return this.writer.queue(name);
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://namespace');
    const notices = /^\/([^/]+)\/\$local\/notices\/?$/.exec(url.pathname);
    if (request.method === 'GET' && notices !== null)
      return await this.notices(request, response, decodeURIComponent(notices[1] ?? ''), url);
    const entity = /^\/([^/$]+)\/?$/.exec(url.pathname);
    if (request.method === 'GET' && entity !== null)
      return await this.describeQueue(request, response, decodeURIComponent(entity[1] ?? ''));
    const match = /^\/([^/]+)\/messages\/?$/.exec(url.pathname);
    if (request.method !== 'POST' || match === null) return answer(response, 404, `no operation ${String(request.method)} ${url.pathname}`);
    if (!this.authorized(request)) return answer(response, 401, 'the shared access signature is missing, expired or wrong');
    const queueName = decodeURIComponent(match[1] ?? '');
    const queue = this.queues.get(queueName);
    if (queue === undefined) return answer(response, 404, `The messaging entity '${queueName}' could not be found.`);

    let body: Buffer;
    let broker: z.infer<typeof brokerPropertiesSchema>;
    try {
      body = await readBody(request, LOCAL_BUS_MAX_MESSAGE_BYTES);
      broker = readBrokerProperties(typeof request.headers.brokerproperties === 'string' ? request.headers.brokerproperties : undefined);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return answer(response, 413, `MessageSizeExceeded: ${error.message}`);
      return answer(response, 400, error instanceof Error ? error.message : String(error));
    }
    if (queue.requiresSession && (broker.SessionId === undefined || broker.SessionId === '')) {
      return answer(response, 400, `queue ${queueName} requires sessions: the message needs a SessionId`);
    }
    const scheduled = broker.ScheduledEnqueueTimeUtc === undefined ? undefined : new Date(broker.ScheduledEnqueueTimeUtc);
    if (scheduled !== undefined && Number.isNaN(scheduled.getTime())) return answer(response, 400, 'ScheduledEnqueueTimeUtc is not a date');
    const messageId = broker.MessageId ?? randomUUID();
    const outcome = await this.writer.write(queue, {
      messageId,
      ...(broker.SessionId === undefined ? {} : { sessionId: broker.SessionId }),
      ...(broker.CorrelationId === undefined ? {} : { correlationId: broker.CorrelationId }),
      contentType: typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : 'application/octet-stream',
      applicationProperties: applicationPropertiesOf(request.rawHeaders),
      body: body.toString('utf8'),
      ...(scheduled === undefined ? {} : { scheduledEnqueueTime: scheduled }),
    });
    // A duplicate within the window is dropped, and the sender told it was taken, as Service Bus does.
    if (outcome.written || outcome.reason === 'duplicate') return answer(response, 201);
    answer(
      response,
      413,
      `MessageSizeExceeded: message ${messageId} is ${outcome.bytes} bytes with its properties, over ${LOCAL_BUS_MAX_MESSAGE_BYTES}`,
    );
  }

  /**
   * `GET /{queue}/$local/notices?since=<sequence>&timeoutMs=<ms>&carriersAfter=<place>`: the
   * namespace's own addition, so that the host's receivers hear of a message at once, as Service
   * Bus pushes messages to an AMQP receiver, instead of polling storage. Answers `{ sequence }` as
   * soon as a message later than `since` can be received, or when the wait is over; with
   * `carriersAfter`, also `carriers`: the queue messages recorded since then as the first carriers
   * of their message ids (no duplicates: a receiver that meets one need not read the record).
   */
  private async notices(request: IncomingMessage, response: ServerResponse, queueName: string, url: URL): Promise<void> {
    if (!this.authorized(request)) return answer(response, 401, 'the shared access signature is missing, expired or wrong');
    if (!this.queues.has(queueName)) return answer(response, 404, `The messaging entity '${queueName}' could not be found.`);
    const since = Number(url.searchParams.get('since') ?? 0);
    const timeoutMs = Math.min(30_000, Math.max(0, Number(url.searchParams.get('timeoutMs') ?? 1000)));
    const notice = this.notice(queueName);
    const sequence = await notice.after(since, timeoutMs, response);
    const carriersAfter = url.searchParams.get('carriersAfter');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(carriersAfter === null ? { sequence } : { sequence, carriers: notice.carriersAfter(Number(carriersAfter)) }),
    );
  }

  private notice(queueName: string): QueueNotice {
    let notice = this.noticesByQueue.get(queueName);
    if (notice === undefined) {
      notice = new QueueNotice(0);
      this.noticesByQueue.set(queueName, notice);
    }
    return notice;
  }

  /**
   * `GET /{queue}`: the queue's description as Service Bus's management REST API gives it (an Atom
   * entry holding a QueueDescription), with its CountDetails: messages waiting, and dead-lettered.
   */
  private async describeQueue(request: IncomingMessage, response: ServerResponse, queueName: string): Promise<void> {
    if (!this.authorized(request)) return answer(response, 401, 'the shared access signature is missing, expired or wrong');
    const queue = this.queues.get(queueName);
    if (queue === undefined) return answer(response, 404, `The messaging entity '${queueName}' could not be found.`);
    const count = async (name: string): Promise<number> => (await this.queue(name).getProperties()).approximateMessagesCount ?? 0;
    const [active, deadLetters] = await Promise.all([count(queueName), count(deadLetterQueueName(queueName))]);
    const counts = 'http://schemas.microsoft.com/netservices/2011/06/servicebus';
    const xml =
      `<entry xmlns="http://www.w3.org/2005/Atom"><title type="text">${queueName}</title><content type="application/xml">` +
      `<QueueDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
      `<MaxDeliveryCount>${queue.maxDeliveryCount}</MaxDeliveryCount><RequiresSession>${String(queue.requiresSession)}</RequiresSession>` +
      `<MessageCount>${active + deadLetters}</MessageCount>` +
      `<CountDetails xmlns:d2p1="${counts}"><d2p1:ActiveMessageCount>${active}</d2p1:ActiveMessageCount>` +
      `<d2p1:DeadLetterMessageCount>${deadLetters}</d2p1:DeadLetterMessageCount><d2p1:ScheduledMessageCount>0</d2p1:ScheduledMessageCount>` +
      `<d2p1:TransferMessageCount>0</d2p1:TransferMessageCount><d2p1:TransferDeadLetterMessageCount>0</d2p1:TransferDeadLetterMessageCount></CountDetails>` +
      `</QueueDescription></content></entry>`;
    response.writeHead(200, { 'content-type': 'application/atom+xml;type=entry;charset=utf-8' });
    response.end(xml);
  }

  /** A valid, unexpired signature of this namespace's key over a resource the request falls under. */
  private authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('SharedAccessSignature ')) return false;
    const fields = new URLSearchParams(header.slice('SharedAccessSignature '.length));
    const resource = fields.get('sr');
    const signature = fields.get('sig');
    const expiry = Number(fields.get('se'));
    if (resource === null || signature === null || fields.get('skn') !== this.options.keyName) return false;
    if (!Number.isFinite(expiry) || expiry * 1000 < Date.now()) return false;
    // The signature covers the resource it names and what lies under it.
    const target = `http://${request.headers.host ?? ''}${new URL(request.url ?? '/', 'http://namespace').pathname}`.toLowerCase();
    if (
      !target.startsWith(
        resource
          .toLowerCase()
          .replace(/^https:/, 'http:')
          .replace(/\/$/, ''),
      )
    )
      return false;
    const expected = signatureOf(this.options.key, encodeURIComponent(resource), expiry);
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async prune(): Promise<void> {
    for (const queue of this.queues.values()) await this.writer.prune(queue).catch(() => undefined);
  }
}

/** Application properties: the headers that are not HTTP's own, with their JSON literal values ("text", 12, true). */
function applicationPropertiesOf(rawHeaders: string[]): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    if (HTTP_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('x-ms-')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
    if (typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean') properties[name] = parsed;
  }
  return properties;
}

/** How many of a queue's latest carriers the namespace keeps for its receivers. */
const CARRIERS_KEPT = 2048;

/**
 * The latest sequence number a queue's receivers can have, the receivers waiting to hear of a later
 * one, and the messages last recorded as carriers of their ids, each at its place in that order
 * (places count on from the clock's microseconds, so that they still grow across a restart).
 */
class QueueNotice {
  private readonly waiting = new Set<() => void>();
  private readonly carriers: { place: number; queueMessageId: string }[] = [];
  private lastPlace = Date.now() * 1000;

  constructor(private latest: number) {}

  carrier(queueMessageId: string): void {
    this.carriers.push({ place: ++this.lastPlace, queueMessageId });
    if (this.carriers.length > CARRIERS_KEPT) this.carriers.shift();
  }

  /** The carriers recorded after `place` (those still kept), and the place of the last. */
  carriersAfter(place: number): { place: number; queueMessageIds: string[] } {
    const later = this.carriers.filter((c) => c.place > place).map((c) => c.queueMessageId);
    return { place: this.lastPlace, queueMessageIds: later };
  }

  ring(sequence: number): void {
    this.latest = Math.max(this.latest, sequence);
    for (const wake of [...this.waiting]) wake();
  }

  /** The latest sequence, as soon as it is later than `since`, or when `timeoutMs` is over (or the caller left). */
  async after(since: number, timeoutMs: number, response: ServerResponse): Promise<number> {
    if (this.latest > since) return this.latest;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        response.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiting.add(done);
      response.once('close', done);
    });
    return this.latest;
  }
}

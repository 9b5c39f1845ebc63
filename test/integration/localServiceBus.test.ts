import { QueueServiceClient } from '@azure/storage-queue';
import { ClaimCheckSender } from '../../src/adapters/claimCheck/ClaimCheckSender';
import { ClaimCheckStore } from '../../src/adapters/claimCheck/ClaimCheckStore';
import { ServiceBusRestSender } from '../../src/adapters/serviceBus/ServiceBusRestSender';
import { parseServiceBusConnectionString } from '../../src/config/serviceBusConnectionString';
import { DuplicateDetectionLog } from '../../local/runtime/serviceBus/DuplicateDetectionLog';
import { deadLetterQueueName, readConnectionString, type LocalQueueDefinition } from '../../local/runtime/serviceBus/localBus';
import { NamespaceNotices } from '../../local/runtime/serviceBus/NamespaceNotices';
import { LocalServiceBusNamespace } from '../../local/runtime/serviceBus/LocalServiceBusNamespace';
import { LocalQueueReceiver, type DeadLetteredMessage, type ReceivedMessage } from '../../local/runtime/serviceBus/LocalQueueReceiver';
import { freePort } from '../../local/support/freePort';
import { startTestAzurite } from '../support/azurite';
import { waitFor } from '../support/stack';

jest.setTimeout(60_000);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local Service Bus namespace (REST send) and the host-side receiver, over Azurite queues', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let namespace: LocalServiceBusNamespace;
  let sender: ServiceBusRestSender;
  let queues: QueueServiceClient;
  const receivers: LocalQueueReceiver[] = [];
  let queueNumber = 0;
  const log: string[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    namespace = new LocalServiceBusNamespace({
      host: '127.0.0.1',
      port: await freePort(),
      storageConnectionString: azurite.connectionString,
      keyName: 'RootManageSharedAccessKey',
      key: 'test-key',
      queues: [],
      log: (line) => log.push(line),
    });
    await namespace.start();
    sender = new ServiceBusRestSender(parseServiceBusConnectionString(namespace.connectionString));
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await namespace.stop();
    await azurite.stop();
  });

  /** A queue of its own in the namespace, sessions on unless said. */
  async function defineQueue(properties: Partial<LocalQueueDefinition> = {}): Promise<LocalQueueDefinition> {
    const queue: LocalQueueDefinition = {
      name: `bus-test-${++queueNumber}`,
      requiresSession: true,
      lockDurationMs: 2000,
      maxDeliveryCount: 3,
      duplicateDetectionWindowMs: 600_000,
      ...properties,
    };
    await namespace.defineQueue(queue);
    return queue;
  }

  /** A queue of its own with a receiver on it; every delivery goes to `handler`. */
  async function receive(
    handler: (m: ReceivedMessage) => void | Promise<void>,
    properties: Partial<LocalQueueDefinition> = {},
    maxAutoLockRenewalMs = 300_000,
  ): Promise<string> {
    const queue = await defineQueue(properties);
    const receiver = new LocalQueueReceiver(
      queues.getQueueClient(queue.name),
      queues.getQueueClient(deadLetterQueueName(queue.name)),
      new DuplicateDetectionLog(azurite.connectionString),
      { queue, sessionsEnabled: queue.requiresSession, maxConcurrent: 4, pollIntervalMs: 50, maxAutoLockRenewalMs },
      async (m) => {
        await handler(m);
      },
      (line) => log.push(line),
    );
    await receiver.start();
    receivers.push(receiver);
    return queue.name;
  }

  async function deadLetters(queueName: string): Promise<DeadLetteredMessage[]> {
    const items = await queues.getQueueClient(deadLetterQueueName(queueName)).peekMessages({ numberOfMessages: 32 });
    return items.peekedMessageItems.map((item) => JSON.parse(item.messageText) as DeadLetteredMessage);
  }

  const bodyOf = (m: ReceivedMessage): unknown => JSON.parse(m.envelope.body);

  it('delivers what was sent: body, ids and application properties with their names and types', async () => {
    const received: ReceivedMessage[] = [];
    const queueName = await receive((m) => {
      received.push(m);
    });
    await sender.send(queueName, {
      messageId: 'order-7:v2',
      sessionId: 'order-7',
      correlationId: 'event-7',
      body: { id: '7', lines: [{ sku: 'MUG-LOGO' }] },
      applicationProperties: { attempt: 2, orderVersion: 2, eventId: 'event-7', replayed: false },
    });
    await waitFor(() => received.length === 1, 10_000, 'the message');
    expect(bodyOf(received[0]!)).toEqual({ id: '7', lines: [{ sku: 'MUG-LOGO' }] });
    expect(received[0]!.envelope).toMatchObject({
      messageId: 'order-7:v2',
      sessionId: 'order-7',
      correlationId: 'event-7',
      contentType: 'application/json',
      applicationProperties: { attempt: 2, orderVersion: 2, eventId: 'event-7', replayed: false },
    });
    expect(received[0]!.deliveryCount).toBe(1);
  });

  it('refuses a wrong key (401), a queue it does not have (404), and a message without a session on a session queue (400)', async () => {
    const queueName = await receive(() => undefined);
    const wrongKey = new ServiceBusRestSender(parseServiceBusConnectionString(namespace.connectionString.replace('test-key', 'other-key')));
    await expect(wrongKey.send(queueName, { messageId: 'm', sessionId: 's', body: {} })).rejects.toThrow(/\(401\)/);
    await expect(sender.send('no-such-queue', { messageId: 'm', sessionId: 's', body: {} })).rejects.toThrow(/\(404\).*could not be found/);
    await expect(sender.send(queueName, { messageId: 'm', sessionId: '', body: {} })).rejects.toThrow(/\(400\).*requires sessions/);
  });

  it('drops a second message with the same message id, whether sent twice or enqueued twice', async () => {
    const seen: string[] = [];
    const queueName = await receive((m) => {
      seen.push(m.envelope.messageId);
    });
    await sender.send(queueName, { messageId: 'order-1:v1', sessionId: 'order-1', body: { n: 1 } });
    await sender.send(queueName, { messageId: 'order-1:v1', sessionId: 'order-1', body: { n: 1 } });
    // A copy that slipped past the send-time check (two senders at once) is dropped at receive time.
    await queues.getQueueClient(queueName).sendMessage(
      JSON.stringify({
        messageId: 'order-1:v1',
        sessionId: 'order-1',
        contentType: 'application/json',
        applicationProperties: {},
        body: '{"n":1}',
        enqueuedTimeUtc: new Date().toISOString(),
        sequenceNumber: 1,
      }),
    );
    await sender.send(queueName, { messageId: 'order-2:v1', sessionId: 'order-2', body: { n: 2 } });
    await waitFor(() => seen.includes('order-2:v1'), 10_000, 'the second order');
    await sleep(500);
    expect(seen.filter((id) => id === 'order-1:v1')).toHaveLength(1);
    expect((await queues.getQueueClient(queueName).getProperties()).approximateMessagesCount).toBe(0);
  });

  it('holds a scheduled message back until its time', async () => {
    const deliveredAt: number[] = [];
    const queueName = await receive(() => {
      deliveredAt.push(Date.now());
    });
    const sentAt = Date.now();
    await sender.send(queueName, { messageId: 'later', sessionId: 's', body: {}, scheduledEnqueueTime: new Date(sentAt + 2000) });
    await waitFor(() => deliveredAt.length === 1, 10_000, 'the scheduled message');
    // BrokerProperties carry the time to the second (RFC 1123), as Service Bus's REST API takes it.
    expect(deliveredAt[0]! - sentAt).toBeGreaterThanOrEqual(1000);
  });

  it('redelivers a failed message with a growing delivery count, then dead-letters it past the max delivery count', async () => {
    const deliveryCounts: number[] = [];
    const queueName = await receive((m) => {
      deliveryCounts.push(m.deliveryCount);
      throw new Error('ERP rejected it');
    });
    await sender.send(queueName, {
      messageId: 'doomed',
      sessionId: 'o-9',
      body: { orderId: 'o-9' },
      applicationProperties: { attempt: 1 },
    });
    await waitFor(async () => (await deadLetters(queueName)).length === 1, 15_000, 'the dead-lettered message');
    expect(deliveryCounts).toEqual([1, 2, 3]);
    const [record] = await deadLetters(queueName);
    expect(record).toMatchObject({
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: 'ERP rejected it',
      deliveryCount: 3,
    });
    expect(record?.envelope).toMatchObject({ messageId: 'doomed', sessionId: 'o-9', body: '{"orderId":"o-9"}' });
    expect((await queues.getQueueClient(queueName).getProperties()).approximateMessagesCount).toBe(0);
  });

  it('dead-letters a message that is not a Service Bus envelope instead of failing on it forever', async () => {
    const queueName = await receive(() => undefined);
    await queues.getQueueClient(queueName).sendMessage('not json');
    await waitFor(async () => (await deadLetters(queueName)).length === 1, 10_000, 'the dead-lettered message');
    expect((await deadLetters(queueName))[0]).toMatchObject({ deadLetterReason: 'MessageMalformed', rawText: 'not json' });
  });

  it('hands the messages of one session over one at a time, in order, while other sessions run beside it', async () => {
    const active = new Map<string, number>();
    let mostAtOnceInASession = 0;
    let mostAtOnceOverall = 0;
    const order = new Map<string, number[]>();
    const queueName = await receive(async (m) => {
      const session = m.envelope.sessionId ?? '';
      active.set(session, (active.get(session) ?? 0) + 1);
      mostAtOnceInASession = Math.max(mostAtOnceInASession, active.get(session)!);
      mostAtOnceOverall = Math.max(
        mostAtOnceOverall,
        [...active.values()].reduce((a, b) => a + b, 0),
      );
      await sleep(100);
      order.set(session, [...(order.get(session) ?? []), (bodyOf(m) as { n: number }).n]);
      active.set(session, active.get(session)! - 1);
    });
    for (let n = 1; n <= 5; n++) {
      for (const session of ['A', 'B', 'C'])
        await sender.send(queueName, { messageId: `${session}-${n}`, sessionId: session, body: { n } });
    }
    await waitFor(() => [...order.values()].flat().length === 15, 20_000, 'all 15 messages');
    expect(mostAtOnceInASession).toBe(1);
    expect(mostAtOnceOverall).toBeGreaterThan(1);
    for (const session of ['A', 'B', 'C']) expect(order.get(session)).toEqual([1, 2, 3, 4, 5]);
  });

  it('renews the lock of a message whose handler outlasts the lock duration, so it is not delivered twice', async () => {
    let deliveries = 0;
    const queueName = await receive(
      async () => {
        deliveries++;
        await sleep(3500);
      },
      { lockDurationMs: 1000 },
    );
    await sender.send(queueName, { messageId: 'slow', sessionId: 's', body: {} });
    await waitFor(() => deliveries === 1, 10_000, 'the delivery');
    await sleep(5000);
    expect(deliveries).toBe(1);
  });

  it('stops renewing after maxAutoLockRenewalDuration: a handler that runs on loses its lock and the message is delivered again', async () => {
    const deliveries: number[] = [];
    const queueName = await receive(
      async (m) => {
        deliveries.push(m.deliveryCount);
        await sleep(3000);
      },
      { lockDurationMs: 1000, requiresSession: false },
      1000,
    );
    await sender.send(queueName, { messageId: 'endless', sessionId: 's', body: {} });
    await waitFor(() => deliveries.length === 2, 10_000, 'the second delivery');
    expect(deliveries).toEqual([1, 2]);
  });

  it('tells a waiting receiver when a message can be received: when it is sent, or when its scheduled time comes', async () => {
    const queueName = await receive(() => undefined);
    const notices = new NamespaceNotices(readConnectionString(namespace.connectionString)!, queueName);
    const heard = async (send: () => Promise<void>): Promise<number> => {
      await notices.next(0, new AbortController().signal); // catch up with what was sent before
      const started = Date.now();
      const waiting = notices.next(20_000, new AbortController().signal);
      await send();
      await waiting;
      return Date.now() - started;
    };
    // Well before the wait's 20 s: the notice, not the timeout, ended it.
    expect(await heard(() => sender.send(queueName, { messageId: 'now', sessionId: 's', body: {} }))).toBeLessThan(5000);
    expect(
      await heard(() =>
        sender.send(queueName, { messageId: 'later', sessionId: 's', body: {}, scheduledEnqueueTime: new Date(Date.now() + 2000) }),
      ),
    ).toBeGreaterThanOrEqual(1000);
  });

  it("names the messages it recorded as their ids' first carriers; a receiver told of one takes it without reading the record, and still drops a duplicate", async () => {
    const queue = await defineQueue({ requiresSession: false });
    const storageQueue = queues.getQueueClient(queue.name);
    const peekedIds = async (): Promise<string[]> =>
      (await storageQueue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((item) => item.messageId);

    // Named: a message the namespace took. Not named: one a sender left in storage without its record.
    const told = new NamespaceNotices(readConnectionString(namespace.connectionString)!, queue.name);
    await sender.send(queue.name, { messageId: 'first', sessionId: 's', body: {} });
    const [taken] = await peekedIds();
    await storageQueue.sendMessage(
      JSON.stringify({
        messageId: 'first',
        contentType: 'application/json',
        applicationProperties: {},
        body: '{}',
        enqueuedTimeUtc: new Date().toISOString(),
        sequenceNumber: 1,
      }),
    );
    const left = (await peekedIds()).find((id) => id !== taken)!;
    await told.next(0, new AbortController().signal);
    expect(told.isCarrier(taken!)).toBe(true);
    expect(told.isCarrier(left)).toBe(false);

    // The receiver reads the record only for what it was not told of: the copy left behind, dropped as a duplicate.
    const recordReads: string[] = [];
    class CountedLog extends DuplicateDetectionLog {
      override async carrierOf(queueName: string, messageId: string, queueMessageId: string, windowMs: number): Promise<string> {
        recordReads.push(queueMessageId);
        return await super.carrierOf(queueName, messageId, queueMessageId, windowMs);
      }
    }
    const received: string[] = [];
    const receiver = new LocalQueueReceiver(
      storageQueue,
      queues.getQueueClient(deadLetterQueueName(queue.name)),
      new CountedLog(azurite.connectionString),
      { queue, sessionsEnabled: false, maxConcurrent: 4, pollIntervalMs: 50, maxAutoLockRenewalMs: 300_000, notices: told },
      (m) => {
        received.push(m.envelope.messageId);
        return Promise.resolve();
      },
      (line) => log.push(line),
    );
    await receiver.start();
    receivers.push(receiver);
    await waitFor(async () => (await peekedIds()).length === 0, 10_000, 'both copies taken');
    for (const id of ['second', 'third', 'fourth']) {
      await sender.send(queue.name, { messageId: id, sessionId: 's', body: {} });
      await waitFor(() => received.includes(id), 10_000, `message ${id}`);
    }
    expect(received).toEqual(['first', 'second', 'third', 'fourth']);
    expect(recordReads).toEqual([left]);
  });

  it('refuses a message larger than a storage queue message with 413, as Service Bus refuses one over its limit', async () => {
    const queueName = await receive(() => undefined);
    await expect(sender.send(queueName, { messageId: 'huge', sessionId: 's', body: { text: 'x'.repeat(70_000) } })).rejects.toThrow(
      /\(413\).*MessageSizeExceeded/,
    );
    expect((await queues.getQueueClient(queueName).getProperties()).approximateMessagesCount).toBe(0);
  });

  it("carries a large body through the hub's claim check: the message names a blob, the receiver reads the order back", async () => {
    const bodies: unknown[] = [];
    const claimChecks = new ClaimCheckStore(azurite.connectionString);
    const queueName = await receive(async (m) => {
      bodies.push(await claimChecks.open(bodyOf(m), m.envelope.applicationProperties));
    });
    const lines = Array.from({ length: 2000 }, (_, i) => ({
      sku: `SKU-${i}`,
      title: 'Linen shirt, long sleeves, washed blue',
      quantity: 1 + (i % 3),
    }));
    await new ClaimCheckSender(sender, claimChecks).send(queueName, { messageId: 'big', sessionId: 'big', body: { lines } });
    await waitFor(() => bodies.length === 1, 10_000, 'the large message');
    expect(bodies[0]).toEqual({ lines });
    expect(JSON.stringify(bodies[0]).length).toBeGreaterThan(100_000);
  });
});

import { QueueServiceClient } from '@azure/storage-queue';
import { ClaimCheckSender } from '../../src/adapters/claimCheck/ClaimCheckSender';
import { ClaimCheckStore } from '../../src/adapters/claimCheck/ClaimCheckStore';
import { deadLetterQueueName } from '../../src/adapters/localServiceBus/localBusEnvelope';
import { LocalServiceBusSender } from '../../src/adapters/localServiceBus/LocalServiceBusSender';
import {
  LocalQueueReceiver,
  type DeadLetteredMessage,
  type ReceivedMessage,
  type ReceiverOptions,
} from '../../local/runtime/serviceBus/LocalQueueReceiver';
import { startTestAzurite } from '../support/azurite';
import { waitFor } from '../support/stack';

jest.setTimeout(60_000);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local Service Bus stand-in over Azurite queues', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let sender: LocalServiceBusSender;
  let queues: QueueServiceClient;
  const receivers: LocalQueueReceiver[] = [];
  let queueNumber = 0;
  const log: string[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    sender = new LocalServiceBusSender(azurite.connectionString);
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await azurite.stop();
  });

  /** A receiver on a queue of its own; every delivery goes to `handler`. */
  async function receive(handler: (m: ReceivedMessage) => void | Promise<void>, options: Partial<ReceiverOptions> = {}): Promise<string> {
    const queueName = `bus-test-${++queueNumber}`;
    const receiver = new LocalQueueReceiver(
      queues.getQueueClient(queueName),
      queues.getQueueClient(deadLetterQueueName(queueName)),
      sender.duplicates,
      { queueName, sessionsEnabled: true, maxConcurrent: 4, pollIntervalMs: 50, lockDurationMs: 2000, maxDeliveryCount: 3, ...options },
      async (m) => {
        await handler(m);
      },
      (line) => log.push(line),
    );
    await receiver.start();
    receivers.push(receiver);
    return queueName;
  }

  async function deadLetters(queueName: string): Promise<DeadLetteredMessage[]> {
    const items = await queues.getQueueClient(deadLetterQueueName(queueName)).peekMessages({ numberOfMessages: 32 });
    return items.peekedMessageItems.map((item) => JSON.parse(item.messageText) as DeadLetteredMessage);
  }

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
        body: { n: 1 },
        enqueuedTimeUtc: new Date().toISOString(),
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
    expect(deliveredAt[0]! - sentAt).toBeGreaterThanOrEqual(1900);
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
    expect(record?.envelope).toMatchObject({ messageId: 'doomed', sessionId: 'o-9', body: { orderId: 'o-9' } });
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
      order.set(session, [...(order.get(session) ?? []), (m.envelope.body as { n: number }).n]);
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

  it('refuses a message larger than a storage queue message, as Service Bus refuses one over its limit', async () => {
    const queueName = await receive(() => undefined);
    await expect(sender.send(queueName, { messageId: 'huge', sessionId: 's', body: { text: 'x'.repeat(70_000) } })).rejects.toThrow(
      /MessageSizeExceeded/,
    );
    expect((await queues.getQueueClient(queueName).getProperties()).approximateMessagesCount).toBe(0);
  });

  it("carries a large body through the hub's claim check: the message names a blob, the receiver reads the order back", async () => {
    const bodies: unknown[] = [];
    const claimChecks = new ClaimCheckStore(azurite.connectionString);
    const queueName = await receive(async (m) => {
      bodies.push(await claimChecks.open(m.envelope.body, m.envelope.applicationProperties));
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

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import axios from 'axios';
import { loadMappings } from '../../src/mapping/loadMappings';
import { HubMappings } from '../../src/mapping/mappingNames';
import type { ErpSalesOrder } from '../../src/platforms/erp/erpSalesOrder';
import { ecpOrderSchema } from '../../src/platforms/ecp/ecpOrder';
import { Azurite } from '../../local/azurite/Azurite';
import { JsonServer } from '../../local/sandboxes/JsonServer';
import { SandboxEcp } from '../../local/sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../../local/sandboxes/erp/SandboxErp';
import { freePort } from '../../local/support/freePort';
import { closedLoop, type ClosedLoopResult } from '../closedLoop';
import { logWritten, storageCallsPerOrder, storageMarks } from './storageCalls';
import type { LoopOptions, LoopResult } from './throughLocalRuntime';

const API_KEY = 'bench-key';

/** HTTP calls one order makes in the bare loop, as in the hub; the benchmark counts the storage calls of both. */
export const BARE_LOOP_CALLS = { http: 6 };

async function table(connectionString: string, name: string): Promise<TableClient> {
  const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
  await client.createTable();
  return client;
}

async function queue(service: QueueServiceClient, name: string): Promise<QueueClient> {
  const client = service.getQueueClient(name);
  await client.createIfNotExists();
  return client;
}

const is = (status: number) => (error: unknown) => {
  if ((error as { statusCode?: number }).statusCode !== status) throw error;
};

/**
 * The floor: the same Azurite and HTTP calls the hub makes for one order, back to back in one
 * process, with no Functions host, no Event Grid or Service Bus stand-in, no polling and no locks.
 *   HTTP: the ECP publishes its event · the webhook delivery · GET the order from the ECP · OrderReceived published ·
 *   POST the sales order to the ERP · OrderSubmittedToErp published
 *   Storage: the topic's delivery (send, receive, delete) · duplicate detection at send (get, insert) ·
 *   the message (send) · journey (insert) · receive · duplicate detection at receive (insert, get) ·
 *   ledger claim (get, insert) · push sent (get, update) · submitted (get, update) · journey (insert) · complete (delete)
 */
export async function bareLoop(options: LoopOptions): Promise<LoopResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-bench-bare-'));
  const debugLog = options.countStorageCalls === true ? path.join(dataDir, 'azurite-debug.log') : undefined;
  const [blobPort, queuePort, tablePort, sinkPort, ecpPort, erpPort] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const azurite = await Azurite.start({
    location: path.join(dataDir, 'azurite'),
    blobPort: blobPort!,
    queuePort: queuePort!,
    tablePort: tablePort!,
    ...(debugLog === undefined ? {} : { debugLog }),
  });
  // Stands in for the Event Grid topic's publish endpoint and the Functions host's webhook: answers at once.
  const sink = new JsonServer()
    .on('POST', /^\/topics\/bench\/api\/events$/, () => ({ status: 200 }))
    .on('POST', /^\/topics\/lifecycle\/api\/events$/, () => ({ status: 200 }))
    .on('POST', /^\/webhook$/, () => ({ status: 202 }));
  const lifecycle = (orderId: string, type: string): Promise<unknown> =>
    fetch(`http://127.0.0.1:${sinkPort!}/topics/lifecycle/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: `${orderId}:${type}`,
          eventType: `OrderHub.${type}`,
          subject: `orders/${orderId}`,
          dataVersion: '1.0',
          eventTime: new Date().toISOString(),
          data: { orderId },
        },
      ]),
    }).then((r) => r.arrayBuffer());
  const quiet = (): void => undefined;
  const ecp = new SandboxEcp({
    host: '127.0.0.1',
    port: ecpPort!,
    apiKey: API_KEY,
    topicEndpoint: `http://127.0.0.1:${sinkPort!}/topics/bench/api/events`,
    topicKey: 'k',
    log: quiet,
  });
  const erp = new SandboxErp({ host: '127.0.0.1', port: erpPort!, apiKey: API_KEY, log: quiet });
  let result: ClosedLoopResult;
  try {
    await sink.listen(sinkPort!, '127.0.0.1');
    await ecp.start();
    await erp.start();
    erp.faults = { ...erp.faults, latencyMs: options.erpLatencyMs ?? 0 };
    const connection = azurite.connectionString;
    const mappings = loadMappings(path.resolve('mappings'));
    const toCanonical = mappings.get(HubMappings.ECP_ORDER_TO_CANONICAL.name);
    const toErp = mappings.get(HubMappings.CANONICAL_TO_ERP_SALES_ORDER.name);
    const queues = QueueServiceClient.fromConnectionString(connection);
    const deliveries = await queue(queues, 'bench-deliveries');
    const bus = await queue(queues, 'bench-online-orders');
    const [duplicates, ledger, journeys] = await Promise.all(
      ['benchduplicates', 'benchledger', 'benchjourneys'].map((name) => table(connection, name)),
    );
    const ecpHttp = axios.create({ baseURL: `http://127.0.0.1:${ecpPort!}`, headers: { 'x-api-key': API_KEY }, timeout: 10_000 });
    const erpHttp = axios.create({ baseURL: `http://127.0.0.1:${erpPort!}`, headers: { 'x-api-key': API_KEY }, timeout: 10_000 });
    const journey = (orderId: string, step: string): Promise<unknown> =>
      journeys!.createEntity({
        partitionKey: orderId,
        rowKey: `${new Date().toISOString()}~${randomBytes(4).toString('hex')}`,
        step,
        outcome: 'ok',
      });
    const ledgerWrite = async (orderId: string, state: string): Promise<void> => {
      const entry = await ledger!.getEntity(orderId, 'order');
      await ledger!.updateEntity({ partitionKey: orderId, rowKey: 'order', state }, 'Replace', { etag: entry.etag });
    };

    result = await closedLoop({
      ...options,
      ...(debugLog === undefined ? {} : { timedPhase: storageMarks(connection) }),
      one: async () => {
        const placed = await ecp.placeOrder();
        const event = {
          id: randomBytes(8).toString('hex'),
          eventType: 'Ecp.Order.Created',
          subject: `orders/${placed.id}`,
          data: { orderId: placed.id, version: 1 },
        };
        await deliveries.sendMessage(JSON.stringify({ schema: 'EventGridSchema', event }));
        const [delivery] = (await deliveries.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 60 })).receivedMessageItems;
        if (delivery === undefined) throw new Error('the delivery queue was empty');
        const delivered = JSON.parse(delivery.messageText) as { event: { data: { orderId: string } } };
        await fetch(`http://127.0.0.1:${sinkPort!}/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([delivered.event]),
        }).then((r) => r.arrayBuffer());
        await deliveries.deleteMessage(delivery.messageId, delivery.popReceipt);

        const orderId = delivered.event.data.orderId;
        const order = (await ecpHttp.get<unknown>(`/orders/${encodeURIComponent(orderId)}`)).data;
        const messageId = `${orderId}:v1`;
        await duplicates!.getEntity('online-orders', messageId).then(() => undefined, is(404));
        const sent = await bus.sendMessage(JSON.stringify({ messageId, sessionId: orderId, body: order }));
        await duplicates!.createEntity({ partitionKey: 'online-orders', rowKey: messageId, queueMessageId: sent.messageId });
        await journey(orderId, 'queued');
        await lifecycle(orderId, 'OrderReceived');

        const [message] = (await bus.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 60 })).receivedMessageItems;
        if (message === undefined) throw new Error('the order queue was empty');
        const envelope = JSON.parse(message.messageText) as { messageId: string; sessionId: string; body: unknown };
        await duplicates!
          .createEntity({ partitionKey: 'online-orders', rowKey: envelope.messageId, queueMessageId: message.messageId })
          .then(() => undefined, is(409));
        await duplicates!.getEntity('online-orders', envelope.messageId);
        const salesOrder = toErp.map(toCanonical.map(ecpOrderSchema.parse(envelope.body))) as ErpSalesOrder;
        await ledger!.getEntity(envelope.sessionId, 'order').then(() => undefined, is(404));
        await ledger!.createEntity({ partitionKey: envelope.sessionId, rowKey: 'order', state: 'submitting' });
        await ledgerWrite(envelope.sessionId, 'submitting');
        await erpHttp.post('/sales-orders', salesOrder, { headers: { 'idempotency-key': salesOrder.externalDocumentNumber } });
        await ledgerWrite(envelope.sessionId, 'submitted');
        await journey(envelope.sessionId, 'submit');
        await lifecycle(envelope.sessionId, 'OrderSubmittedToErp');
        await bus.deleteMessage(message.messageId, message.popReceipt);
      },
    });
  } finally {
    await sink.close().catch(() => undefined);
    await ecp.stop().catch(() => undefined);
    await erp.stop().catch(() => undefined);
    await logWritten(debugLog);
    await azurite.stop();
  }
  const calls = storageCallsPerOrder(debugLog, result);
  rmSync(dataDir, { recursive: true, force: true });
  return { ...result, ...(calls === undefined ? {} : { storageCallsPerOrder: calls }) };
}

import { QueueServiceClient } from '@azure/storage-queue';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { replayParked } from '../../src/flows/operations/replayParked';
import { JourneyRecorder } from '../../src/flows/shared/JourneyRecorder';
import type { LocalStack } from '../../local/stack/LocalStack';
import { ecpOrderFactory } from '../support/ecpOrderFactory';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(120_000);

let stack: LocalStack;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop } = await startTestStack());
});
afterAll(async () => await stop());

const webhook = (): string => `${stack.functionsUrl}/runtime/webhooks/EventGrid?functionName=orderEventsProcessor`;
const event = (data: unknown, eventType = 'Ecp.Order.Created') => [
  { id: `e-${Math.random()}`, eventType, subject: 'orders/x', eventTime: new Date().toISOString(), dataVersion: '1.0', data },
];

async function post(
  body: string,
  deliveryType = 'Notification',
  contentType = 'application/json',
): Promise<{ status: number; text: string }> {
  const response = await fetch(webhook(), {
    method: 'POST',
    headers: { 'content-type': contentType, 'aeg-event-type': deliveryType },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function onlineOrdersCount(): Promise<number> {
  const queue = QueueServiceClient.fromConnectionString(stack.azurite.connectionString).getQueueClient('online-orders');
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}

describe('orderEventsProcessor through the Event Grid webhook', () => {
  it('answers the subscription validation handshake', async () => {
    const response = await post(
      JSON.stringify([
        {
          id: '1',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          subject: '',
          eventTime: '',
          dataVersion: '2',
          data: { validationCode: 'abc-123' },
        },
      ]),
      'SubscriptionValidation',
    );
    expect(response).toEqual({ status: 200, text: JSON.stringify({ validationResponse: 'abc-123' }) });
  });

  it('refuses a body that is not JSON with 400, enqueuing nothing', async () => {
    const response = await post('{not json');
    expect(response.status).toBe(400);
    expect(response.text).toContain('not JSON');
    expect(await onlineOrdersCount()).toBe(0);
  });

  it('refuses an unknown event type with 400 and the reason, enqueuing nothing', async () => {
    const response = await post(JSON.stringify(event({ orderId: '10001', version: 1 }, 'Ecp.Customer.Created')));
    expect(response.status).toBe(400);
    expect(response.text).toContain(ErrorCodes.EVENT_UNKNOWN_TYPE);
    expect(await onlineOrdersCount()).toBe(0);
  });

  it('refuses an order id that could steer the ECP URL, without calling the ECP', async () => {
    const response = await post(JSON.stringify(event({ orderId: '../../admin', version: 1 })));
    expect(response.status).toBe(400);
    expect(response.text).toContain(ErrorCodes.ORDER_ID_INVALID);
    expect(await onlineOrdersCount()).toBe(0);
  });

  it('refuses a body over 1 MB with 413 before parsing it', async () => {
    const response = await post(`[${' '.repeat(1024 * 1024 + 10)}]`);
    expect(response.status).toBe(413);
  });

  it('answers 500 when the ECP is down, so that Event Grid delivers again', async () => {
    stack.ecp.faults = { ...stack.ecp.faults, down: true };
    try {
      const order = await stack.ecp.placeOrder(); // its own delivery fails too, and is retried later
      const response = await post(JSON.stringify(event({ orderId: order.id, version: 1 })));
      expect(response.status).toBe(500);
    } finally {
      stack.ecp.faults = { ...stack.ecp.faults, down: false };
    }
  });

  it('takes a CloudEvent and the order reaches the ERP', async () => {
    const order = await stack.ecp.placeOrder();
    const cloudEvent = {
      id: 'ce-1',
      type: 'Ecp.Order.Created',
      source: '/ecp',
      specversion: '1.0',
      data: { orderId: order.id, version: 1 },
    };
    const response = await post(JSON.stringify(cloudEvent), 'Notification', 'application/cloudevents+json');
    expect(response.status).toBe(202);
    await waitFor(() => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === `ECP-${order.id}`), 30_000, 'the order in the ERP');
  });

  it('parks an ECP order that fails its schema with the field paths, and replays it once fixed', async () => {
    const services = createHubServices(loadSettings(stack.settings));
    const broken = {
      ...ecpOrderFactory({ id: 'BROKEN-1' }),
      currency: 'EURO',
      customer: { id: 'C-1', email: 'not-an-email', firstName: 'A', lastName: 'B', acceptsMarketing: false },
    };
    await fetch(`${stack.ecp.url}/_control/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(broken),
    });

    await waitFor(async () => (await services.replay.parked.list()).some((m) => m.orderId === 'BROKEN-1'), 30_000, 'the order parked');
    const parked = (await services.replay.parked.list()).find((m) => m.orderId === 'BROKEN-1')!;
    expect(parked.code).toBe(ErrorCodes.ECP_ORDER_INVALID);
    expect(parked.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^currency:/), expect.stringMatching(/^customer\.email:/)]),
    );
    expect(stack.erp.salesOrders.some((o) => o.externalDocumentNumber === 'ECP-BROKEN-1')).toBe(false);
    const journey = await services.journeys.read('BROKEN-1');
    expect(journey.map((s) => `${s.function}:${s.outcome}`)).toEqual(['orderEventsProcessor:ok', 'erpIntegrator:parked']);

    // Replaying sends the payload as parked; here the payload itself is what was wrong, so fix it in place.
    const fixed = { ...parked, payload: JSON.stringify(ecpOrderFactory({ id: 'BROKEN-1' })) };
    await services.replay.parked.park(fixed);
    const replayed = await replayParked({ orderIds: ['BROKEN-1'] }, services.replay, new JourneyRecorder(services.journeys, 'test'));
    expect(replayed.map((m) => m.orderId)).toEqual(['BROKEN-1']);
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === 'ECP-BROKEN-1'),
      30_000,
      'the replayed order in the ERP',
    );
    expect(await services.replay.parked.list()).not.toContainEqual(expect.objectContaining({ orderId: 'BROKEN-1' }));
  });
});

import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { replayParked } from '../../src/flows/operations/replayParked';
import { JourneyRecorder } from '../../src/flows/shared/JourneyRecorder';
import type { LocalStack } from '../../local/stack/LocalStack';
import { ecpOrderFactory } from '../support/ecpOrderFactory';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(120_000);

/** An ECP that does not show an order one minute after announcing it does not have it. */
const NOT_FOUND_GRACE_MS = 60_000;

let stack: LocalStack;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop } = await startTestStack({ settings: { ECP_ORDER_NOT_FOUND_GRACE_MS: String(NOT_FOUND_GRACE_MS) } }));
});
afterAll(async () => await stop());

const eventGridKey = (): string => stack.keys.systemKeys.eventgrid_extension ?? '';
const webhook = (functionName = 'orderEventsProcessor', key = eventGridKey()): string =>
  `${stack.functionsUrl}/runtime/webhooks/eventgrid?functionName=${functionName}&code=${encodeURIComponent(key)}`;
const event = (data: unknown, options: { eventType?: string; ageMs?: number; id?: string } = {}) => ({
  id: options.id ?? `e-${Math.random()}`,
  eventType: options.eventType ?? 'Ecp.Order.Created',
  subject: 'orders/x',
  eventTime: new Date(Date.now() - (options.ageMs ?? 0)).toISOString(),
  dataVersion: '1.0',
  data,
});

async function post(
  body: string,
  options: { deliveryType?: string | null; contentType?: string; url?: string } = {},
): Promise<{ status: number; text: string }> {
  const deliveryType = options.deliveryType === undefined ? 'Notification' : options.deliveryType;
  const response = await fetch(options.url ?? webhook(), {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(deliveryType === null ? {} : { 'aeg-event-type': deliveryType }),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const hub = () => createHubServices(loadSettings(stack.settings));
const parkedFor = async (eventId: string) => (await hub().replay.parked.list()).find((m) => m.messageId === eventId);

describe('the Event Grid webhook answers as the Functions host does', () => {
  it('answers the subscription validation handshake', async () => {
    const handshake = [
      {
        id: '1',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        subject: '',
        eventTime: '',
        dataVersion: '2',
        data: { validationCode: 'abc-123' },
      },
    ];
    expect(await post(JSON.stringify(handshake), { deliveryType: 'SubscriptionValidation' })).toEqual({
      status: 200,
      text: JSON.stringify({ validationResponse: 'abc-123' }),
    });
  });

  it('refuses a caller without the eventgrid_extension system key with 401; a function key does not open it', async () => {
    const body = JSON.stringify([event({ orderId: '10001', version: 1 })]);
    expect((await post(body, { url: `${stack.functionsUrl}/runtime/webhooks/eventgrid?functionName=orderEventsProcessor` })).status).toBe(
      401,
    );
    expect((await post(body, { url: webhook('orderEventsProcessor', stack.functionKey) })).status).toBe(401);
  });

  it('answers 404 naming a function it does not have, 400 without aeg-event-type, 202 to Unsubscribe', async () => {
    expect(await post('[]', { url: webhook('noSuchFunction') })).toEqual({ status: 404, text: "cannot find function: 'noSuchFunction'" });
    expect(await post('[]', { deliveryType: null })).toEqual({ status: 400, text: '' });
    expect((await post('[]', { deliveryType: 'Unsubscribe' })).status).toBe(202);
  });

  it('answers 500 to a body it cannot read (not JSON, or nested deeper than Json.NET reads) and stays up', async () => {
    expect((await post('{not json')).status).toBe(500);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect((await post(deep)).status).toBe(500);
    expect((await post(JSON.stringify([]))).status).toBe(202);
  });

  it('answers 500 when the ECP is down, so that Event Grid delivers again', async () => {
    stack.ecp.faults = { ...stack.ecp.faults, down: true };
    try {
      const order = await stack.ecp.placeOrder(); // its own delivery fails too, and is retried later
      expect((await post(JSON.stringify([event({ orderId: order.id, version: 1 })]))).status).toBe(500);
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
    expect((await post(JSON.stringify(cloudEvent), { contentType: 'application/cloudevents+json' })).status).toBe(202);
    await waitFor(() => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === `ECP-${order.id}`), 30_000, 'the order in the ERP');
  });
});

describe('orderEventsProcessor parks what it can never process, and the delivery succeeds', () => {
  it.each([
    [
      'an unknown event type',
      event({ orderId: 'NOPE-1', version: 1 }, { eventType: 'Ecp.Customer.Created', id: 'ev-unknown-type' }),
      ErrorCodes.EVENT_UNKNOWN_TYPE,
      'NOPE-1',
    ],
    [
      'an order id that could steer the ECP URL',
      event({ orderId: '../../admin', version: 1 }, { id: 'ev-bad-id' }),
      ErrorCodes.ORDER_ID_INVALID,
      '',
    ],
    ['data that fails its schema', event({ orderId: 'NOPE-2', version: 'one' }, { id: 'ev-bad-data' }), ErrorCodes.EVENT_INVALID, 'NOPE-2'],
  ])(
    '%s: 202, parked with its code and the raw event, not replayable; the ECP never asked, nothing queued',
    async (_what, body, code, orderId) => {
      expect(await post(JSON.stringify([body]))).toEqual({ status: 202, text: '' });
      const parked = await parkedFor(body.id);
      expect(parked).toMatchObject({ source: 'ecp-order-events', orderId, code, replayable: false });
      expect(JSON.parse(parked!.payload)).toEqual(body);
      expect(stack.ecp.reads.get(orderId) ?? 0).toBe(0);
      const journey = orderId === '' ? [] : await hub().journeys.read(orderId);
      expect(journey.map((s) => `${s.function} ${s.step} ${s.outcome}`)).toEqual(
        orderId === '' ? [] : ['orderEventsProcessor event parked'],
      );
    },
  );

  it('an order the ECP does not show: retried (500) while the event is young, parked once it is old; replayed once the ECP has it → the ERP', async () => {
    expect((await post(JSON.stringify([event({ orderId: 'LATE-1', version: 1 }, { id: 'ev-late-young' })]))).status).toBe(500);
    expect(await parkedFor('ev-late-young')).toBeUndefined();

    const old = event({ orderId: 'LATE-1', version: 1 }, { id: 'ev-late-old', ageMs: NOT_FOUND_GRACE_MS + 1000 });
    expect((await post(JSON.stringify([old]))).status).toBe(202);
    expect(await parkedFor('ev-late-old')).toMatchObject({ orderId: 'LATE-1', code: ErrorCodes.ECP_ORDER_NOT_FOUND, replayable: true });

    // The order turns up in the ECP (without a new event); the operator replays the parked event.
    await fetch(`${stack.ecp.url}/_control/orders?announce=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ecpOrderFactory({ id: 'LATE-1' })),
    });
    const services = hub();
    const results = await replayParked(
      { orderIds: ['LATE-1'] },
      services.replay,
      new JourneyRecorder(services.journeys, 'hub parked replay'),
      { by: 'test' },
    );
    expect(results.map((r) => [r.outcome, r.detail])).toEqual([['replayed', 'processed again: queued as LATE-1:v1']]);
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === 'ECP-LATE-1'),
      30_000,
      'the replayed order in the ERP',
    );
    expect(await parkedFor('ev-late-old')).toBeUndefined();
  });

  it('invokes every event of a delivery: one failing makes the answer 500, the others are processed', async () => {
    const order = await stack.ecp.placeOrder();
    const batch = [event({ orderId: order.id, version: 1 }), event({ orderId: 'LATE-2', version: 1 })];
    expect((await post(JSON.stringify(batch))).status).toBe(500);
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === `ECP-${order.id}`),
      30_000,
      'the good order in the ERP',
    );
  });
});

describe('erpIntegrator parks an ECP order that fails its schema', () => {
  it('with the field paths, and replays it once fixed', async () => {
    const services = hub();
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
    expect(parked).toMatchObject({ source: 'online-orders', code: ErrorCodes.ECP_ORDER_INVALID });
    expect(parked.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^currency:/), expect.stringMatching(/^customer\.email:/)]),
    );
    expect(stack.erp.salesOrders.some((o) => o.externalDocumentNumber === 'ECP-BROKEN-1')).toBe(false);
    const journey = await services.journeys.read('BROKEN-1');
    expect(journey.map((s) => `${s.function}:${s.outcome}`)).toEqual(['orderEventsProcessor:ok', 'erpIntegrator:parked']);

    // Replaying sends the payload as parked; here the payload itself is what was wrong, so fix it in place.
    await services.replay.parked.park({ ...parked, payload: JSON.stringify(ecpOrderFactory({ id: 'BROKEN-1' })) });
    const replayed = await replayParked(
      { orderIds: ['BROKEN-1'] },
      services.replay,
      new JourneyRecorder(services.journeys, 'hub parked replay'),
      { by: 'test' },
    );
    expect(replayed.map((r) => [r.message.orderId, r.outcome])).toEqual([['BROKEN-1', 'replayed']]);
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === 'ECP-BROKEN-1'),
      30_000,
      'the replayed order in the ERP',
    );
    expect(await services.replay.parked.list()).not.toContainEqual(expect.objectContaining({ orderId: 'BROKEN-1' }));
  });
});

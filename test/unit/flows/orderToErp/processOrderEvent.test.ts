import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { processOrderEvent, type ProcessOrderEventDeps } from '../../../../src/flows/orderToErp/processOrderEvent';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { EcpEventTypes } from '../../../../src/platforms/ecp/ecpOrderEvents';
import type { EcpOrderUpdate } from '../../../../src/platforms/ecp/ecpOrderUpdate';
import type { EcpOrdersPort } from '../../../../src/ports/EcpOrdersPort';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { InMemoryJourney, InMemoryParked, RecordingLifecycle, RecordingSender, InMemoryInFlight } from '../../../support/fakes';

/** An ECP that serves any order, or fails the next reads as told. */
class FetchingEcp implements EcpOrdersPort {
  listChanged(): Promise<{ orders: [] }> {
    return Promise.resolve({ orders: [] });
  }

  fetched = 0;
  readonly failures: HubError[] = [];
  getOrder(orderId: string): Promise<unknown> {
    this.fetched++;
    const failure = this.failures.shift();
    return failure === undefined ? Promise.resolve(ecpOrderFactory({ id: orderId })) : Promise.reject(failure);
  }
  updateOrder(_update: EcpOrderUpdate): Promise<{ version: number }> {
    return Promise.reject(new Error('not used'));
  }
}

const NOW = Date.parse('2026-11-23T10:00:00Z');
const GRACE_MS = 15 * 60_000;

function setup() {
  const deps: ProcessOrderEventDeps & {
    ecp: FetchingEcp;
    sender: RecordingSender;
    inFlight: InMemoryInFlight;
    parked: InMemoryParked;
    journey: InMemoryJourney;
    lifecycle: RecordingLifecycle;
  } = {
    ownClientName: 'order-hub',
    lifecycle: new RecordingLifecycle(),
    ecp: new FetchingEcp(),
    sender: new RecordingSender(),
    inFlight: new InMemoryInFlight(),
    parked: new InMemoryParked(),
    journey: new InMemoryJourney(),
    orderNotFoundGraceMs: GRACE_MS,
    now: () => new Date(NOW),
  };
  return deps;
}

const event = (eventType: string, version: number, options: { updatedBy?: string; orderId?: unknown; ageMs?: number } = {}) => ({
  id: `ev-${version}`,
  eventType,
  subject: 'orders/10001',
  eventTime: new Date(NOW - (options.ageMs ?? 0)).toISOString(),
  dataVersion: '1.0',
  data: {
    orderId: 'orderId' in options ? options.orderId : '10001',
    version,
    ...(options.updatedBy === undefined ? {} : { updatedBy: options.updatedBy }),
  },
});

const notFound = () => new HubError(ErrorCodes.ECP_ORDER_NOT_FOUND, 'ECP has no order 10001', { transient: false });

/** orderEventsProcessor's use case, its steps recorded in the test's journey. */
const processEvent = (event: unknown, deps: ProcessOrderEventDeps & { journey: InMemoryJourney }) =>
  processOrderEvent(event, deps, new JourneyRecorder(deps.journey, 'orderEventsProcessor', deps.now));

describe('processOrderEvent (orderEventsProcessor)', () => {
  it('fetches a created order and queues it, one message id per order version', async () => {
    const deps = setup();
    expect(await processEvent(event(EcpEventTypes.ORDER_CREATED, 1), deps)).toEqual({
      outcome: 'queued',
      orderId: '10001',
      messageId: '10001:v1',
    });
    expect(deps.sender.sent[0]).toMatchObject({ queue: 'online-orders', message: { messageId: '10001:v1', sessionId: '10001' } });
    expect(deps.lifecycle.events).toEqual([
      { id: '10001:OrderReceived', type: 'OrderReceived', orderId: '10001', occurredAt: '2026-11-23T10:00:00.000Z', data: {} },
    ]);
    expect(deps.journey.steps).toMatchObject([{ function: 'orderEventsProcessor', step: 'queued', outcome: 'ok', correlationId: 'ev-1' }]);
  });

  it("recognises the ECP announcing the hub's own change and sends nothing on (echo suppression)", async () => {
    const deps = setup();
    expect(await processEvent(event(EcpEventTypes.ORDER_UPDATED, 4, { updatedBy: 'order-hub' }), deps)).toEqual({
      outcome: 'echo',
      orderId: '10001',
    });
    expect(deps.sender.sent).toHaveLength(0);
    expect(deps.ecp.fetched).toBe(0);
    expect(deps.lifecycle.events).toEqual([]);
    expect(deps.journey.steps[0]).toMatchObject({
      step: 'echo',
      outcome: 'ok',
      detail: "Ecp.Order.Updated v4 was the hub's own change: not sent on",
    });
  });

  it('sends on a change someone else made in the ECP, as a new version', async () => {
    const deps = setup();
    expect(await processEvent(event(EcpEventTypes.ORDER_UPDATED, 5, { updatedBy: 'merchant-admin' }), deps)).toEqual({
      outcome: 'queued',
      orderId: '10001',
      messageId: '10001:v5',
    });
    expect(deps.sender.sent).toHaveLength(1);
  });

  describe('an event that can never be processed is parked, and the invocation succeeds (Event Grid would retry a failure for a day)', () => {
    it.each([
      ['not an event at all', 'just text', ErrorCodes.EVENT_INVALID, ''],
      ['an event of another type', event('Ecp.Customer.Created', 1), ErrorCodes.EVENT_UNKNOWN_TYPE, '10001'],
      [
        'data that fails its schema',
        { ...event(EcpEventTypes.ORDER_CREATED, 1), data: { orderId: '10001', version: 'one' } },
        ErrorCodes.EVENT_INVALID,
        '10001',
      ],
      [
        'an order id that could steer the ECP URL',
        event(EcpEventTypes.ORDER_CREATED, 1, { orderId: '../../admin' }),
        ErrorCodes.ORDER_ID_INVALID,
        '',
      ],
    ])('%s: parked as not replayable, the ECP never asked, nothing queued', async (_what, body, code, orderId) => {
      const deps = setup();
      expect(await processEvent(body, deps)).toEqual({ outcome: 'parked', code, ...(orderId === '' ? {} : { orderId }) });
      const [parked] = [...deps.parked.messages.values()];
      expect(parked).toMatchObject({ source: 'ecp-order-events', orderId, code, replayable: false, payload: JSON.stringify(body) });
      expect(deps.ecp.fetched).toBe(0);
      expect(deps.sender.sent).toHaveLength(0);
      // An event that names a valid order shows on that order's journey.
      expect(deps.journey.steps.map((s) => `${s.orderId} ${s.step} ${s.outcome} ${String(s.code)}`)).toEqual(
        orderId === '' ? [] : [`${orderId} event parked ${code}`],
      );
    });

    it('an order the ECP does not show yet is retried while the event is young (transient: Event Grid delivers it again)', async () => {
      const deps = setup();
      deps.ecp.failures.push(notFound());
      await expect(processEvent(event(EcpEventTypes.ORDER_CREATED, 1, { ageMs: 60_000 }), deps)).rejects.toMatchObject({
        code: ErrorCodes.ECP_ORDER_NOT_FOUND,
        transient: true,
      });
      expect(deps.parked.messages.size).toBe(0);
      expect(deps.sender.sent).toHaveLength(0);
    });

    it('an order the ECP still does not show once the grace is over is parked, replayable', async () => {
      const deps = setup();
      deps.ecp.failures.push(notFound());
      expect(await processEvent(event(EcpEventTypes.ORDER_CREATED, 1, { ageMs: GRACE_MS + 1 }), deps)).toEqual({
        outcome: 'parked',
        orderId: '10001',
        code: ErrorCodes.ECP_ORDER_NOT_FOUND,
      });
      expect([...deps.parked.messages.values()][0]).toMatchObject({ orderId: '10001', messageId: 'ev-1', replayable: true });
    });

    it('a CloudEvent without a time is parked at the first 404: nothing tells how young it is', async () => {
      const deps = setup();
      deps.ecp.failures.push(notFound());
      const cloudEvent = {
        id: 'ce-1',
        type: EcpEventTypes.ORDER_CREATED,
        source: '/ecp',
        specversion: '1.0',
        data: { orderId: '10001', version: 1 },
      };
      expect(await processEvent(cloudEvent, deps)).toMatchObject({ outcome: 'parked', code: ErrorCodes.ECP_ORDER_NOT_FOUND });
    });

    it('the ECP refusing the hub (a permanent failure) parks the event, replayable once the key is fixed', async () => {
      const deps = setup();
      deps.ecp.failures.push(new HubError(ErrorCodes.ECP_AUTH_FAILED, "ECP refused the hub's credentials (401)", { transient: false }));
      expect(await processEvent(event(EcpEventTypes.ORDER_CREATED, 1), deps)).toMatchObject({
        outcome: 'parked',
        code: ErrorCodes.ECP_AUTH_FAILED,
      });
      expect([...deps.parked.messages.values()][0]).toMatchObject({ replayable: true });
    });
  });

  it('throws a transient failure (the ECP down) so that Event Grid delivers the event again, parking nothing', async () => {
    const deps = setup();
    deps.ecp.failures.push(new HubError(ErrorCodes.ECP_UNAVAILABLE, 'ECP GET order failed with 503', { transient: true }));
    await expect(processEvent(event(EcpEventTypes.ORDER_CREATED, 1), deps)).rejects.toMatchObject({ code: ErrorCodes.ECP_UNAVAILABLE });
    expect(deps.parked.messages.size).toBe(0);
    expect(deps.sender.sent).toHaveLength(0);
  });
});

import { EcpEventTypes } from '../../../../src/platforms/ecp/ecpOrderEvents';
import type { EcpOrderUpdate } from '../../../../src/platforms/ecp/ecpOrderUpdate';
import type { EcpOrdersPort } from '../../../../src/ports/EcpOrdersPort';
import { processOrderEvent, type ProcessOrderEventDeps } from '../../../../src/flows/orderToErp/processOrderEvent';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { InMemoryJourney, RecordingLifecycle, RecordingSender } from '../../../support/fakes';

class FetchingEcp implements EcpOrdersPort {
  fetched = 0;
  getOrder(orderId: string): Promise<unknown> {
    this.fetched++;
    return Promise.resolve(ecpOrderFactory({ id: orderId }));
  }
  updateOrder(_update: EcpOrderUpdate): Promise<{ version: number }> {
    return Promise.reject(new Error('not used'));
  }
}

function setup() {
  const deps: ProcessOrderEventDeps & {
    ecp: FetchingEcp;
    sender: RecordingSender;
    journey: InMemoryJourney;
    lifecycle: RecordingLifecycle;
  } = {
    ownClientName: 'order-hub',
    lifecycle: new RecordingLifecycle(),
    ecp: new FetchingEcp(),
    sender: new RecordingSender(),
    journey: new InMemoryJourney(),
    now: () => new Date('2026-11-23T10:00:00Z'),
  };
  return deps;
}

const event = (eventType: string, version: number, updatedBy?: string) => ({
  id: `ev-${version}`,
  eventType,
  subject: 'orders/10001',
  eventTime: '2026-11-23T10:00:00Z',
  dataVersion: '1.0',
  data: { orderId: '10001', version, ...(updatedBy === undefined ? {} : { updatedBy }) },
});

/** orderEventsProcessor's use case, its steps recorded in the test's journey. */
const processEvent = (event: unknown, deps: ProcessOrderEventDeps & { journey: InMemoryJourney }) =>
  processOrderEvent(event, deps, new JourneyRecorder(deps.journey, 'orderEventsProcessor', deps.now));

describe('processOrderEvent (orderEventsProcessor)', () => {
  it('fetches a created order and queues it, one message id per order version', async () => {
    const deps = setup();
    expect(await processEvent(event(EcpEventTypes.ORDER_CREATED, 1), deps)).toEqual({ orderId: '10001', messageId: '10001:v1' });
    expect(deps.sender.sent[0]).toMatchObject({ queue: 'online-orders', message: { messageId: '10001:v1', sessionId: '10001' } });
    expect(deps.lifecycle.events).toEqual([
      { id: '10001:OrderReceived', type: 'OrderReceived', orderId: '10001', occurredAt: '2026-11-23T10:00:00.000Z', data: {} },
    ]);
  });

  it("recognises the ECP announcing the hub's own change and sends nothing on (echo suppression)", async () => {
    const deps = setup();
    expect(await processEvent(event(EcpEventTypes.ORDER_UPDATED, 4, 'order-hub'), deps)).toEqual({ orderId: '10001', echo: true });
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
    expect(await processEvent(event(EcpEventTypes.ORDER_UPDATED, 5, 'merchant-admin'), deps)).toEqual({
      orderId: '10001',
      messageId: '10001:v5',
    });
    expect(deps.sender.sent).toHaveLength(1);
  });
});

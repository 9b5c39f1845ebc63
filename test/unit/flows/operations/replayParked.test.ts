import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { replayEntry, replayParked } from '../../../../src/flows/operations/replayParked';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import type { EcpOrderUpdate } from '../../../../src/platforms/ecp/ecpOrderUpdate';
import type { EcpOrdersPort } from '../../../../src/ports/EcpOrdersPort';
import type { ParkedMessage } from '../../../../src/ports/ParkedMessagesPort';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { InMemoryJourney } from '../../../support/fakes';
import { replayDeps } from '../../../support/replayDeps';

const now = new Date('2026-11-23T12:00:00Z');

/** An ECP that knows only the orders it was given. */
class KnownOrdersEcp implements EcpOrdersPort {
  listChanged(): Promise<{ orders: [] }> {
    return Promise.resolve({ orders: [] });
  }

  constructor(readonly known: Set<string>) {}
  getOrder(orderId: string): Promise<unknown> {
    if (this.known.has(orderId)) return Promise.resolve(ecpOrderFactory({ id: orderId }));
    return Promise.reject(new HubError(ErrorCodes.ECP_ORDER_NOT_FOUND, `ECP has no order ${orderId}`, { transient: false }));
  }
  updateOrder(_update: EcpOrderUpdate): Promise<{ version: number }> {
    return Promise.reject(new Error('not used'));
  }
}

function setup(knownOrders: string[]) {
  const deps = replayDeps(now, new KnownOrdersEcp(new Set(knownOrders)));
  const { parked, sender } = deps;
  const journey = new InMemoryJourney();
  const replay = (selection: Parameters<typeof replayParked>[0]) =>
    replayParked(selection, deps, new JourneyRecorder(journey, 'hub parked replay', () => now), { by: 'ana (npx hub)' });
  return { parked, sender, journey, replay, deps };
}

const base = { details: [], attempts: 1, parkedAt: '2026-11-23T10:00:00Z' };
const orderEvent = (orderId: string) => ({
  id: `ev-${orderId}`,
  eventType: 'Ecp.Order.Created',
  subject: `orders/${orderId}`,
  eventTime: '2026-11-23T09:00:00Z',
  dataVersion: '1.0',
  data: { orderId, version: 1 },
});
const parkedEvent = (orderId: string, code: string, replayable: boolean): ParkedMessage => ({
  ...base,
  source: 'ecp-order-events',
  orderId,
  messageId: `ev-${orderId}`,
  code,
  reason: 'why',
  payload: JSON.stringify(orderEvent(orderId)),
  replayable,
});

describe('replayParked', () => {
  it('sends a parked order back to its queue as a first attempt, removes it from parked and notes it on the journey', async () => {
    const { parked, sender, journey, replay } = setup([]);
    await parked.park({
      ...base,
      source: 'online-orders',
      orderId: '10001',
      code: ErrorCodes.MAPPING_UNKNOWN_SKU,
      reason: 'POSTER',
      payload: JSON.stringify(ecpOrderFactory({ id: '10001' })),
      replayable: true,
    });

    const [result] = await replay({ code: ErrorCodes.MAPPING_UNKNOWN_SKU });

    expect(result).toMatchObject({ outcome: 'replayed', detail: 'sent back to online-orders' });
    expect(sender.sent).toEqual([
      {
        queue: 'online-orders',
        message: expect.objectContaining({
          body: expect.objectContaining({ id: '10001' }),
          sessionId: '10001',
          applicationProperties: { attempt: 1, replayedAt: now.toISOString() },
        }),
      },
    ]);
    expect(parked.messages.size).toBe(0);
    expect(journey.steps).toMatchObject([{ orderId: '10001', function: 'hub parked replay', step: 'replay', outcome: 'replayed' }]);
    // Lineage: from which parked entry, by whom, under which mappings.
    expect(journey.steps[0]?.detail).toBe(
      'replayed by ana (npx hub) from online-orders entry 10001 (parked 2026-11-23T10:00:00Z with MAPPING.UNKNOWN_SKU): sent back to online-orders',
    );
    expect(journey.steps[0]?.mappings).toMatch(/^ecp-order-to-canonical@\d+#\w+, canonical-to-erp-sales-order@\d+#\w+$/);
  });

  it('does not send an entry that would fail the mappings in force again: it stays parked, the journey says why', async () => {
    const { parked, sender, journey, replay } = setup([]);
    const order = ecpOrderFactory({ id: '10009' });
    const unknown = { ...order, lineItems: order.lineItems.map((l) => ({ ...l, sku: 'NO-SUCH-SKU' })) };
    await parked.park({
      ...base,
      source: 'online-orders',
      orderId: '10009',
      code: ErrorCodes.MAPPING_UNKNOWN_SKU,
      reason: 'x',
      payload: JSON.stringify(unknown),
      replayable: true,
    });

    const [result] = await replay({});

    expect(result).toMatchObject({ outcome: 'kept', code: ErrorCodes.MAPPING_UNKNOWN_SKU });
    expect(result?.detail).toContain('not sent: it would fail again with MAPPING.UNKNOWN_SKU: canonical-to-erp-sales-order@');
    expect(result?.detail).toContain("'NO-SUCH-SKU' is not in lookup table 'items'");
    expect(sender.sent).toEqual([]);
    expect(parked.messages.size).toBe(1);
    expect(journey.steps).toMatchObject([{ step: 'replay', outcome: 'parked', code: ErrorCodes.MAPPING_UNKNOWN_SKU }]);
  });

  it('sends one message per entry and job: the job id names the message and correlates the journey step', async () => {
    const { parked, sender, journey, deps } = setup([]);
    const message = {
      ...base,
      source: 'online-orders',
      orderId: '10010',
      code: ErrorCodes.MAPPING_UNKNOWN_SKU,
      reason: 'x',
      payload: JSON.stringify(ecpOrderFactory({ id: '10010' })),
      replayable: true,
    };
    await parked.park(message);
    const recorder = new JourneyRecorder(journey, 'replayBatch', () => now);
    await replayEntry(message, deps, recorder, { by: 'ana@shop.example', jobId: 'replay-1' });
    expect(sender.sent.map((s) => s.message.messageId)).toEqual([`10010:replay:replay-1:${base.parkedAt}`]);
    expect(journey.steps[0]).toMatchObject({ correlationId: 'replay-1' });
    expect(journey.steps[0]?.detail).toContain('replayed by ana@shop.example in job replay-1 from online-orders entry 10010');
  });

  it('processes a parked order event again once the ECP shows the order, and removes it', async () => {
    const { parked, sender, replay } = setup(['10002']);
    await parked.park(parkedEvent('10002', ErrorCodes.ECP_ORDER_NOT_FOUND, true));

    const [result] = await replay({});

    expect(result).toMatchObject({ outcome: 'replayed', detail: 'processed again: queued as 10002:v1' });
    expect(sender.sent.map((s) => s.message.messageId)).toEqual(['10002:v1']);
    expect(parked.messages.size).toBe(0);
  });

  it('keeps an event that is parked again (the ECP still has no such order), and one that is not replayable, saying why', async () => {
    const { parked, sender, replay } = setup([]);
    await parked.park(parkedEvent('10003', ErrorCodes.ECP_ORDER_NOT_FOUND, true));
    await parked.park(parkedEvent('10004', ErrorCodes.EVENT_UNKNOWN_TYPE, false));

    const results = await replay({});

    expect(results.map((r) => [r.message.orderId, r.outcome, r.detail])).toEqual([
      ['10003', 'kept', expect.stringContaining(ErrorCodes.ECP_ORDER_NOT_FOUND)],
      ['10004', 'kept', `not replayable: the message itself is unusable (${ErrorCodes.EVENT_UNKNOWN_TYPE})`],
    ]);
    expect(sender.sent).toHaveLength(0);
    expect([...parked.messages.values()].map((m) => m.orderId)).toEqual(['10003', '10004']);
  });
});

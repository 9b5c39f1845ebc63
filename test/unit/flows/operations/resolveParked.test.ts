import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { groupFailures } from '../../../../src/flows/operations/failureGroups';
import { resolveParked } from '../../../../src/flows/operations/resolveParked';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { ParkedSources, type ParkedMessage } from '../../../../src/ports/ParkedMessagesPort';
import { InMemoryInFlight, InMemoryJourney, InMemoryParked } from '../../../support/fakes';

const entry = (orderId: string, code: string): ParkedMessage => ({
  source: 'online-orders',
  orderId,
  code,
  reason: code,
  details: [],
  payload: '{}',
  attempts: 2,
  parkedAt: '2026-12-02T10:00:00.000Z',
  replayable: true,
});

describe('resolving parked entries', () => {
  it('takes them out of the open failures (and their units out of flight), keeps them with who and why, records it on the journey, and restores them', async () => {
    const parked = new InMemoryParked();
    const journeys = new InMemoryJourney();
    for (const e of [
      entry('4001', ErrorCodes.ERP_REJECTED),
      entry('4002', ErrorCodes.ERP_REJECTED),
      entry('4003', ErrorCodes.MAPPING_UNKNOWN_SKU),
    ])
      await parked.park(e);
    const inFlight = new InMemoryInFlight();
    await inFlight.hold('4001', [{ sku: 'MUG-LOGO', location: 'main', quantity: 2 }]);
    const deps = { parked, inFlight, now: () => new Date('2026-12-03T09:00:00.000Z') };
    const recorder = new JourneyRecorder(journeys, 'opsResolve');

    const dismissed = await resolveParked(
      { group: ErrorCodes.ERP_REJECTED },
      { action: 'dismiss', reason: 'test orders', by: 'ana' },
      deps,
      recorder,
    );
    expect(dismissed.map((r) => [r.orderId, r.outcome])).toEqual([
      ['4001', 'dismissed'],
      ['4002', 'dismissed'],
    ]);
    expect((await parked.list()).map((p) => p.orderId)).toEqual(['4003']);
    // A dismissed order will never reach the ERP: its units are no longer held in flight.
    expect(inFlight.held.has('4001')).toBe(false);
    expect(await parked.overview('resolved')).toEqual([
      expect.objectContaining({
        orderId: '4001',
        resolution: { action: 'dismissed', reason: 'test orders', by: 'ana', at: '2026-12-03T09:00:00.000Z' },
      }),
      expect.objectContaining({ orderId: '4002' }),
    ]);
    expect(groupFailures(await parked.overview('resolved')).groups[0]).toMatchObject({ code: ErrorCodes.ERP_REJECTED, count: 2 });
    expect(await journeys.read('4001')).toEqual([
      expect.objectContaining({
        step: 'dismissed',
        code: ErrorCodes.ERP_REJECTED,
        detail: expect.stringContaining('dismissed by ana: test orders'),
      }),
    ]);

    const restored = await resolveParked(
      { orderIds: ['4002'] },
      { action: 'restore', reason: 'not a test order after all', by: 'ben' },
      deps,
      recorder,
    );
    expect(restored.map((r) => r.outcome)).toEqual(['restored']);
    expect((await parked.list()).map((p) => p.orderId).sort()).toEqual(['4002', '4003']);
    expect((await parked.list()).find((p) => p.orderId === '4002')?.resolution).toBeUndefined();
  });

  it('holds a restored order’s units in flight again, from the ECP order its entry keeps', async () => {
    const parked = new InMemoryParked();
    const order = {
      id: '4201',
      locationId: 'east',
      lineItems: [
        { sku: 'MUG-LOGO', quantity: 2 },
        { sku: 'CAP-NAVY', quantity: 1 },
      ],
    };
    await parked.park({ ...entry('4201', ErrorCodes.ERP_REJECTED), payload: JSON.stringify(order) });
    await parked.park({
      ...entry('4202', ErrorCodes.ERP_REJECTED),
      source: ParkedSources.ORDER_EVENTS,
      payload: '{"eventType":"created"}',
    });
    const inFlight = new InMemoryInFlight();
    await inFlight.hold('4201', [{ sku: 'MUG-LOGO', location: 'east', quantity: 2 }]);
    const deps = { parked, inFlight, now: () => new Date('2026-12-03T09:00:00.000Z') };
    const recorder = new JourneyRecorder(new InMemoryJourney(), 'opsResolve');
    const ids = { orderIds: ['4201', '4202'] };
    await resolveParked(ids, { action: 'dismiss', reason: 'duplicates of test orders', by: 'ana' }, deps, recorder);
    expect(inFlight.held.has('4201')).toBe(false);
    await resolveParked(ids, { action: 'restore', reason: 'real orders after all', by: 'ben' }, deps, recorder);
    expect(inFlight.held.get('4201')).toEqual([
      { sku: 'MUG-LOGO', location: 'east', quantity: 2 },
      { sku: 'CAP-NAVY', location: 'east', quantity: 1 },
    ]);
    // An order event's entry keeps no order: nothing to hold until its order is fetched.
    expect(inFlight.held.has('4202')).toBe(false);
  });

  it('says when an entry went meanwhile (replayed or removed)', async () => {
    const parked = new InMemoryParked();
    await parked.park(entry('4101', ErrorCodes.ERP_REJECTED));
    const racing = {
      overview: (state: 'open' | 'resolved') => parked.overview(state),
      setResolution: () => Promise.resolve(false),
      get: (source: string, orderId: string, messageId?: string) => parked.get(source, orderId, messageId),
    };
    const results = await resolveParked(
      { orderIds: ['4101'] },
      { action: 'resolve', reason: 'fixed by hand', by: 'ana' },
      { parked: racing, inFlight: new InMemoryInFlight(), now: () => new Date() },
      new JourneyRecorder(new InMemoryJourney(), 't'),
    );
    expect(results.map((r) => r.outcome)).toEqual(['gone']);
  });
});

import { CANONICAL_UPDATE_VERSION, UpdateKinds, type CanonicalUpdate, type UpdateKind } from '../../../src/domain/canonicalUpdate';
import { applyUpdate, NEW_PROGRESS, type OrderProgress } from '../../../src/domain/orderProgress';

function update(kind: UpdateKind, extra: Partial<CanonicalUpdate> = {}): CanonicalUpdate {
  return {
    schemaVersion: CANONICAL_UPDATE_VERSION,
    updateId: `cb-${kind}`,
    orderId: '10001',
    kind,
    occurredAt: '2026-11-23T10:00:00Z',
    erpOrderId: 'SO-000001',
    erpOrderNumber: 'SO000001',
    ...(kind === 'shipped' ? { shipment: { carrier: 'Colissimo', trackingNumber: '6A123' } } : {}),
    ...extra,
  };
}

/** The state after applying `updates` in this order (duplicates and stale ones leave it as it is). */
function afterAll(updates: CanonicalUpdate[]): OrderProgress {
  return updates.reduce((progress, u) => {
    const decision = applyUpdate(progress, u);
    return decision.kind === 'applied' ? decision.progress : progress;
  }, NEW_PROGRESS);
}

/** The state without the bookkeeping of applied ids, to compare outcomes. */
const state = ({ appliedUpdates: _ids, ...rest }: OrderProgress): Omit<OrderProgress, 'appliedUpdates'> => rest;

const ALL_KINDS = Object.values(UpdateKinds);

describe('order progress: updates applied once, in any order, never backwards', () => {
  it('applies a first update and remembers its id', () => {
    const decision = applyUpdate(NEW_PROGRESS, update('paymentCaptured'));
    expect(decision).toEqual({
      kind: 'applied',
      changed: ['erpOrderId', 'payment'],
      progress: {
        erpOrderId: 'SO-000001',
        erpOrderNumber: 'SO000001',
        payment: 'captured',
        fulfillment: 'open',
        appliedUpdates: ['cb-paymentCaptured'],
      },
    });
  });

  it('ignores the same update delivered twice', () => {
    const once = afterAll([update('shipped')]);
    expect(applyUpdate(once, update('shipped'))).toEqual({ kind: 'duplicate' });
  });

  it('accepts updates that arrive before the one assigning the ERP order id', () => {
    const progress = afterAll([
      update('shipmentPrepared', { erpOrderId: undefined, erpOrderNumber: undefined }),
      update('erpOrderAssigned'),
    ]);
    expect(progress).toMatchObject({ erpOrderId: 'SO-000001', fulfillment: 'prepared' });
  });

  it('never moves an order back: shipped never returns to prepared, captured never to failed', () => {
    const shipped = afterAll([update('shipped'), update('paymentCaptured')]);
    expect(applyUpdate(shipped, update('shipmentPrepared'))).toEqual({
      kind: 'stale',
      reason: 'shipmentPrepared ignored: fulfilment is already shipped',
    });
    expect(applyUpdate(shipped, update('paymentFailed'))).toEqual({
      kind: 'stale',
      reason: 'paymentFailed ignored: payment is already captured',
    });
    expect(applyUpdate(shipped, update('cancelled')).kind).toBe('stale');
  });

  it('keeps tracking that arrives after delivery, without moving the order back', () => {
    const decision = applyUpdate(afterAll([update('delivered')]), update('shipped'));
    expect(decision).toMatchObject({
      kind: 'applied',
      changed: ['tracking'],
      progress: { fulfillment: 'delivered', tracking: { carrier: 'Colissimo', trackingNumber: '6A123' } },
    });
  });

  describe('every pair of updates, in both orders, ends in the same state', () => {
    const pairs = ALL_KINDS.flatMap((a, i) => ALL_KINDS.slice(i + 1).map((b) => [a, b] as const));
    it.each(pairs)('%s and %s', (a, b) => {
      const ab = afterAll([update(a), update(b)]);
      const ba = afterAll([update(b), update(a)]);
      expect(state(ab)).toEqual(state(ba));
      // and twice each, shuffled, changes nothing more
      expect(state(afterAll([update(b), update(a), update(b), update(a)]))).toEqual(state(ab));
    });
  });

  it('the whole life of an order, in every one of 200 random orders and with every update twice, ends delivered and paid', () => {
    const life = (['erpOrderAssigned', 'paymentCaptured', 'shipmentPrepared', 'shipped', 'delivered'] as const).map((k) => update(k));
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      const shuffled = [...life, ...life].sort(() => random() - 0.5);
      expect(state(afterAll(shuffled))).toEqual({
        erpOrderId: 'SO-000001',
        erpOrderNumber: 'SO000001',
        payment: 'captured',
        fulfillment: 'delivered',
        tracking: { carrier: 'Colissimo', trackingNumber: '6A123' },
      });
    }
  });
});

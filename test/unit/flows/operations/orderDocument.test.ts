import { newLedgerEntry, OrderStates } from '../../../../src/domain/orderLedger';
import { orderDocument } from '../../../../src/flows/operations/orderDocument';
import { JourneyOutcomes } from '../../../../src/ports/JourneyPort';
import { orderTraceId } from '../../../../src/telemetry/orderTrace';
import { InMemoryConfirmations } from '../../../support/confirmationFakes';
import { InMemoryJourney, InMemoryLedger, InMemoryParked } from '../../../support/fakes';

function ports() {
  return {
    journeys: new InMemoryJourney(),
    ledger: new InMemoryLedger(),
    parked: new InMemoryParked(),
    confirmations: new InMemoryConfirmations(),
  };
}

describe("an order's document", () => {
  it('puts its journey, ledger entry, what is parked of it, its confirmation and lifecycle in one place', async () => {
    const deps = ports();
    const at = '2026-12-02T10:00:00.000Z';
    await deps.ledger.create({
      ...newLedgerEntry('5001', 1, 'WEB-5001', new Date(at)),
      state: OrderStates.SUBMITTED,
      erpOrderId: 'SO-9',
      progress: { payment: 'captured', fulfillment: 'shipped', appliedUpdates: ['u1', 'u2'], erpOrderId: 'SO-9' },
    });
    await deps.journeys.record({ orderId: '5001', at, function: 'erpIntegrator', step: 'submit', attempt: 1, outcome: JourneyOutcomes.OK });
    await deps.journeys.record({ orderId: '5002', at, function: 'erpIntegrator', step: 'submit', attempt: 1, outcome: JourneyOutcomes.OK });
    await deps.parked.park({
      source: 'erp-updates',
      orderId: '5001',
      messageId: 'u3',
      code: 'ECP.REJECTED',
      reason: 'the ECP refused the update',
      details: [],
      payload: '{"secret":"not shown"}',
      attempts: 3,
      parkedAt: at,
      replayable: true,
    });
    await deps.confirmations.recordConclusion('confirmation-order-5001', { status: 'confirmed', at, parked: [] });

    const document = await orderDocument('5001', deps);
    expect(document).toMatchObject({ orderId: '5001', traceId: orderTraceId({ orderId: '5001' }), state: 'submitted' });
    expect(document.ledger?.erpOrderId).toBe('SO-9');
    expect(document.steps).toHaveLength(1);
    expect(document.parked).toEqual([expect.objectContaining({ code: 'ECP.REJECTED', messageId: 'u3' })]);
    expect(JSON.stringify(document.parked)).not.toContain('not shown');
    expect(document.confirmation?.conclusion?.status).toBe('confirmed');
    expect(document.lifecycle.map((e) => e.type)).toEqual([
      'OrderReceived',
      'OrderSubmittedToErp',
      'PaymentCaptured',
      'OrderShipped',
      'OrderConfirmed',
    ]);
    expect(document.lifecycle[0]?.id).toBe('5001:OrderReceived');
  });

  it('of an order the hub never saw: empty, state unknown', async () => {
    expect(await orderDocument('404', ports())).toEqual({
      orderId: '404',
      traceId: orderTraceId({ orderId: '404' }),
      state: 'unknown',
      steps: [],
      parked: [],
      lifecycle: [],
    });
  });
});

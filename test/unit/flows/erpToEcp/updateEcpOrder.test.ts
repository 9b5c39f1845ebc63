import { CANONICAL_UPDATE_VERSION, type CanonicalUpdate, type UpdateKind } from '../../../../src/domain/canonicalUpdate';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { newLedgerEntry } from '../../../../src/domain/orderLedger';
import { HubMappings } from '../../../../src/mapping/mappingNames';
import { updateEcpOrder, type UpdateEcpOrderDeps } from '../../../../src/flows/erpToEcp/updateEcpOrder';
import type { HubMessage } from '../../../../src/flows/shared/hubMessage';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import {
  FakeEcp,
  InMemoryJourney,
  InMemoryLedger,
  InMemoryParked,
  RecordingLifecycle,
  RecordingMail,
  RecordingSender,
} from '../../../support/fakes';
import { projectMappings } from '../../../support/mappings';

const now = new Date('2026-11-25T10:00:00Z');

async function setup(known = true) {
  const deps: UpdateEcpOrderDeps & {
    ledger: InMemoryLedger;
    journey: InMemoryJourney;
    parked: InMemoryParked;
    ecp: FakeEcp;
    sender: RecordingSender;
    lifecycle: RecordingLifecycle;
    mail: RecordingMail;
  } = {
    ledger: new InMemoryLedger(),
    journey: new InMemoryJourney(),
    parked: new InMemoryParked(),
    ecp: new FakeEcp(),
    lifecycle: new RecordingLifecycle(),
    mail: new RecordingMail(),
    sender: new RecordingSender(),
    mapping: projectMappings.get(HubMappings.CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE.name),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 },
    now: () => now,
    random: () => 0.5,
  };
  if (known) await deps.ledger.create(newLedgerEntry('10042', 1, 'ECP-10042', now));
  return deps;
}

function message(kind: UpdateKind, extra: Partial<CanonicalUpdate> = {}, attempt = 1): HubMessage {
  const body: CanonicalUpdate = {
    schemaVersion: CANONICAL_UPDATE_VERSION,
    updateId: `cb-${kind}`,
    orderId: '10042',
    kind,
    occurredAt: '2026-11-25T09:00:00Z',
    erpOrderId: 'SO-000042',
    erpOrderNumber: 'SO000042',
    ...(kind === 'shipped' ? { shipment: { carrier: 'Colissimo', trackingNumber: '6A123' } } : {}),
    ...extra,
  };
  return { body, messageId: body.updateId, sessionId: '10042', correlationId: body.updateId, attempt, applicationProperties: { attempt } };
}

/** ecpUpdater's use case, its steps recorded in the test's journey. */
const apply = (m: HubMessage, deps: UpdateEcpOrderDeps & { journey: InMemoryJourney }) =>
  updateEcpOrder(m, deps, new JourneyRecorder(deps.journey, 'ecpUpdater', deps.now));

describe('updateEcpOrder (ecpUpdater)', () => {
  it('tells the ECP what changed and keeps the progress in the ledger', async () => {
    const deps = await setup();
    expect(await apply(message('erpOrderAssigned'), deps)).toEqual({ outcome: 'applied', changed: ['erpOrderId', 'fulfillment'] });
    expect(deps.ecp.updates).toEqual([
      {
        orderId: '10042',
        updateId: 'cb-erpOrderAssigned',
        occurredAt: '2026-11-25T09:00:00Z',
        erpReference: 'SO000042',
        fulfillmentStatus: 'processing',
      },
    ]);
    expect((await deps.ledger.get('10042'))?.entry.progress).toMatchObject({
      erpOrderId: 'SO-000042',
      fulfillment: 'processing',
      appliedUpdates: ['cb-erpOrderAssigned'],
    });
  });

  it('applies an update delivered twice once', async () => {
    const deps = await setup();
    await apply(message('paymentCaptured'), deps);
    expect(await apply(message('paymentCaptured'), deps)).toEqual({ outcome: 'duplicate' });
    expect(deps.ecp.updates).toHaveLength(1);
    expect(deps.journey.steps.at(-1)).toMatchObject({ outcome: 'duplicate', function: 'ecpUpdater' });
  });

  it('does not move the ECP order back, and sends only the tracking that arrives after delivery', async () => {
    const deps = await setup();
    await apply(message('delivered'), deps);
    expect(await apply(message('shipmentPrepared'), deps)).toEqual({
      outcome: 'stale',
      reason: 'shipmentPrepared ignored: fulfilment is already delivered',
    });
    expect(await apply(message('shipped'), deps)).toEqual({ outcome: 'applied', changed: ['tracking'] });
    expect(deps.ecp.updates.map(({ fulfillmentStatus, tracking }) => ({ fulfillmentStatus, tracking }))).toEqual([
      { fulfillmentStatus: 'delivered', tracking: undefined },
      { fulfillmentStatus: undefined, tracking: { company: 'Colissimo', number: '6A123' } },
    ]);
  });

  it('retries a failed ECP call later with the next attempt, without recording the update as applied', async () => {
    const deps = await setup();
    deps.ecp.updateFailures.push(new HubError(ErrorCodes.ECP_UNAVAILABLE, 'ECP PATCH order failed with 503', { transient: true }));
    expect(await apply(message('shipped'), deps)).toMatchObject({ outcome: 'retryScheduled', code: ErrorCodes.ECP_UNAVAILABLE });
    expect(deps.sender.sent[0]).toMatchObject({
      queue: 'erp-updates',
      message: { messageId: 'cb-shipped#2', sessionId: '10042', applicationProperties: { attempt: 2 } },
    });
    expect((await deps.ledger.get('10042'))?.entry.progress).toBeUndefined();
    expect(await apply(message('shipped', {}, 2), deps)).toMatchObject({ outcome: 'applied' });
  });

  it('parks an update for an order the hub never saw, keyed by the update so that none overwrites another', async () => {
    const deps = await setup(false);
    expect(await apply(message('shipped'), deps)).toEqual({ outcome: 'parked', code: ErrorCodes.ORDER_UNKNOWN });
    expect(await apply(message('delivered'), deps)).toEqual({ outcome: 'parked', code: ErrorCodes.ORDER_UNKNOWN });
    expect([...deps.parked.messages.values()].map((m) => [m.source, m.orderId, m.messageId, m.code])).toEqual([
      ['erp-updates', '10042', 'cb-shipped', ErrorCodes.ORDER_UNKNOWN],
      ['erp-updates', '10042', 'cb-delivered', ErrorCodes.ORDER_UNKNOWN],
    ]);
    expect(deps.ecp.updates).toHaveLength(0);
  });

  it('parks a permanent ECP refusal with its reason', async () => {
    const deps = await setup();
    deps.ecp.updateFailures.push(
      new HubError(ErrorCodes.ECP_REJECTED, 'ECP PATCH order failed with 422: order is archived', { transient: false }),
    );
    expect(await apply(message('shipped'), deps)).toEqual({ outcome: 'parked', code: ErrorCodes.ECP_REJECTED });
    expect([...deps.parked.messages.values()][0]?.reason).toContain('order is archived');
  });

  it('publishes the lifecycle events of what an update changed, and again when a retry of ours finds it applied', async () => {
    const deps = await setup();
    await apply(message('paymentCaptured'), deps);
    await apply(message('shipped'), deps);
    expect(deps.lifecycle.events.map((e) => [e.id, e.data])).toEqual([
      ['10042:PaymentCaptured', { erpOrderId: 'SO-000042' }],
      ['10042:OrderShipped', { erpOrderId: 'SO-000042', carrier: 'Colissimo', trackingNumber: '6A123' }],
    ]);
    await apply(message('shipped', {}, 2), deps);
    expect(deps.lifecycle.events.map((e) => e.id)).toEqual(['10042:PaymentCaptured', '10042:OrderShipped', '10042:OrderShipped']);
    await apply(message('shipped'), deps);
    expect(deps.lifecycle.events).toHaveLength(3);
  });

  describe('compensation when the ERP rejects an order', () => {
    const rejected = (attempt = 1) =>
      message('rejected', { reason: { code: 'OUT_OF_STOCK', text: 'item 10030 is out of stock' } }, attempt);

    it('cancels it in the ECP, publishes OrderRejected and tells the customer why, once', async () => {
      const deps = await setup();
      expect(await apply(rejected(), deps)).toMatchObject({ outcome: 'applied' });
      expect(deps.ecp.updates.at(-1)).toMatchObject({
        fulfillmentStatus: 'cancelled',
        financialStatus: 'voided',
        cancelReason: 'item 10030 is out of stock',
      });
      expect(deps.lifecycle.events.map((e) => [e.type, e.data.reason])).toContainEqual(['OrderRejected', 'item 10030 is out of stock']);
      expect(deps.mail.sent).toEqual([
        expect.objectContaining({
          to: 'Ada@Example.com',
          toName: 'Ada Lovelace',
          subject: 'Your order #10001 could not be completed',
          category: 'order-rejected',
          orderId: '10042',
        }),
      ]);
      expect(deps.mail.sent[0]?.text).toContain('item 10030 is out of stock');
      await apply(rejected(2), deps);
      expect(deps.mail.sent).toHaveLength(1);
    });

    it('mails on the retry when the mail failed, and not twice', async () => {
      const deps = await setup();
      deps.mail.failures.push(new HubError(ErrorCodes.MAIL_FAILED, 'mail failed with 503', { transient: true }));
      expect(await apply(rejected(), deps)).toMatchObject({ outcome: 'retryScheduled', code: ErrorCodes.MAIL_FAILED });
      expect(deps.ecp.updates).toHaveLength(1);
      expect(await apply(rejected(2), deps)).toEqual({ outcome: 'duplicate' });
      expect(deps.ecp.updates).toHaveLength(1);
      expect(deps.mail.sent).toHaveLength(1);
    });
  });
});

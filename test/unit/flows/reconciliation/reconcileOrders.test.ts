import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { newLedgerEntry, OrderStates, type LedgerEntry } from '../../../../src/domain/orderLedger';
import { describeRun } from '../../../../src/flows/reconciliation/describeRun';
import { reconcileOrders, type ReconcileDeps } from '../../../../src/flows/reconciliation/reconcileOrders';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { ParkedSources } from '../../../../src/ports/ParkedMessagesPort';
import {
  FakeEcp,
  FakeErp,
  InMemoryJourney,
  InMemoryLedger,
  InMemoryParked,
  InMemoryReconcileRuns,
  RecordingLifecycle,
  RecordingSender,
  InMemoryInFlight,
} from '../../../support/fakes';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();

function setup() {
  const deps = {
    ecp: new FakeEcp(),
    erp: new FakeErp(),
    ledger: new InMemoryLedger(),
    journeys: new InMemoryJourney(),
    parked: new InMemoryParked(),
    sender: new RecordingSender(),
    inFlight: new InMemoryInFlight(),
    lifecycle: new RecordingLifecycle(),
    runs: new InMemoryReconcileRuns(),
    thresholds: { settleMs: 5 * 60_000, lookUpAfterMs: 30 * 60_000, stuckAfterMs: 60 * 60_000 },
    windowMs: 24 * 60 * 60_000,
    concurrency: 4,
    now: () => new Date(NOW),
  } satisfies ReconcileDeps;
  const run = () => reconcileOrders(deps, new JourneyRecorder(deps.journeys, 'reconciler', deps.now), 'reconciler');
  const list = (id: string, updatedMinutesAgo = 10, version = 1) =>
    deps.ecp.changed.push({ id, version, updatedAt: minutesAgo(updatedMinutesAgo) });
  const ledgerHas = async (overrides: Partial<LedgerEntry> & { orderId: string }) =>
    await deps.ledger.create({
      ...newLedgerEntry(overrides.orderId, 1, `ECP-${overrides.orderId}`, new Date(minutesAgo(90))),
      ...overrides,
    });
  return { deps, run, list, ledgerHas };
}

describe('a reconciler run', () => {
  it('lists the window of ECP changes page by page and queues only the order the hub never heard of', async () => {
    const { deps, run, list, ledgerHas } = setup();
    deps.ecp.pageSize = 2;
    list('10001');
    list('10002');
    list('10003', 10, 3);
    list('10004', 1);
    await ledgerHas({ orderId: '10001', state: OrderStates.SUBMITTED, erpOrderId: 'SO-1' });
    await deps.journeys.record({
      orderId: '10002',
      at: minutesAgo(9),
      function: 'orderEventsProcessor',
      step: 'queued',
      attempt: 1,
      outcome: 'ok',
    });

    const summary = await run();

    expect(deps.ecp.listedSince).toEqual([new Date(NOW - 24 * 60 * 60_000), new Date(NOW - 24 * 60 * 60_000)]);
    expect(summary.counts).toMatchObject({ listed: 4, inStep: 1, seen: 1, young: 1, queuedUnseen: 1, failed: 0 });
    expect(summary.outcome).toBe('Success');
    // Under the id its event would have had: a late event and the reconciler cannot both send it.
    expect(deps.sender.sent.map((s) => [s.queue, s.message.messageId, s.message.sessionId])).toEqual([
      ['online-orders', '10003:v3', '10003'],
    ]);
    expect(deps.sender.sent[0]?.message.applicationProperties).toMatchObject({ orderVersion: 3, attempt: 1 });
    expect(deps.lifecycle.events.map((e) => [e.type, e.orderId])).toEqual([['OrderReceived', '10003']]);
    const steps = await deps.journeys.read('10003');
    expect(steps).toEqual([
      expect.objectContaining({ step: 'reconciled', function: 'reconciler', outcome: 'ok', correlationId: summary.runId }),
    ]);
    expect(steps[0]?.detail).toContain('no event for it reached the hub: queued on online-orders as 10003:v3');
    expect(summary.notes).toEqual([expect.objectContaining({ orderId: '10003', result: 'queuedUnseen' })]);
    expect(deps.runs.runs).toEqual([summary]);
    expect(describeRun(summary)).toBe(
      `reconciler Success: 4 ECP orders changed since ${minutesAgo(24 * 60)} checked in 0.0 s (1 in step, 1 too recent, 1 on their way, 0 parked); 1 never seen, queued`,
    );
  });

  it('finds in the ERP a parked order whose create got no answer: submitted, its entry resolved, its confirmation asked for', async () => {
    const { deps, run, list, ledgerHas } = setup();
    list('10005');
    await deps.erp.createSalesOrder({ externalDocumentNumber: 'ECP-10005' } as never, 'ECP-10005');
    await ledgerHas({ orderId: '10005', state: OrderStates.PARKED, pushPending: true, lastErrorCode: ErrorCodes.ORDER_RETRIES_EXHAUSTED });
    await deps.parked.park({
      source: 'online-orders',
      orderId: '10005',
      code: ErrorCodes.ORDER_RETRIES_EXHAUSTED,
      reason: 'ERP timed out 10 times',
      details: [],
      payload: '{}',
      attempts: 10,
      parkedAt: minutesAgo(60),
      replayable: true,
    });

    const summary = await run();

    expect(summary.counts).toMatchObject({ foundInErp: 1 });
    expect((await deps.ledger.get('10005'))?.entry).toMatchObject({ state: 'submitted', erpOrderId: 'SO-1', pushPending: false });
    expect(await deps.parked.list()).toEqual([]);
    expect((await deps.parked.ofOrder('10005'))[0]?.resolution).toMatchObject({ action: 'resolved', by: 'reconciler' });
    expect(deps.lifecycle.events.map((e) => [e.type, e.data.erpOrderId])).toEqual([['OrderSubmittedToErp', 'SO-1']]);
    // Queued again under the run's own id: the integrator finds it submitted and asks for the confirmation.
    expect(deps.sender.sent.map((s) => s.message.messageId)).toEqual([`10005:v1:${summary.runId}`]);
    expect(deps.erp.created).toHaveLength(1);
    expect((await deps.journeys.read('10005')).map((s) => [s.step, s.erpOrderId])).toEqual([
      ['reconciled', 'SO-1'],
      ['reconciled', undefined],
    ]);
  });

  it('keeps parked an order the ERP does not have, and no longer asks for a look-up', async () => {
    const { deps, run, list, ledgerHas } = setup();
    list('10006');
    await ledgerHas({ orderId: '10006', state: OrderStates.PARKED, pushPending: true, lastErrorCode: ErrorCodes.ERP_TIMEOUT });
    const first = await run();
    expect(first.counts).toMatchObject({ notInErp: 1 });
    expect((await deps.ledger.get('10006'))?.entry).toMatchObject({ state: 'parked', pushPending: false });
    expect(deps.sender.sent).toEqual([]);
    const second = await run();
    expect(second.counts).toMatchObject({ parked: 1, notInErp: 0 });
    expect(deps.erp.lookups).toEqual(['ECP-10006']);
  });

  it('queues again an order stuck submitting and one whose retry was lost, each under the run id', async () => {
    const { deps, run, list, ledgerHas } = setup();
    list('10007');
    list('10008');
    await ledgerHas({ orderId: '10007', state: OrderStates.SUBMITTING, leaseUntil: minutesAgo(30), updatedAt: minutesAgo(31) });
    await ledgerHas({ orderId: '10008', state: OrderStates.AWAITING_RETRY, updatedAt: minutesAgo(120) });
    const summary = await run();
    expect(summary.counts).toMatchObject({ requeued: 2 });
    expect(deps.sender.sent.map((s) => s.message.messageId).sort()).toEqual([`10007:v1:${summary.runId}`, `10008:v1:${summary.runId}`]);
    expect(deps.lifecycle.events).toEqual([]);
  });

  it('notes an order it could not check and goes on: the run is Partial, the order is tried next run', async () => {
    const { deps, run, list } = setup();
    list('10009');
    list('10010');
    const getOrder = deps.ecp.getOrder.bind(deps.ecp);
    deps.ecp.getOrder = (id) =>
      id === '10009' ? Promise.reject(new HubError(ErrorCodes.ECP_UNAVAILABLE, 'ECP answered 503', { transient: true })) : getOrder(id);
    const summary = await run();
    expect(summary.outcome).toBe('Partial');
    expect(summary.counts).toMatchObject({ failed: 1, queuedUnseen: 1 });
    expect(summary.notes).toContainEqual({ orderId: '10009', result: 'failed', code: 'ECP.UNAVAILABLE', detail: 'ECP answered 503' });
    expect(await deps.journeys.read('10009')).toEqual([]);
  });

  it('is Failed, its summary kept, when the ECP list cannot be read', async () => {
    const { deps, run } = setup();
    deps.ecp.listFailure = new HubError(ErrorCodes.ECP_UNAVAILABLE, 'ECP answered 503', { transient: true });
    const summary = await run();
    expect(summary).toMatchObject({ outcome: 'Failed', error: 'ECP.UNAVAILABLE: ECP answered 503' });
    expect(deps.runs.runs).toEqual([summary]);
  });

  it('does not resolve entries parked from elsewhere when the order is found', async () => {
    const { deps, run, list, ledgerHas } = setup();
    list('10011');
    await deps.erp.createSalesOrder({ externalDocumentNumber: 'ECP-10011' } as never, 'ECP-10011');
    await ledgerHas({ orderId: '10011', state: OrderStates.PARKED, pushPending: true });
    await deps.parked.park({
      source: ParkedSources.CONFIRMATIONS,
      orderId: '10011',
      code: ErrorCodes.MAIL_REJECTED,
      reason: 'refused',
      details: [],
      payload: '{}',
      attempts: 1,
      parkedAt: minutesAgo(60),
      replayable: true,
    });
    await run();
    expect((await deps.parked.list()).map((m) => m.source)).toEqual([ParkedSources.CONFIRMATIONS]);
  });
});

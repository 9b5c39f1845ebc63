import { newLedgerEntry, OrderStates, type LedgerEntry } from '../../../src/domain/orderLedger';
import { reconcileAction } from '../../../src/domain/reconciliation';

const now = new Date('2026-12-03T12:00:00Z');
const thresholds = { settleMs: 5 * 60_000, lookUpAfterMs: 30 * 60_000, stuckAfterMs: 60 * 60_000 };
const minutesAgo = (m: number): string => new Date(now.getTime() - m * 60_000).toISOString();
/** An order without a ledger entry and no journey either (no matter for those with an entry). */
const NONE = { parkedOpen: false };
const listed = (updatedMinutesAgo = 10) => ({ id: '10001', updatedAt: minutesAgo(updatedMinutesAgo) });
const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({
  ...newLedgerEntry('10001', 1, 'ECP-10001', new Date(minutesAgo(90))),
  ...overrides,
});

describe('what the reconciler does with one ECP order', () => {
  it('queues an order the hub has no trace of, once it is past the settle time', () => {
    expect(reconcileAction(listed(10), undefined, NONE, now, thresholds)).toMatchObject({ kind: 'queueUnseen' });
  });

  it('leaves an order changed within the settle time: its event may be on the way', () => {
    expect(reconcileAction(listed(2), undefined, NONE, now, thresholds)).toEqual({ kind: 'young' });
  });

  it('leaves an order the journey has but the ledger not yet (queued, or parked at its event)', () => {
    expect(reconcileAction(listed(), undefined, { lastStepAt: minutesAgo(9), parkedOpen: false }, now, thresholds)).toEqual({
      kind: 'seen',
    });
  });

  it('leaves submitted orders, and parked ones no create went out for, to their owners', () => {
    expect(reconcileAction(listed(), entry({ state: OrderStates.SUBMITTED, erpOrderId: 'SO-1' }), NONE, now, thresholds)).toEqual({
      kind: 'inStep',
    });
    expect(reconcileAction(listed(), entry({ state: OrderStates.PARKED, pushPending: false }), NONE, now, thresholds)).toEqual({
      kind: 'parked',
    });
  });

  it('queues again an order queued long ago that never reached the ledger (its message dead-lettered), unless the failures have it', () => {
    expect(reconcileAction(listed(120), undefined, { lastStepAt: minutesAgo(61), parkedOpen: false }, now, thresholds)).toMatchObject({
      kind: 'requeue',
      reason: expect.stringContaining('its message never reached the ERP'),
    });
    expect(reconcileAction(listed(120), undefined, { lastStepAt: minutesAgo(61), parkedOpen: true }, now, thresholds)).toEqual({
      kind: 'seen',
    });
  });

  it('looks up a parked order whose create got no answer once the ERP has had the look-up time to commit it', () => {
    const parkedFresh = entry({ state: OrderStates.PARKED, pushPending: true, updatedAt: minutesAgo(5) });
    expect(reconcileAction(listed(), parkedFresh, NONE, now, thresholds)).toEqual({ kind: 'parked' });
    const action = reconcileAction(
      listed(),
      entry({ state: OrderStates.PARKED, pushPending: true, lastErrorCode: 'ORDER.RETRIES_EXHAUSTED' }),
      NONE,
      now,
      thresholds,
    );
    expect(action).toEqual({ kind: 'lookUp', reason: 'parked (ORDER.RETRIES_EXHAUSTED) after a create that got no answer' });
  });

  it('queues again an order stuck submitting past its lease, not one whose lease runs', () => {
    const stuck = entry({ state: OrderStates.SUBMITTING, leaseUntil: minutesAgo(20), updatedAt: minutesAgo(21) });
    expect(reconcileAction(listed(), stuck, NONE, now, thresholds)).toMatchObject({ kind: 'requeue' });
    const running = entry({ state: OrderStates.SUBMITTING, leaseUntil: minutesAgo(-1) });
    expect(reconcileAction(listed(), running, NONE, now, thresholds)).toEqual({ kind: 'inStep' });
  });

  it('looks up an order awaiting a retry after an unanswered create once it is quiet for the look-up time', () => {
    const waiting = (quietMinutes: number) =>
      entry({ state: OrderStates.AWAITING_RETRY, pushPending: true, updatedAt: minutesAgo(quietMinutes) });
    expect(reconcileAction(listed(), waiting(10), NONE, now, thresholds)).toEqual({ kind: 'inStep' });
    expect(reconcileAction(listed(), waiting(31), NONE, now, thresholds)).toMatchObject({ kind: 'lookUp' });
  });

  it('queues again an order whose retry never came (nothing sent), only after the stuck time', () => {
    const waiting = (quietMinutes: number) =>
      entry({ state: OrderStates.AWAITING_RETRY, pushPending: false, updatedAt: minutesAgo(quietMinutes) });
    expect(reconcileAction(listed(), waiting(45), NONE, now, thresholds)).toEqual({ kind: 'inStep' });
    expect(reconcileAction(listed(), waiting(61), NONE, now, thresholds)).toMatchObject({ kind: 'requeue' });
  });
});

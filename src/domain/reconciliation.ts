import { OrderStates, type LedgerEntry } from './orderLedger';

/** How long the reconciler waits before it acts on what it finds. */
export interface ReconcileThresholds {
  /** An order changed more recently than this may still have its event on the way: left for the next run. */
  settleMs: number;
  /** An order a create was sent for, without the ERP's id for this long, is looked up in the ERP. */
  lookUpAfterMs: number;
  /** An order waiting for a retry for this long has lost its retry (dead-lettered): it is queued again. */
  stuckAfterMs: number;
}

/** What the reconciler does with one ECP order it listed. */
export type ReconcileAction =
  /** The hub has it in the ERP, or is on it. */
  | { kind: 'inStep' }
  /** Changed too recently to tell: its event may be on the way. */
  | { kind: 'young' }
  /** No ledger entry, but the hub's journey has it lately, or an open parked entry: on its way, or in the failures. */
  | { kind: 'seen' }
  /** Parked with nothing sent to the ERP: the operators' failures have it. */
  | { kind: 'parked' }
  /** The hub never heard of it: its event was lost. Queued as if it had arrived. */
  | { kind: 'queueUnseen'; reason: string }
  /** An attempt died or its retry was lost: queued again (the integrator looks it up before creating). */
  | { kind: 'requeue'; reason: string }
  /** A create went out without an answer long ago: the ERP is asked whether it has the order. */
  | { kind: 'lookUp'; reason: string };

export interface ListedOrder {
  id: string;
  updatedAt: string;
}

const ago = (now: Date, iso: string): number => now.getTime() - Date.parse(iso);

/** What the hub holds of an order that has no ledger entry: when its journey last moved, whether the failures have it. */
export interface WithoutLedger {
  lastStepAt?: string;
  parkedOpen: boolean;
}

/**
 * The reconciler's rule for one order the ECP lists, given the ledger's entry (if any) and, without
 * one, what else the hub holds of it. Every action it takes is safe to take twice: a queued order's
 * message id drops a second copy, and the ledger and the ERP's idempotency key keep an order from
 * reaching the ERP twice.
 */
export function reconcileAction(
  order: ListedOrder,
  entry: LedgerEntry | undefined,
  without: WithoutLedger,
  now: Date,
  thresholds: ReconcileThresholds,
): ReconcileAction {
  if (ago(now, order.updatedAt) < thresholds.settleMs) return { kind: 'young' };
  if (entry === undefined) {
    if (without.lastStepAt === undefined)
      return { kind: 'queueUnseen', reason: `the ECP has had the order since ${order.updatedAt}; no event for it reached the hub` };
    // Queued, but its message (or its retry) never got as far as the ledger: dead-lettered.
    if (!without.parkedOpen && ago(now, without.lastStepAt) >= thresholds.stuckAfterMs)
      return { kind: 'requeue', reason: `queued, and nothing since ${without.lastStepAt}: its message never reached the ERP` };
    return { kind: 'seen' };
  }
  switch (entry.state) {
    case OrderStates.SUBMITTED:
      return { kind: 'inStep' };
    case OrderStates.PARKED:
      // Looked up once the ERP has had time to commit a create that got no answer.
      return entry.pushPending && ago(now, entry.updatedAt) >= thresholds.lookUpAfterMs
        ? { kind: 'lookUp', reason: `parked (${entry.lastErrorCode ?? 'no code'}) after a create that got no answer` }
        : { kind: 'parked' };
    case OrderStates.SUBMITTING: {
      const leaseUntil = entry.leaseUntil ?? entry.updatedAt;
      if (ago(now, leaseUntil) < thresholds.settleMs) return { kind: 'inStep' };
      return { kind: 'requeue', reason: `stuck submitting: its lease ended at ${leaseUntil}` };
    }
    default: {
      // awaitingRetry, received: a retry is on its way unless it was lost.
      const quiet = ago(now, entry.updatedAt);
      if (entry.pushPending && quiet >= thresholds.lookUpAfterMs)
        return { kind: 'lookUp', reason: `a create got no answer and nothing was heard since ${entry.updatedAt}` };
      if (quiet >= thresholds.stuckAfterMs)
        return { kind: 'requeue', reason: `${entry.state} since ${entry.updatedAt}: its retry never came` };
      return { kind: 'inStep' };
    }
  }
}

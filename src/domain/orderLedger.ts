import type { OrderProgress } from './orderProgress';

/** Where an order stands in its way to the ERP. One ledger entry per ECP order. */
export const OrderStates = {
  RECEIVED: 'received',
  SUBMITTING: 'submitting',
  AWAITING_RETRY: 'awaitingRetry',
  SUBMITTED: 'submitted',
  PARKED: 'parked',
} as const;

export type OrderState = (typeof OrderStates)[keyof typeof OrderStates];

export interface LedgerEntry {
  orderId: string;
  state: OrderState;
  orderVersion: number;
  /** The ERP's external document number and idempotency key of every create for this order. */
  externalDocumentNumber: string;
  erpOrderId?: string;
  /** Creates sent to the ERP so far. */
  pushAttempts: number;
  /** A create may have reached the ERP without an answer: look it up before sending another. */
  pushPending: boolean;
  /** While `submitting`, no other attempt may take the order before this time (ISO). */
  leaseUntil?: string;
  lastErrorCode?: string;
  /** What the ERP has reported since (ERP id, payment, fulfilment, tracking), as applied to the ECP. */
  progress?: OrderProgress;
  /** Mails sent to the customer about the order (`order-rejected`), so that none goes twice. */
  customerNotified?: string[];
  /** When the hub first recorded the order (entries from before it was kept have none). */
  receivedAt?: string;
  /** When the customer placed it in the ECP, once the hub has mapped it. */
  placedAt?: string;
  /** When the ERP's id was recorded. */
  submittedAt?: string;
  updatedAt: string;
}

export type SubmissionClaim =
  | { kind: 'alreadySubmitted'; erpOrderId: string }
  | { kind: 'inProgress'; leaseUntil: string }
  | { kind: 'claimed'; entry: LedgerEntry; mustLookUp: boolean };

export function newLedgerEntry(
  orderId: string,
  orderVersion: number,
  externalDocumentNumber: string,
  now: Date,
  placedAt?: string,
): LedgerEntry {
  return {
    orderId,
    state: OrderStates.RECEIVED,
    orderVersion,
    externalDocumentNumber,
    pushAttempts: 0,
    pushPending: false,
    receivedAt: now.toISOString(),
    ...(placedAt === undefined ? {} : { placedAt }),
    updatedAt: now.toISOString(),
  };
}

/**
 * Takes the order for one submission attempt. A submitted order is never submitted again; an
 * order another attempt holds is left alone until its lease ends; an order whose last create got
 * no answer must be looked up in the ERP before anything is sent.
 */
export function claimSubmission(entry: LedgerEntry, now: Date, leaseMs: number): SubmissionClaim {
  if (entry.state === OrderStates.SUBMITTED && entry.erpOrderId !== undefined) {
    return { kind: 'alreadySubmitted', erpOrderId: entry.erpOrderId };
  }
  if (entry.state === OrderStates.SUBMITTING && entry.leaseUntil !== undefined && Date.parse(entry.leaseUntil) > now.getTime()) {
    return { kind: 'inProgress', leaseUntil: entry.leaseUntil };
  }
  // An expired `submitting` lease means an attempt died mid-way: its create may have gone out.
  const mustLookUp = entry.pushPending || entry.state === OrderStates.SUBMITTING;
  return {
    kind: 'claimed',
    mustLookUp,
    entry: {
      ...entry,
      state: OrderStates.SUBMITTING,
      pushPending: mustLookUp,
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      updatedAt: now.toISOString(),
    },
  };
}

/** Records that a create is about to be sent: until an answer comes, it may have reached the ERP. */
export function recordPushSent(entry: LedgerEntry, now: Date): LedgerEntry {
  return { ...entry, pushAttempts: entry.pushAttempts + 1, pushPending: true, updatedAt: now.toISOString() };
}

export function recordSubmitted(entry: LedgerEntry, erpOrderId: string, now: Date): LedgerEntry {
  const { leaseUntil: _lease, lastErrorCode: _error, ...rest } = entry;
  return {
    ...rest,
    state: OrderStates.SUBMITTED,
    erpOrderId,
    pushPending: false,
    submittedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * A failed attempt. `pushMayHaveCommitted` is false only when the hub knows no create of this
 * attempt reached the ERP (nothing was sent, or the ERP refused it before doing anything).
 */
export function recordFailure(
  entry: LedgerEntry,
  failure: { code: string; parked: boolean; pushMayHaveCommitted: boolean },
  now: Date,
): LedgerEntry {
  const { leaseUntil: _lease, ...rest } = entry;
  return {
    ...rest,
    state: failure.parked ? OrderStates.PARKED : OrderStates.AWAITING_RETRY,
    pushPending: failure.pushMayHaveCommitted,
    lastErrorCode: failure.code,
    updatedAt: now.toISOString(),
  };
}

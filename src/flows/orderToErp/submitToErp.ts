import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { lifecycleEvent, LifecycleEventTypes } from '../../domain/lifecycleEvents';
import {
  claimSubmission,
  newLedgerEntry,
  OrderStates,
  recordPushSent,
  recordSubmitted,
  type LedgerEntry,
  type SubmissionClaim,
} from '../../domain/orderLedger';
import type { ErpSalesOrder } from '../../platforms/erp/erpSalesOrder';
import type { ErpSalesOrdersPort } from '../../ports/ErpSalesOrdersPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import type { OrderJourney } from '../shared/JourneyRecorder';
import { updateLedger } from '../shared/updateLedger';

export interface SubmitToErpDeps {
  ledger: OrderLedgerPort;
  erp: ErpSalesOrdersPort;
  lifecycle: LifecyclePublisherPort;
  /** The order's units stop being in flight once the ERP holds it. */
  inFlight: InFlightUnitsPort;
  submissionLeaseMs: number;
  /**
   * Look every order up in the ERP before creating it, not only when a create may have gone
   * unanswered: for the hours after a storage failover or restore, when the ledger may have lost
   * recent writes (ERP_LOOKUP_BEFORE_CREATE).
   */
  lookUpBeforeEveryCreate: boolean;
  now: () => Date;
}

/** What one attempt learned about whether a create of this order may sit in the ERP. */
export interface SubmissionAttempt {
  orderId: string;
  orderVersion: number;
  /** 1 for the first attempt at the order. */
  attempt: number;
  /** When the customer placed the order (the canonical order's placedAt), once it is mapped. */
  placedAt?: string;
  /** The lease this attempt holds on the order in the ledger, while it holds it. */
  claimedLease?: string;
  pushMayHaveCommitted: boolean;
}

export type SubmissionOutcome =
  { outcome: 'submitted'; erpOrderId: string; foundByLookUp: boolean } | { outcome: 'duplicate'; erpOrderId: string };

/**
 * Creates the sales order in the ERP once in effect: the ledger lets one attempt at a time hold
 * the order, every create carries the external document number as idempotency key, and a create
 * that may have reached the ERP without an answer is looked up before another is sent.
 */
export async function submitToErp(
  salesOrder: ErpSalesOrder,
  attempt: SubmissionAttempt,
  deps: SubmitToErpDeps,
  journey: OrderJourney,
): Promise<SubmissionOutcome> {
  const { orderId } = attempt;
  const { result: claim } = await updateLedger<SubmissionClaim>(deps.ledger, orderId, (current) => {
    const known = current ?? newLedgerEntry(orderId, attempt.orderVersion, salesOrder.externalDocumentNumber, deps.now(), attempt.placedAt);
    // An entry made by a failure before the order mapped (parked, then replayed) learns when it was placed now.
    const entry = known.placedAt === undefined && attempt.placedAt !== undefined ? { ...known, placedAt: attempt.placedAt } : known;
    const decision = claimSubmission(entry, deps.now(), deps.submissionLeaseMs);
    return decision.kind === 'claimed' ? { write: decision.entry, result: decision } : { result: decision };
  });

  if (claim.kind === 'alreadySubmitted') {
    await journey({ step: 'submit', outcome: JourneyOutcomes.DUPLICATE, erpOrderId: claim.erpOrderId });
    // A retry of ours may follow a failed publication: publish again (subscribers drop the repeat by id).
    if (attempt.attempt > 1) await publishSubmitted(deps, orderId, claim.erpOrderId);
    // The same for the hold on its units, should a release have failed.
    await deps.inFlight.release(orderId);
    return { outcome: 'duplicate', erpOrderId: claim.erpOrderId };
  }
  if (claim.kind === 'inProgress') {
    throw new HubError(ErrorCodes.ORDER_IN_PROGRESS, `order ${orderId} is being submitted by another attempt`, {
      transient: true,
      retryAfterMs: Math.max(0, Date.parse(claim.leaseUntil) - deps.now().getTime()),
    });
  }
  attempt.claimedLease = claim.entry.leaseUntil;
  attempt.pushMayHaveCommitted = claim.mustLookUp;

  if (claim.mustLookUp || deps.lookUpBeforeEveryCreate) {
    const existing = await deps.erp.findByExternalDocumentNumber(salesOrder.externalDocumentNumber);
    if (existing !== undefined) {
      const why = claim.mustLookUp ? 'after a create that may have gone unanswered' : 'before creating it (ERP_LOOKUP_BEFORE_CREATE)';
      return await completeSubmission(attempt, existing.id, why, deps, journey);
    }
    attempt.pushMayHaveCommitted = false;
  }

  await holdingClaim(deps, attempt, (entry) => recordPushSent(entry, deps.now()));
  attempt.pushMayHaveCommitted = true;
  try {
    const created = await deps.erp.createSalesOrder(salesOrder, salesOrder.externalDocumentNumber);
    return await completeSubmission(attempt, created.id, undefined, deps, journey);
  } catch (error) {
    if (HubError.isHubError(error)) {
      if (!error.ambiguous) attempt.pushMayHaveCommitted = false;
      if (error.code === ErrorCodes.ERP_DUPLICATE_DOCUMENT) {
        const existing = await deps.erp.findByExternalDocumentNumber(salesOrder.externalDocumentNumber);
        if (existing !== undefined)
          return await completeSubmission(attempt, existing.id, 'after the ERP refused a second create (409)', deps, journey);
      }
    }
    throw error;
  }
}

/** `foundByLookUp`: why the order was looked up and found in the ERP; undefined when this attempt created it. */
async function completeSubmission(
  attempt: SubmissionAttempt,
  erpOrderId: string,
  foundByLookUp: string | undefined,
  deps: SubmitToErpDeps,
  journey: OrderJourney,
): Promise<SubmissionOutcome> {
  // The ERP holds the order now: record it whatever another attempt wrote meanwhile.
  await updateLedger(deps.ledger, attempt.orderId, (current) =>
    current === undefined ? { result: undefined } : { write: recordSubmitted(current, erpOrderId, deps.now()), result: undefined },
  );
  attempt.claimedLease = undefined;
  await deps.inFlight.release(attempt.orderId);
  await journey({
    step: 'submit',
    outcome: JourneyOutcomes.OK,
    erpOrderId,
    ...(foundByLookUp === undefined ? {} : { detail: `found in the ERP by external document number ${foundByLookUp}` }),
  });
  await publishSubmitted(deps, attempt.orderId, erpOrderId);
  return { outcome: 'submitted', erpOrderId, foundByLookUp: foundByLookUp !== undefined };
}

async function publishSubmitted(deps: SubmitToErpDeps, orderId: string, erpOrderId: string): Promise<void> {
  await deps.lifecycle.publish([
    lifecycleEvent(LifecycleEventTypes.ORDER_SUBMITTED_TO_ERP, orderId, deps.now().toISOString(), { erpOrderId }),
  ]);
}

/** Writes to the ledger only while this attempt still holds the order. */
async function holdingClaim(deps: SubmitToErpDeps, attempt: SubmissionAttempt, change: (entry: LedgerEntry) => LedgerEntry): Promise<void> {
  const { result: held } = await updateLedger(deps.ledger, attempt.orderId, (current) => {
    if (current?.state !== OrderStates.SUBMITTING || current.leaseUntil !== attempt.claimedLease) return { result: false };
    return { write: change(current), result: true };
  });
  if (!held) {
    attempt.claimedLease = undefined;
    throw new HubError(ErrorCodes.ORDER_IN_PROGRESS, `order ${attempt.orderId} was taken over by another attempt`, {
      transient: true,
    });
  }
}

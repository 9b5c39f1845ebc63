import { MessageProperties, QueueNames } from '../../config/queues';
import { ErrorCodes } from '../../domain/errorCodes';
import { externalDocumentNumberFor } from '../../domain/externalDocumentNumber';
import { HubError } from '../../domain/HubError';
import { newLedgerEntry, OrderStates, recordFailure } from '../../domain/orderLedger';
import type { ClaimChecksPort } from '../../ports/ClaimChecksPort';
import type { HubMessage } from '../shared/hubMessage';
import type { JourneyRecorder, OrderJourney } from '../shared/JourneyRecorder';
import { retryOrPark, willRetry, type FailureOutcome, type RetryOrParkDeps } from '../shared/retryOrPark';
import { updateLedger } from '../shared/updateLedger';
import { mappingVersions, mapToSalesOrder, type OrderMappings } from './mapToSalesOrder';
import { requestConfirmation } from './requestConfirmation';
import { submitToErp, type SubmissionAttempt, type SubmissionOutcome, type SubmitToErpDeps } from './submitToErp';

export interface IntegrateOrderDeps extends SubmitToErpDeps, RetryOrParkDeps {
  claimChecks: ClaimChecksPort;
  mappings: OrderMappings;
}

export type IntegrationOutcome = SubmissionOutcome | FailureOutcome;

/**
 * One delivery of `online-orders` (its body the raw ECP order, or the claim check of a large one):
 * mapped to an ERP sales order and created in the ERP once in effect, then its confirmation asked
 * for (the `confirmations` queue). Transient failures come back
 * later as a re-scheduled message; permanent ones, and transient ones past the retry limit, are
 * parked with their reason.
 */
export async function integrateOrder(
  message: HubMessage,
  deps: IntegrateOrderDeps,
  journeys: JourneyRecorder,
): Promise<IntegrationOutcome> {
  const orderId = message.sessionId;
  const journey = journeys.ofMessage(message, mappingVersions(deps.mappings));
  const attempt: SubmissionAttempt = {
    orderId,
    orderVersion: Number(message.applicationProperties[MessageProperties.ORDER_VERSION] ?? 1),
    attempt: message.attempt,
    pushMayHaveCommitted: false,
  };
  let order: unknown;
  try {
    order = await deps.claimChecks.open(message.body, message.applicationProperties);
    const { canonical, salesOrder } = mapToSalesOrder(order, orderId, deps.mappings);
    attempt.placedAt = canonical.placedAt;
    const submission = await submitToErp(salesOrder, attempt, deps, journey);
    // Also after a duplicate: the attempt that submitted it may have stopped before asking.
    await requestConfirmation(canonical, submission.erpOrderId, deps.sender, message.correlationId);
    return submission;
  } catch (error) {
    if (!HubError.isHubError(error)) throw error; // unknown failure: let the queue redeliver
    // A parked entry keeps the order itself, not its claim check.
    return await handleFailure(message, error, { ...deps, payload: order ?? message.body, attempt, journey });
  }
}

/**
 * A failed attempt: the ledger records it (parked or awaiting a retry, and whether a create may sit
 * in the ERP) unless another attempt holds or has finished the order; then the message is retried
 * later or parked.
 */
async function handleFailure(
  message: HubMessage,
  error: HubError,
  context: IntegrateOrderDeps & { payload: unknown; attempt: SubmissionAttempt; journey: OrderJourney },
): Promise<FailureOutcome> {
  const { attempt, now } = context;
  const retry = willRetry(error, message.attempt, context.retryPolicy);

  if (attempt.claimedLease !== undefined || error.code !== ErrorCodes.ORDER_IN_PROGRESS) {
    await updateLedger(context.ledger, attempt.orderId, (current) => {
      if (current === undefined && retry) return { result: undefined };
      if (current?.state === OrderStates.SUBMITTED) return { result: undefined };
      if (current?.state === OrderStates.SUBMITTING && current.leaseUntil !== attempt.claimedLease) return { result: undefined };
      const entry = current ?? newLedgerEntry(attempt.orderId, 1, externalDocumentNumberFor(attempt.orderId), now(), attempt.placedAt);
      // While this attempt holds the order it knows best; otherwise keep what the ledger knew.
      const holding = current?.state === OrderStates.SUBMITTING && attempt.claimedLease !== undefined;
      const pushMayHaveCommitted = holding ? attempt.pushMayHaveCommitted : entry.pushPending;
      return { write: recordFailure(entry, { code: error.code, parked: !retry, pushMayHaveCommitted }, now()), result: undefined };
    });
  }
  return await retryOrPark(
    QueueNames.ONLINE_ORDERS,
    message,
    error,
    context,
    { payload: context.payload, mappings: mappingVersions(context.mappings) },
    context.journey,
    'submit',
  );
}

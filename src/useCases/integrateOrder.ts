import { MessageProperties, QueueNames } from '../config/queues';
import { ErrorCodes } from '../domain/errorCodes';
import { HubError } from '../domain/HubError';
import {
  claimSubmission,
  newLedgerEntry,
  OrderStates,
  recordFailure,
  recordPushSent,
  recordSubmitted,
  type LedgerEntry,
  type SubmissionClaim,
} from '../domain/orderLedger';
import { parseOrFail } from '../domain/validate';
import { externalDocumentNumberFor } from '../domain/externalDocumentNumber';
import type { CompiledMapping } from '../mapping/compileMapping';
import { mappingLabel, runMapping } from '../mapping/runMapping';
import { ecpOrderSchema } from '../platforms/ecp/ecpOrder';
import type { CanonicalOrder } from '../domain/canonicalOrder';
import type { ErpSalesOrder } from '../platforms/erp/erpSalesOrder';
import type { ClaimChecksPort } from '../ports/ClaimChecksPort';
import type { LifecyclePublisherPort } from '../ports/LifecyclePublisherPort';
import { lifecycleEvent, LifecycleEventTypes } from '../domain/lifecycleEvents';
import type { ErpSalesOrdersPort } from '../ports/ErpSalesOrdersPort';
import { JourneyOutcomes, type JourneyPort, type JourneyStep } from '../ports/JourneyPort';
import type { OrderLedgerPort } from '../ports/OrderLedgerPort';
import type { ParkedMessagesPort } from '../ports/ParkedMessagesPort';
import type { QueueSenderPort } from '../ports/QueueSenderPort';
import { retryOrPark, willRetry, type FailureOutcome, type HubMessage } from './retryOrPark';
import type { RetryPolicy } from './retryPolicy';
import { updateLedger } from './updateLedger';

const FUNCTION_NAME = 'erpIntegrator';

/** One delivery of an `online-orders` message: its body is the raw ECP order (or its claim check, when it was large). */
export type OrderMessage = HubMessage;

export interface IntegrateOrderDeps {
  ledger: OrderLedgerPort;
  journey: JourneyPort;
  parked: ParkedMessagesPort;
  erp: ErpSalesOrdersPort;
  sender: QueueSenderPort;
  claimChecks: ClaimChecksPort;
  lifecycle: LifecyclePublisherPort;
  /** The compiled mapping files: ECP order → canonical order → ERP sales order. */
  mappings: OrderMappings;
  retryPolicy: RetryPolicy;
  submissionLeaseMs: number;
  now: () => Date;
  random: () => number;
}

export interface OrderMappings {
  ecpOrderToCanonical: CompiledMapping;
  canonicalToErpSalesOrder: CompiledMapping;
}

export type IntegrationOutcome =
  { outcome: 'submitted'; erpOrderId: string; foundByLookUp: boolean } | { outcome: 'duplicate'; erpOrderId: string } | FailureOutcome;

/** What one attempt learned about whether a create of this order may sit in the ERP. */
interface AttemptState {
  /** The ECP order once read (from its claim check if it had one): what a parked entry keeps. */
  order?: unknown;
  claimedLease?: string;
  pushMayHaveCommitted: boolean;
}

/**
 * Maps an ECP order to an ERP sales order and creates it in the ERP, exactly once in effect:
 * the ledger lets one attempt at a time hold the order, every create carries the external
 * document number as idempotency key, and a create that got no answer is looked up before
 * another is sent. Transient failures come back later as a re-scheduled message; permanent
 * ones, and transient ones past the retry limit, are parked with their reason.
 */
export async function integrateOrder(message: OrderMessage, deps: IntegrateOrderDeps): Promise<IntegrationOutcome> {
  const orderId = message.sessionId;
  const state: AttemptState = { pushMayHaveCommitted: false };
  try {
    state.order = await deps.claimChecks.open(message.body, message.applicationProperties);
    const salesOrder = mapToSalesOrder(state.order, orderId, deps.mappings);
    return await submitOnce(message, salesOrder, deps, state);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error; // unknown failure: let the queue redeliver
    return await handleFailure(message, error, deps, state);
  }
}

/** The mappings that map an order, as its journey records them: `name@version#fingerprint, ...`. */
export function mappingVersions(mappings: OrderMappings): string {
  return `${mappingLabel(mappings.ecpOrderToCanonical)}, ${mappingLabel(mappings.canonicalToErpSalesOrder)}`;
}

function mapToSalesOrder(rawOrder: unknown, orderId: string, mappings: OrderMappings): ErpSalesOrder {
  const ecpOrder = parseOrFail(ecpOrderSchema, rawOrder, { code: ErrorCodes.ECP_ORDER_INVALID, what: 'ECP order', orderId });
  if (ecpOrder.id !== orderId) {
    throw new HubError(ErrorCodes.MESSAGE_INVALID, `message for order ${orderId} carries order ${ecpOrder.id}`, {
      transient: false,
      orderId,
    });
  }
  const canonical = runMapping<CanonicalOrder>(mappings.ecpOrderToCanonical, ecpOrder, orderId);
  const salesOrder = runMapping<ErpSalesOrder>(mappings.canonicalToErpSalesOrder, canonical, orderId);
  const expected = externalDocumentNumberFor(orderId);
  if (salesOrder.externalDocumentNumber !== expected) {
    throw new HubError(
      ErrorCodes.MAPPING_INVALID_OUTPUT,
      `${mappingLabel(mappings.canonicalToErpSalesOrder)} made externalDocumentNumber ${salesOrder.externalDocumentNumber}; it must stay ${expected}, the order's idempotency key`,
      {
        transient: false,
        orderId,
        details: [`externalDocumentNumber: must be ${expected}`],
      },
    );
  }
  return salesOrder;
}

async function submitOnce(
  message: OrderMessage,
  salesOrder: ErpSalesOrder,
  deps: IntegrateOrderDeps,
  state: AttemptState,
): Promise<IntegrationOutcome> {
  const orderId = message.sessionId;
  const version = Number(message.applicationProperties[MessageProperties.ORDER_VERSION] ?? 1);
  const { result: claim } = await updateLedger<SubmissionClaim>(deps.ledger, orderId, (current) => {
    const entry = current ?? newLedgerEntry(orderId, version, salesOrder.externalDocumentNumber, deps.now());
    const decision = claimSubmission(entry, deps.now(), deps.submissionLeaseMs);
    return decision.kind === 'claimed' ? { write: decision.entry, result: decision } : { result: decision };
  });

  if (claim.kind === 'alreadySubmitted') {
    await record(deps, message, { step: 'submit', outcome: JourneyOutcomes.DUPLICATE, erpOrderId: claim.erpOrderId });
    // A retry of ours may follow a failed publication: publish again (subscribers drop the repeat by id).
    if (message.attempt > 1) await publishSubmitted(deps, orderId, claim.erpOrderId);
    return { outcome: 'duplicate', erpOrderId: claim.erpOrderId };
  }
  if (claim.kind === 'inProgress') {
    throw new HubError(ErrorCodes.ORDER_IN_PROGRESS, `order ${orderId} is being submitted by another attempt`, {
      transient: true,
      orderId,
      retryAfterMs: Math.max(0, Date.parse(claim.leaseUntil) - deps.now().getTime()),
    });
  }
  state.claimedLease = claim.entry.leaseUntil;
  state.pushMayHaveCommitted = claim.mustLookUp;

  if (claim.mustLookUp) {
    const existing = await deps.erp.findByExternalDocumentNumber(salesOrder.externalDocumentNumber);
    if (existing !== undefined) return await completeSubmission(message, existing.id, true, deps, state);
    state.pushMayHaveCommitted = false;
  }

  await holdingClaim(deps, orderId, state, (entry) => recordPushSent(entry, deps.now()));
  state.pushMayHaveCommitted = true;
  try {
    const created = await deps.erp.createSalesOrder(salesOrder, salesOrder.externalDocumentNumber);
    return await completeSubmission(message, created.id, false, deps, state);
  } catch (error) {
    if (HubError.isHubError(error)) {
      if (!error.ambiguous) state.pushMayHaveCommitted = false;
      if (error.code === ErrorCodes.ERP_DUPLICATE_DOCUMENT) {
        const existing = await deps.erp.findByExternalDocumentNumber(salesOrder.externalDocumentNumber);
        if (existing !== undefined) return await completeSubmission(message, existing.id, true, deps, state);
      }
    }
    throw error;
  }
}

async function completeSubmission(
  message: OrderMessage,
  erpOrderId: string,
  foundByLookUp: boolean,
  deps: IntegrateOrderDeps,
  state: AttemptState,
): Promise<IntegrationOutcome> {
  // The ERP holds the order now: record it whatever another attempt wrote meanwhile.
  await updateLedger(deps.ledger, message.sessionId, (current) =>
    current === undefined ? { result: undefined } : { write: recordSubmitted(current, erpOrderId, deps.now()), result: undefined },
  );
  state.claimedLease = undefined;
  await record(deps, message, {
    step: 'submit',
    outcome: JourneyOutcomes.OK,
    erpOrderId,
    ...(foundByLookUp ? { detail: 'found in the ERP by external document number after an unanswered create' } : {}),
  });
  await publishSubmitted(deps, message.sessionId, erpOrderId);
  return { outcome: 'submitted', erpOrderId, foundByLookUp };
}

async function publishSubmitted(deps: IntegrateOrderDeps, orderId: string, erpOrderId: string): Promise<void> {
  await deps.lifecycle.publish([
    lifecycleEvent(LifecycleEventTypes.ORDER_SUBMITTED_TO_ERP, orderId, deps.now().toISOString(), { erpOrderId }),
  ]);
}

/** Writes to the ledger only while this attempt still holds the order. */
async function holdingClaim(
  deps: IntegrateOrderDeps,
  orderId: string,
  state: AttemptState,
  change: (entry: LedgerEntry) => LedgerEntry,
): Promise<void> {
  const { result: held } = await updateLedger(deps.ledger, orderId, (current) => {
    if (current?.state !== OrderStates.SUBMITTING || current.leaseUntil !== state.claimedLease) return { result: false };
    return { write: change(current), result: true };
  });
  if (!held) {
    state.claimedLease = undefined;
    throw new HubError(ErrorCodes.ORDER_IN_PROGRESS, `order ${orderId} was taken over by another attempt`, {
      transient: true,
      orderId,
    });
  }
}

async function handleFailure(
  message: OrderMessage,
  error: HubError,
  deps: IntegrateOrderDeps,
  state: AttemptState,
): Promise<IntegrationOutcome> {
  const orderId = message.sessionId;
  const retry = willRetry(error, message.attempt, deps.retryPolicy);

  if (state.claimedLease !== undefined || error.code !== ErrorCodes.ORDER_IN_PROGRESS) {
    await updateLedger(deps.ledger, orderId, (current) => {
      if (current === undefined && retry) return { result: undefined };
      if (current?.state === OrderStates.SUBMITTED) return { result: undefined };
      if (current?.state === OrderStates.SUBMITTING && current.leaseUntil !== state.claimedLease) return { result: undefined };
      const entry = current ?? newLedgerEntry(orderId, 1, externalDocumentNumberFor(orderId), deps.now());
      // While this attempt holds the order it knows best; otherwise keep what the ledger knew.
      const holding = current?.state === OrderStates.SUBMITTING && state.claimedLease !== undefined;
      const pushMayHaveCommitted = holding ? state.pushMayHaveCommitted : entry.pushPending;
      return { write: recordFailure(entry, { code: error.code, parked: !retry, pushMayHaveCommitted }, deps.now()), result: undefined };
    });
  }

  return await retryOrPark(QueueNames.ONLINE_ORDERS, message, error, deps, { payload: state.order ?? message.body }, (step) =>
    record(deps, message, { step: 'submit', ...step }),
  );
}

async function record(
  deps: IntegrateOrderDeps,
  message: OrderMessage,
  step: Pick<JourneyStep, 'step' | 'outcome'> & Partial<Pick<JourneyStep, 'code' | 'detail' | 'erpOrderId'>>,
): Promise<void> {
  await deps.journey.record({
    orderId: message.sessionId,
    at: deps.now().toISOString(),
    function: FUNCTION_NAME,
    attempt: message.attempt,
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    mappings: mappingVersions(deps.mappings),
    ...step,
  });
}

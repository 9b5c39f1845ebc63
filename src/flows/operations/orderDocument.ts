import { confirmationIdOf, ConfirmationKinds } from '../../domain/confirmation';
import { lifecycleEvent, lifecycleEventsOf, LifecycleEventTypes, type LifecycleEvent } from '../../domain/lifecycleEvents';
import { OrderStates, type LedgerEntry } from '../../domain/orderLedger';
import { NEW_PROGRESS } from '../../domain/orderProgress';
import type { ConfirmationRecord, ConfirmationsPort } from '../../ports/ConfirmationsPort';
import type { JourneyPort, JourneyStep } from '../../ports/JourneyPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import type { ParkedMessagesPort, ParkedSummary } from '../../ports/ParkedMessagesPort';
import { orderTraceId } from '../../telemetry/orderTrace';

/** Everything the hub knows of one order, as one document: the operator's page of it. */
export interface OrderDocument {
  orderId: string;
  /** The order's trace in Application Insights (operation id). */
  traceId: string;
  /** Where it stands: the ledger's state, or `unknown` when the hub never saw it. */
  state: string;
  ledger?: LedgerEntry;
  /** Its journey, step by step, oldest first. */
  steps: JourneyStep[];
  /** What is parked of it: open, and resolved or dismissed (with the resolution). */
  parked: ParkedSummary[];
  /** Its confirmation: what was sent to whom, and how each branch ended. */
  confirmation?: ConfirmationRecord;
  /** The `order-lifecycle` events its progress has published (their ids are fixed, so these are those events). */
  lifecycle: Pick<LifecycleEvent, 'id' | 'type'>[];
}

export interface OrderDocumentDeps {
  journeys: Pick<JourneyPort, 'read'>;
  ledger: Pick<OrderLedgerPort, 'get'>;
  parked: ParkedMessagesPort;
  confirmations: Pick<ConfirmationsPort, 'read'>;
}

/** The lifecycle events an order has reached: received, in the ERP, its progress there, confirmed. */
function lifecycleOf(
  orderId: string,
  entry: LedgerEntry | undefined,
  confirmation: ConfirmationRecord | undefined,
): OrderDocument['lifecycle'] {
  if (entry === undefined) return [];
  const at = entry.updatedAt;
  const events = [lifecycleEvent(LifecycleEventTypes.ORDER_RECEIVED, orderId, at)];
  if (entry.state === OrderStates.SUBMITTED) events.push(lifecycleEvent(LifecycleEventTypes.ORDER_SUBMITTED_TO_ERP, orderId, at));
  if (entry.progress !== undefined) events.push(...lifecycleEventsOf(NEW_PROGRESS, entry.progress, orderId, at));
  if (confirmation?.conclusion?.status === 'confirmed') events.push(lifecycleEvent(LifecycleEventTypes.ORDER_CONFIRMED, orderId, at));
  return events.map(({ id, type }) => ({ id, type }));
}

/** One order's document; an order the hub never saw has an empty one (state `unknown`). */
export async function orderDocument(orderId: string, deps: OrderDocumentDeps): Promise<OrderDocument> {
  const [steps, entry, parked, confirmation] = await Promise.all([
    deps.journeys.read(orderId),
    deps.ledger.get(orderId),
    deps.parked.ofOrder(orderId),
    deps.confirmations.read(confirmationIdOf(ConfirmationKinds.ORDER, orderId)),
  ]);
  const ledger = entry?.entry;
  return {
    orderId,
    traceId: orderTraceId({ orderId }),
    state: ledger?.state ?? 'unknown',
    ...(ledger === undefined ? {} : { ledger }),
    steps,
    parked: parked.map(({ payload: _payload, ...rest }) => rest),
    ...(confirmation === undefined ? {} : { confirmation: confirmation.record }),
    lifecycle: lifecycleOf(orderId, ledger, confirmation?.record),
  };
}

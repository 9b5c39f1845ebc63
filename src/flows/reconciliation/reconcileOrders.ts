import { randomUUID } from 'node:crypto';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { lifecycleEvent, LifecycleEventTypes } from '../../domain/lifecycleEvents';
import { OrderStates, recordSubmitted, type LedgerEntry } from '../../domain/orderLedger';
import { reconcileAction, type ReconcileThresholds, type WithoutLedger } from '../../domain/reconciliation';
import { emptyCounts, MAX_NOTES, type ReconcileNote, type ReconcileResultKind, type ReconcileRun } from '../../domain/reconciliationRun';
import { QueueNames } from '../../config/queues';
import type { ChangedOrder, EcpOrdersPort } from '../../ports/EcpOrdersPort';
import type { ErpSalesOrdersPort } from '../../ports/ErpSalesOrdersPort';
import { JourneyOutcomes, type JourneyPort } from '../../ports/JourneyPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { ReconcileRunsPort } from '../../ports/ReconcileRunsPort';
import { queueOrder } from '../orderToErp/queueOrder';
import { eachConcurrently } from '../shared/eachConcurrently';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { updateLedger } from '../shared/updateLedger';

export interface ReconcileDeps {
  ecp: EcpOrdersPort;
  erp: ErpSalesOrdersPort;
  ledger: OrderLedgerPort;
  journeys: Pick<JourneyPort, 'read'>;
  parked: Pick<ParkedMessagesPort, 'ofOrder' | 'setResolution'>;
  sender: QueueSenderPort;
  inFlight: InFlightUnitsPort;
  lifecycle: LifecyclePublisherPort;
  runs: ReconcileRunsPort;
  thresholds: ReconcileThresholds;
  /** How far back the ECP's changes are listed. */
  windowMs: number;
  /** Orders checked at once. */
  concurrency: number;
  now: () => Date;
}

/** The step every reconciler action records on the order's journey. */
export const RECONCILED_STEP = 'reconciled';

interface RunContext {
  runId: string;
  deps: ReconcileDeps;
  journeys: JourneyRecorder;
  now: Date;
}

/**
 * One reconciler run: lists the ECP orders created or changed in the window, page by page, and
 * compares each with the ledger. An order the hub never heard of is queued as if its event had
 * arrived; one whose attempt died, whose retry was lost, or whose message never reached the ledger
 * is queued again; one whose create got no
 * answer long ago is looked up in the ERP (found: recorded as submitted, its parked entry resolved,
 * and queued so that its confirmation is asked for). Each action is a journey step `reconciled` with
 * its reason, and the run's summary is kept. An order that cannot be checked now is noted and left
 * for the next run; the run is Partial then.
 */
export async function reconcileOrders(deps: ReconcileDeps, journeys: JourneyRecorder, by: string): Promise<ReconcileRun> {
  const started = deps.now();
  const from = new Date(started.getTime() - deps.windowMs);
  const context: RunContext = { runId: `reconcile-${started.toISOString()}-${randomUUID().slice(0, 8)}`, deps, journeys, now: started };
  const counts = emptyCounts();
  const notes: ReconcileNote[] = [];
  const note = (entry: ReconcileNote): void => {
    if (notes.length < MAX_NOTES) notes.push(entry);
  };
  let error: string | undefined;
  try {
    let cursor: string | undefined;
    do {
      const page = await deps.ecp.listChanged(from, cursor);
      counts.listed += page.orders.length;
      await eachConcurrently(page.orders, deps.concurrency, async (order) => {
        const outcome = await reconcileOne(order, context);
        counts[outcome.result] += 1;
        if (outcome.detail !== undefined) note({ orderId: order.id, result: outcome.result, detail: outcome.detail, ...codeOf(outcome) });
      });
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (failure) {
    error = HubError.isHubError(failure) ? `${failure.code}: ${failure.message}` : String(failure);
  }
  const run: ReconcileRun = {
    runId: context.runId,
    startedAt: started.toISOString(),
    finishedAt: deps.now().toISOString(),
    window: { from: from.toISOString(), to: started.toISOString() },
    outcome: error !== undefined ? 'Failed' : counts.failed > 0 ? 'Partial' : 'Success',
    counts,
    notes,
    ...(error === undefined ? {} : { error }),
    by,
  };
  await deps.runs.keep(run);
  return run;
}

/** When the journey of an order without a ledger entry last moved, and whether it is among the open failures. */
async function withoutLedger(orderId: string, deps: ReconcileDeps): Promise<WithoutLedger> {
  const steps = await deps.journeys.read(orderId);
  const lastStepAt = steps.at(-1)?.at;
  if (lastStepAt === undefined) return { parkedOpen: false };
  const parked = await deps.parked.ofOrder(orderId);
  return { lastStepAt, parkedOpen: parked.some((m) => m.resolution === undefined) };
}

const codeOf = (outcome: Outcome): { code?: string } => (outcome.code === undefined ? {} : { code: outcome.code });

interface Outcome {
  result: ReconcileResultKind;
  /** Set for the orders the run acted on or failed on. */
  detail?: string;
  code?: string;
}

async function reconcileOne(order: ChangedOrder, context: RunContext): Promise<Outcome> {
  const { deps } = context;
  try {
    const entry = (await deps.ledger.get(order.id))?.entry;
    const without = entry === undefined ? await withoutLedger(order.id, deps) : { parkedOpen: false };
    const action = reconcileAction(order, entry, without, context.now, deps.thresholds);
    switch (action.kind) {
      case 'queueUnseen':
        await queueAgain(order, context, action.reason, { first: true });
        return { result: 'queuedUnseen', detail: action.reason };
      case 'requeue':
        await queueAgain(order, context, action.reason, { first: false });
        return { result: 'requeued', detail: action.reason };
      case 'lookUp':
        return await lookUp(order, entry as LedgerEntry, action.reason, context);
      default:
        return { result: action.kind };
    }
  } catch (failure) {
    if (HubError.isHubError(failure)) return { result: 'failed', code: failure.code, detail: failure.message };
    return { result: 'failed', code: ErrorCodes.RECONCILE_FAILED, detail: failure instanceof Error ? failure.message : String(failure) };
  }
}

/**
 * Fetches the order from the ECP and queues it. The first time, under the message id its event
 * would have had (a late event and the reconciler cannot both send it); again, under the run's own.
 */
async function queueAgain(order: ChangedOrder, context: RunContext, reason: string, { first }: { first: boolean }): Promise<void> {
  const { deps } = context;
  const fetched = await deps.ecp.getOrder(order.id);
  const messageId = await queueOrder(deps.sender, deps.inFlight, {
    newOrder: true,
    orderId: order.id,
    version: order.version,
    order: fetched,
    correlationId: context.runId,
    ...(first ? {} : { messageId: `${order.id}:v${order.version}:${context.runId}` }),
  });
  await context.journeys.of({ orderId: order.id, attempt: 1, correlationId: context.runId })({
    step: RECONCILED_STEP,
    outcome: JourneyOutcomes.OK,
    detail: `${reason}: queued on ${QueueNames.ONLINE_ORDERS} as ${messageId}`,
  });
  if (first) await deps.lifecycle.publish([lifecycleEvent(LifecycleEventTypes.ORDER_RECEIVED, order.id, deps.now().toISOString())]);
}

/** Asks the ERP for the order by its external document number, and completes or re-queues it on the answer. */
async function lookUp(order: ChangedOrder, entry: LedgerEntry, reason: string, context: RunContext): Promise<Outcome> {
  const { deps } = context;
  const journey = context.journeys.of({ orderId: order.id, attempt: 1, correlationId: context.runId });
  const found = await deps.erp.findByExternalDocumentNumber(entry.externalDocumentNumber);
  if (found !== undefined) {
    await updateLedger(deps.ledger, order.id, (current) =>
      current === undefined || current.state === OrderStates.SUBMITTED
        ? { result: undefined }
        : { write: recordSubmitted(current, found.id, deps.now()), result: undefined },
    );
    const detail = `${reason}: the ERP has it as ${found.id}`;
    await journey({ step: RECONCILED_STEP, outcome: JourneyOutcomes.OK, erpOrderId: found.id, detail });
    await deps.lifecycle.publish([
      lifecycleEvent(LifecycleEventTypes.ORDER_SUBMITTED_TO_ERP, order.id, deps.now().toISOString(), { erpOrderId: found.id }),
    ]);
    await deps.inFlight.release(order.id);
    await resolveParkedOf(order.id, found.id, context);
    // The integrator finds it submitted and asks for its confirmation, as after any duplicate.
    await queueAgain(order, context, 'to ask for its confirmation', { first: false });
    return { result: 'foundInErp', detail };
  }
  if (entry.state === OrderStates.PARKED) {
    // Nothing was created: the order stays parked, and a replay need not look it up first.
    await updateLedger(deps.ledger, order.id, (current) =>
      current?.state !== OrderStates.PARKED || !current.pushPending
        ? { result: undefined }
        : { write: { ...current, pushPending: false, updatedAt: deps.now().toISOString() }, result: undefined },
    );
    const detail = `${reason}: not in the ERP; it stays parked with ${entry.lastErrorCode ?? 'its code'}`;
    await journey({ step: RECONCILED_STEP, outcome: JourneyOutcomes.OK, detail });
    return { result: 'notInErp', detail };
  }
  await queueAgain(order, context, `${reason}: not in the ERP`, { first: false });
  return { result: 'notInErp', detail: `${reason}: not in the ERP; queued again` };
}

async function resolveParkedOf(orderId: string, erpOrderId: string, context: RunContext): Promise<void> {
  const { deps } = context;
  const open = (await deps.parked.ofOrder(orderId)).filter((m) => m.resolution === undefined && m.source === QueueNames.ONLINE_ORDERS);
  for (const message of open)
    await deps.parked.setResolution(message.source, message.orderId, message.messageId, {
      action: 'resolved',
      reason: `the ERP had it as ${erpOrderId} (found by the reconciler)`,
      by: 'reconciler',
      at: deps.now().toISOString(),
    });
}

import { QueueNames } from '../../config/queues';
import { canonicalUpdateSchema, type CanonicalUpdate, type UpdateKind } from '../../domain/canonicalUpdate';
import { lifecycleEventsOf } from '../../domain/lifecycleEvents';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { applyUpdate, NEW_PROGRESS, type OrderProgress, type ProgressChange } from '../../domain/orderProgress';
import { parseOrFail } from '../../domain/validate';
import type { CompiledMapping } from '../../mapping/compileMapping';
import { mappingLabel, runMapping } from '../../mapping/runMapping';
import type { EcpOrderUpdate } from '../../platforms/ecp/ecpOrderUpdate';
import type { CustomerMailPort } from '../../ports/CustomerMailPort';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import { compensateRejection } from './compensateRejection';
import type { HubMessage } from '../shared/hubMessage';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { retryOrPark, type FailureOutcome, type RetryOrParkDeps } from '../shared/retryOrPark';
import { updateLedger } from '../shared/updateLedger';

export interface UpdateEcpOrderDeps extends RetryOrParkDeps {
  ledger: OrderLedgerPort;
  ecp: EcpOrdersPort;
  lifecycle: LifecyclePublisherPort;
  mail: CustomerMailPort;
  /** canonical-update-to-ecp-order-update */
  mapping: CompiledMapping;
}

export type UpdateOutcome =
  { outcome: 'applied'; changed: ProgressChange[] } | { outcome: 'duplicate' } | { outcome: 'stale'; reason: string } | FailureOutcome;

/**
 * For publishing an applied update's events again on a retry: the progress as it was before the
 * update, as far as the update's own facet goes (the other facets as they are).
 */
function before(kind: UpdateKind, progress: OrderProgress): OrderProgress {
  if (kind === 'paymentCaptured' || kind === 'paymentFailed') return { ...progress, payment: 'none' };
  return kind === 'erpOrderAssigned' ? progress : { ...progress, fulfillment: 'open' };
}

/** The fields of an ECP update that carry each kind of change; the rest are left out. */
const FIELDS_OF: Readonly<Record<ProgressChange, readonly (keyof EcpOrderUpdate)[]>> = {
  erpOrderId: ['erpReference'],
  payment: ['financialStatus'],
  fulfillment: ['fulfillmentStatus', 'cancelReason'],
  tracking: ['tracking'],
};

/**
 * Only what moved forward goes to the ECP: tracking that comes after delivery must not set
 * "shipped" again. A cancellation or rejection also voids the payment.
 */
function onlyChanged(update: EcpOrderUpdate, changed: readonly ProgressChange[], kind: UpdateKind): EcpOrderUpdate {
  const kept = new Set(changed.flatMap((change) => FIELDS_OF[change]));
  if (changed.includes('fulfillment') && (kind === 'cancelled' || kind === 'rejected')) kept.add('financialStatus');
  const result: Record<string, unknown> = { orderId: update.orderId, updateId: update.updateId, occurredAt: update.occurredAt };
  for (const [field, value] of Object.entries(update)) if (kept.has(field as keyof EcpOrderUpdate)) result[field] = value;
  return result as EcpOrderUpdate;
}

/**
 * One ERP update of an order (from `erp-updates`): applied to the ECP once, in any arrival order,
 * never moving the order back. The progress in the ledger decides; the ECP is told only what moved
 * forward, then the progress is saved (a crash in between sends the same values again).
 * Transient failures come back later; permanent ones, and an order the hub never saw, are parked.
 */
export async function updateEcpOrder(message: HubMessage, deps: UpdateEcpOrderDeps, journeys: JourneyRecorder): Promise<UpdateOutcome> {
  const orderId = message.sessionId;
  const journey = journeys.ofMessage(message, mappingLabel(deps.mapping));
  let update: CanonicalUpdate | undefined;
  try {
    update = parseOrFail(canonicalUpdateSchema, message.body, { code: ErrorCodes.MESSAGE_INVALID, what: 'canonical update' });
    const current = await deps.ledger.get(orderId);
    if (current === undefined) {
      throw new HubError(ErrorCodes.ORDER_UNKNOWN, `the ERP reported ${update.kind} for order ${orderId}, which the hub never sent it`, {
        transient: false,
      });
    }
    const decision = applyUpdate(current.entry.progress ?? NEW_PROGRESS, update);
    if (decision.kind === 'duplicate') {
      await journey({ step: update.kind, outcome: JourneyOutcomes.DUPLICATE, detail: `update ${update.updateId} was applied before` });
      // A retry of ours may follow a failed publication: publish again (subscribers drop the repeat by id).
      if (message.attempt > 1) {
        await deps.lifecycle.publish(
          lifecycleEventsOf(
            before(update.kind, current.entry.progress ?? NEW_PROGRESS),
            current.entry.progress ?? NEW_PROGRESS,
            orderId,
            update.occurredAt,
            update.reason?.text,
          ),
        );
        await compensateRejection(orderId, update, current.entry, deps);
      }
      return { outcome: 'duplicate' };
    }
    if (decision.kind === 'stale') {
      await journey({ step: update.kind, outcome: JourneyOutcomes.STALE, detail: decision.reason });
      return { outcome: 'stale', reason: decision.reason };
    }
    const ecpUpdate = onlyChanged(runMapping<EcpOrderUpdate>(deps.mapping, update), decision.changed, update.kind);
    const { version } = await deps.ecp.updateOrder(ecpUpdate);
    const applied = update;
    const { saved } = await updateLedger(deps.ledger, orderId, (entry) => {
      if (entry === undefined) return { result: undefined };
      const again = applyUpdate(entry.progress ?? NEW_PROGRESS, applied);
      return again.kind === 'applied'
        ? { write: { ...entry, progress: again.progress, updatedAt: deps.now().toISOString() }, result: undefined }
        : { result: undefined };
    });
    await deps.lifecycle.publish(
      lifecycleEventsOf(
        current.entry.progress ?? NEW_PROGRESS,
        saved?.entry.progress ?? decision.progress,
        orderId,
        update.occurredAt,
        update.reason?.text,
      ),
    );
    if (saved !== undefined) await compensateRejection(orderId, update, saved.entry, deps);
    await journey({
      step: update.kind,
      outcome: JourneyOutcomes.OK,
      detail: `${decision.changed.join(', ')} applied to the ECP order (now version ${version})`,
    });
    return { outcome: 'applied', changed: decision.changed };
  } catch (error) {
    if (!HubError.isHubError(error)) throw error; // unknown failure: let the queue redeliver
    return await retryOrPark(
      QueueNames.ERP_UPDATES,
      message,
      error,
      deps,
      { payload: message.body, messageId: update?.updateId ?? message.messageId, mappings: mappingLabel(deps.mapping) },
      journey,
      update?.kind ?? 'update',
    );
  }
}

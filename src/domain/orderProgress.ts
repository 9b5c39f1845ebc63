import type { CanonicalUpdate, UpdateKind } from './canonicalUpdate';

/**
 * How far an order has come after the ERP took it, as the ECP should show it. Each facet only
 * moves forward, so updates applied in any order, any number of times, end in the same state.
 */
export interface OrderProgress {
  erpOrderId?: string;
  erpOrderNumber?: string;
  payment: PaymentState;
  fulfillment: FulfillmentState;
  tracking?: { carrier: string; trackingNumber?: string; trackingUrl?: string };
  /** Ids of the updates applied, newest last (the last MAX_REMEMBERED_UPDATES). */
  appliedUpdates: string[];
}

export type PaymentState = 'none' | 'failed' | 'captured';
export type FulfillmentState = 'open' | 'processing' | 'prepared' | 'cancelled' | 'rejected' | 'shipped' | 'delivered';

/**
 * The order in which states win, so that the outcome does not depend on arrival order. A capture
 * beats a failure (a retried payment); a rejection beats a cancellation (the customer must hear why);
 * goods that left the warehouse beat both; delivered beats everything.
 */
const PAYMENT_RANK: Readonly<Record<PaymentState, number>> = { none: 0, failed: 1, captured: 2 };
export const FULFILLMENT_RANK: Readonly<Record<FulfillmentState, number>> = {
  open: 0,
  processing: 1,
  prepared: 2,
  cancelled: 3,
  rejected: 4,
  shipped: 5,
  delivered: 6,
};

const FULFILLMENT_OF: Partial<Record<UpdateKind, FulfillmentState>> = {
  erpOrderAssigned: 'processing',
  shipmentPrepared: 'prepared',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
  rejected: 'rejected',
};
const PAYMENT_OF: Partial<Record<UpdateKind, PaymentState>> = { paymentCaptured: 'captured', paymentFailed: 'failed' };

export const MAX_REMEMBERED_UPDATES = 100;

export const NEW_PROGRESS: OrderProgress = { payment: 'none', fulfillment: 'open', appliedUpdates: [] };

export type UpdateDecision =
  { kind: 'applied'; progress: OrderProgress; changed: ProgressChange[] } | { kind: 'duplicate' } | { kind: 'stale'; reason: string };

/** What an applied update changed: each one is something the ECP must be told. */
export type ProgressChange = 'erpOrderId' | 'payment' | 'fulfillment' | 'tracking';

/**
 * Applies one update: a duplicate (same update id) or one that would move a facet backwards or
 * change nothing is not applied; otherwise every facet takes the higher of the two states, and
 * data an earlier state lacked (tracking that arrives after delivery) is kept.
 */
export function applyUpdate(current: OrderProgress, update: CanonicalUpdate): UpdateDecision {
  if (current.appliedUpdates.includes(update.updateId)) return { kind: 'duplicate' };
  const next: OrderProgress = { ...current };
  const changed: ProgressChange[] = [];

  if (update.erpOrderId !== undefined && current.erpOrderId === undefined) {
    next.erpOrderId = update.erpOrderId;
    if (update.erpOrderNumber !== undefined) next.erpOrderNumber = update.erpOrderNumber;
    changed.push('erpOrderId');
  }
  const payment = PAYMENT_OF[update.kind];
  if (payment !== undefined && PAYMENT_RANK[payment] > PAYMENT_RANK[current.payment]) {
    next.payment = payment;
    changed.push('payment');
  }
  const fulfillment = FULFILLMENT_OF[update.kind];
  if (fulfillment !== undefined && FULFILLMENT_RANK[fulfillment] > FULFILLMENT_RANK[current.fulfillment]) {
    next.fulfillment = fulfillment;
    changed.push('fulfillment');
  }
  if (update.shipment !== undefined && current.tracking?.trackingNumber === undefined && update.shipment.trackingNumber !== undefined) {
    next.tracking = {
      carrier: update.shipment.carrier,
      trackingNumber: update.shipment.trackingNumber,
      ...(update.shipment.trackingUrl === undefined ? {} : { trackingUrl: update.shipment.trackingUrl }),
    };
    changed.push('tracking');
  }

  if (changed.length === 0) {
    const where =
      fulfillment !== undefined
        ? `fulfilment is already ${current.fulfillment}`
        : payment !== undefined
          ? `payment is already ${current.payment}`
          : 'nothing new';
    return { kind: 'stale', reason: `${update.kind} ignored: ${where}` };
  }
  next.appliedUpdates = [...current.appliedUpdates, update.updateId].slice(-MAX_REMEMBERED_UPDATES);
  return { kind: 'applied', progress: next, changed };
}

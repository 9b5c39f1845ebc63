import { FULFILLMENT_RANK, type OrderProgress } from './orderProgress';

/** What other systems can follow of an order's life, on the Event Grid topic `order-lifecycle`. */
export const LifecycleEventTypes = {
  ORDER_RECEIVED: 'OrderReceived',
  ORDER_SUBMITTED_TO_ERP: 'OrderSubmittedToErp',
  PAYMENT_CAPTURED: 'PaymentCaptured',
  SHIPMENT_PREPARED: 'ShipmentPrepared',
  ORDER_SHIPPED: 'OrderShipped',
  ORDER_FULFILLED: 'OrderFulfilled',
  ORDER_REJECTED: 'OrderRejected',
  ORDER_CANCELLED: 'OrderCancelled',
  /** The customer was confirmed: saved, emailed, and added to the list if they consented. */
  ORDER_CONFIRMED: 'OrderConfirmed',
  REGISTRATION_CONFIRMED: 'RegistrationConfirmed',
} as const;

export type LifecycleEventType = (typeof LifecycleEventTypes)[keyof typeof LifecycleEventTypes];

export interface LifecycleEvent {
  /** `<orderId>:<type>`: the same event published again has the same id, for subscribers to drop. */
  id: string;
  type: LifecycleEventType;
  orderId: string;
  occurredAt: string;
  data: {
    erpOrderId?: string;
    carrier?: string;
    trackingNumber?: string;
    reason?: string;
    confirmationId?: string;
    emailMessageId?: string;
    mailingList?: string;
  };
  /** What the event is about, when not the order: `registrations/<id>`. @default orders/<orderId> */
  subject?: string;
}

export function lifecycleEvent(
  type: LifecycleEventType,
  orderId: string,
  occurredAt: string,
  data: LifecycleEvent['data'] = {},
): LifecycleEvent {
  return { id: `${orderId}:${type}`, type, orderId, occurredAt, data };
}

/**
 * The lifecycle events an applied ERP update stands for: what changed from `before` to `after`.
 * An order reported delivered before it was reported shipped has shipped too: both are published.
 */
export function lifecycleEventsOf(
  before: OrderProgress,
  after: OrderProgress,
  orderId: string,
  occurredAt: string,
  reason?: string,
): LifecycleEvent[] {
  const data = after.erpOrderId === undefined ? {} : { erpOrderId: after.erpOrderId };
  const shipment = {
    ...data,
    ...(after.tracking === undefined
      ? {}
      : {
          carrier: after.tracking.carrier,
          ...(after.tracking.trackingNumber === undefined ? {} : { trackingNumber: after.tracking.trackingNumber }),
        }),
  };
  const events: LifecycleEvent[] = [];
  if (after.payment === 'captured' && before.payment !== 'captured')
    events.push(lifecycleEvent(LifecycleEventTypes.PAYMENT_CAPTURED, orderId, occurredAt, data));
  if (after.fulfillment !== before.fulfillment) {
    const reached = (state: OrderProgress['fulfillment']): boolean =>
      FULFILLMENT_RANK[after.fulfillment] >= FULFILLMENT_RANK[state] && FULFILLMENT_RANK[before.fulfillment] < FULFILLMENT_RANK[state];
    if (after.fulfillment === 'prepared') events.push(lifecycleEvent(LifecycleEventTypes.SHIPMENT_PREPARED, orderId, occurredAt, data));
    if (after.fulfillment === 'cancelled' || after.fulfillment === 'rejected') {
      events.push(
        lifecycleEvent(
          after.fulfillment === 'rejected' ? LifecycleEventTypes.ORDER_REJECTED : LifecycleEventTypes.ORDER_CANCELLED,
          orderId,
          occurredAt,
          { ...data, ...(reason === undefined ? {} : { reason }) },
        ),
      );
    }
    if (reached('shipped')) events.push(lifecycleEvent(LifecycleEventTypes.ORDER_SHIPPED, orderId, occurredAt, shipment));
    if (after.fulfillment === 'delivered') events.push(lifecycleEvent(LifecycleEventTypes.ORDER_FULFILLED, orderId, occurredAt, shipment));
  }
  return events;
}

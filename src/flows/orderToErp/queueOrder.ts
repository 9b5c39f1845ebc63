import { MessageProperties, QueueNames } from '../../config/queues';
import { unitsOfShopOrder } from '../../domain/shopOrderUnits';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';

/** The message id of an order version on `online-orders`: the queue drops a second one. */
export function orderMessageId(orderId: string, version: number): string {
  return `${orderId}:v${version}`;
}

export interface OrderToQueue {
  orderId: string;
  version: number;
  /** The order as the ECP returned it, raw: the integrator maps it (so that a fixed mapping applies on replay). */
  order: unknown;
  /** The event that announced it, or the reconciler run that found it. */
  correlationId: string;
  /** Defaults to the version's own id, which drops a second send of the version; a re-send that must go through names its own. */
  messageId?: string;
  eventId?: string;
  /**
   * A new order to the hub (its created event, or the reconciler finding it): its units are held
   * as in flight, before it is queued, until the ERP has it. An update of an order is not.
   */
  newOrder: boolean;
}

/** Puts one ECP order, as fetched, on `online-orders` in its order's session, as the first attempt at it. */
export async function queueOrder(sender: QueueSenderPort, inFlight: InFlightUnitsPort, order: OrderToQueue): Promise<string> {
  // Held first: once queued it may reach the ERP, and be released, at any moment.
  if (order.newOrder) await inFlight.hold(order.orderId, unitsOfShopOrder(order.order));
  const messageId = order.messageId ?? orderMessageId(order.orderId, order.version);
  await sender.send(QueueNames.ONLINE_ORDERS, {
    body: order.order,
    messageId,
    sessionId: order.orderId,
    correlationId: order.correlationId,
    applicationProperties: {
      [MessageProperties.ORDER_VERSION]: order.version,
      ...(order.eventId === undefined ? {} : { [MessageProperties.EVENT_ID]: order.eventId }),
      [MessageProperties.ATTEMPT]: 1,
    },
  });
  return messageId;
}

import { MessageProperties, QueueNames } from '../../config/queues';
import { lifecycleEvent, LifecycleEventTypes } from '../../domain/lifecycleEvents';
import { EcpEventTypes } from '../../platforms/ecp/ecpOrderEvents';
import { readOrderEvent } from '../../platforms/ecp/readOrderEvent';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';

export interface ProcessOrderEventDeps {
  /** The name the ECP gives the hub's own changes (`updatedBy`): those are echoes, not news. */
  ownClientName: string;
  ecp: EcpOrdersPort;
  sender: QueueSenderPort;
  lifecycle: LifecyclePublisherPort;
  now: () => Date;
}

/** The message id of an order version on `online-orders`: the queue drops a second one. */
export function orderMessageId(orderId: string, version: number): string {
  return `${orderId}:v${version}`;
}

/**
 * An ECP order event: fetch the full order and put it, raw, on `online-orders` (so that a fixed
 * mapping applies on replay). Bad events throw a permanent HubError and enqueue nothing; an ECP
 * outage throws a transient one so that Event Grid delivers the event again.
 */
export async function processOrderEvent(
  event: unknown,
  deps: ProcessOrderEventDeps,
  journeys: JourneyRecorder,
): Promise<{ orderId: string; messageId?: string; echo?: true }> {
  const orderEvent = readOrderEvent(event);
  const journey = journeys.of({ orderId: orderEvent.orderId, attempt: 1, correlationId: orderEvent.eventId });
  if (orderEvent.eventType === EcpEventTypes.ORDER_UPDATED && orderEvent.updatedBy === deps.ownClientName) {
    // The ECP announcing the hub's own write (from ecpUpdater): sending the order on would echo it back.
    await journey({
      step: 'echo',
      outcome: JourneyOutcomes.OK,
      detail: `${orderEvent.eventType} v${orderEvent.orderVersion} was the hub's own change: not sent on`,
    });
    return { orderId: orderEvent.orderId, echo: true };
  }
  const order = await deps.ecp.getOrder(orderEvent.orderId);
  const messageId = orderMessageId(orderEvent.orderId, orderEvent.orderVersion);
  await deps.sender.send(QueueNames.ONLINE_ORDERS, {
    body: order,
    messageId,
    sessionId: orderEvent.orderId,
    correlationId: orderEvent.eventId,
    applicationProperties: {
      [MessageProperties.ORDER_VERSION]: orderEvent.orderVersion,
      [MessageProperties.EVENT_ID]: orderEvent.eventId,
      [MessageProperties.ATTEMPT]: 1,
    },
  });
  await journey({
    step: 'queued',
    outcome: JourneyOutcomes.OK,
    detail: `${orderEvent.eventType} v${orderEvent.orderVersion} queued on ${QueueNames.ONLINE_ORDERS} as ${messageId}`,
  });
  if (orderEvent.eventType === EcpEventTypes.ORDER_CREATED) {
    await deps.lifecycle.publish([lifecycleEvent(LifecycleEventTypes.ORDER_RECEIVED, orderEvent.orderId, deps.now().toISOString())]);
  }
  return { orderId: orderEvent.orderId, messageId };
}

import { QueueNames } from '../../config/queues';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { lifecycleEvent, LifecycleEventTypes } from '../../domain/lifecycleEvents';
import { EcpEventTypes } from '../../platforms/ecp/ecpOrderEvents';
import { identifyOrderEvent, readOrderEvent, type OrderEvent } from '../../platforms/ecp/readOrderEvent';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import { ParkedSources, type ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { queueOrder } from './queueOrder';

export interface ProcessOrderEventDeps {
  /** The name the ECP gives the hub's own changes (`updatedBy`): those are echoes, not news. */
  ownClientName: string;
  ecp: EcpOrdersPort;
  sender: QueueSenderPort;
  inFlight: InFlightUnitsPort;
  parked: ParkedMessagesPort;
  lifecycle: LifecyclePublisherPort;
  /**
   * An ECP may answer 404 for an order it has only just created: until the event is this old, a
   * 404 is retried (Event Grid delivers the event again); after, the event is parked.
   */
  orderNotFoundGraceMs: number;
  now: () => Date;
}

export type OrderEventOutcome =
  | { outcome: 'queued'; orderId: string; messageId: string }
  | { outcome: 'echo'; orderId: string }
  | { outcome: 'parked'; orderId?: string; code: string };

/** Codes that say the event itself is unusable: replaying it can never help. */
const UNUSABLE_EVENT = new Set<string>([ErrorCodes.EVENT_INVALID, ErrorCodes.EVENT_UNKNOWN_TYPE, ErrorCodes.ORDER_ID_INVALID]);

/**
 * An ECP order event: fetch the full order and put it, raw, on `online-orders` (so that a fixed
 * mapping applies on replay). The Event Grid trigger cannot refuse an event (its host answers
 * Event Grid 500 for any failure, and Event Grid retries it for a day), so an event that can never
 * be processed is parked with its reason and the invocation succeeds. Transient failures (an ECP
 * outage, an order the ECP does not show yet) throw, and Event Grid delivers the event again.
 */
export async function processOrderEvent(
  event: unknown,
  deps: ProcessOrderEventDeps,
  journeys: JourneyRecorder,
): Promise<OrderEventOutcome> {
  let orderEvent: OrderEvent;
  try {
    orderEvent = readOrderEvent(event);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    return await parkEvent(event, error, identifyOrderEvent(event), deps, journeys);
  }
  const journey = journeys.of({ orderId: orderEvent.orderId, attempt: 1, correlationId: orderEvent.eventId });
  if (orderEvent.eventType === EcpEventTypes.ORDER_UPDATED && orderEvent.updatedBy === deps.ownClientName) {
    // The ECP announcing the hub's own write (from ecpUpdater): sending the order on would echo it back.
    await journey({
      step: 'echo',
      outcome: JourneyOutcomes.OK,
      detail: `${orderEvent.eventType} v${orderEvent.orderVersion} was the hub's own change: not sent on`,
    });
    return { outcome: 'echo', orderId: orderEvent.orderId };
  }

  let order: unknown;
  try {
    order = await deps.ecp.getOrder(orderEvent.orderId);
  } catch (error) {
    if (!HubError.isHubError(error) || error.transient) throw error;
    if (error.code === ErrorCodes.ECP_ORDER_NOT_FOUND && isYoung(orderEvent, deps)) {
      throw new HubError(ErrorCodes.ECP_ORDER_NOT_FOUND, `${error.message} yet; the event will be delivered again`, {
        transient: true,
        cause: error,
      });
    }
    return await parkEvent(event, error, { eventId: orderEvent.eventId, orderId: orderEvent.orderId }, deps, journeys);
  }

  const messageId = await queueOrder(deps.sender, deps.inFlight, {
    newOrder: orderEvent.eventType === EcpEventTypes.ORDER_CREATED,
    orderId: orderEvent.orderId,
    version: orderEvent.orderVersion,
    order,
    correlationId: orderEvent.eventId,
    eventId: orderEvent.eventId,
  });
  await journey({
    step: 'queued',
    outcome: JourneyOutcomes.OK,
    detail: `${orderEvent.eventType} v${orderEvent.orderVersion} queued on ${QueueNames.ONLINE_ORDERS} as ${messageId}`,
  });
  if (orderEvent.eventType === EcpEventTypes.ORDER_CREATED) {
    await deps.lifecycle.publish([lifecycleEvent(LifecycleEventTypes.ORDER_RECEIVED, orderEvent.orderId, deps.now().toISOString())]);
  }
  return { outcome: 'queued', orderId: orderEvent.orderId, messageId };
}

/** Within the grace after the event was raised; an event that does not say when counts as old. */
function isYoung(orderEvent: OrderEvent, deps: ProcessOrderEventDeps): boolean {
  if (orderEvent.eventTime === undefined) return false;
  return deps.now().getTime() - Date.parse(orderEvent.eventTime) < deps.orderNotFoundGraceMs;
}

async function parkEvent(
  event: unknown,
  error: HubError,
  identity: { eventId?: string; orderId?: string },
  deps: ProcessOrderEventDeps,
  journeys: JourneyRecorder,
): Promise<OrderEventOutcome> {
  const replayable = !UNUSABLE_EVENT.has(error.code);
  await deps.parked.park({
    source: ParkedSources.ORDER_EVENTS,
    orderId: identity.orderId ?? '',
    messageId: identity.eventId ?? `unidentified-${deps.now().toISOString()}`,
    code: error.code,
    reason: error.message,
    details: [...error.details],
    payload: JSON.stringify(event ?? null),
    attempts: 1,
    parkedAt: deps.now().toISOString(),
    ...(identity.eventId === undefined ? {} : { correlationId: identity.eventId }),
    replayable,
  });
  if (identity.orderId !== undefined) {
    const journey = journeys.of({
      orderId: identity.orderId,
      attempt: 1,
      ...(identity.eventId === undefined ? {} : { correlationId: identity.eventId }),
    });
    await journey({ step: 'event', outcome: JourneyOutcomes.PARKED, code: error.code, detail: error.message });
  }
  return { outcome: 'parked', ...(identity.orderId === undefined ? {} : { orderId: identity.orderId }), code: error.code };
}

import { app, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { acceptOrderEvent } from '../useCases/acceptOrderEvent';

/** ECP order events (Event Grid schema or CloudEvents 1.0) → fetch the order → `online-orders`. */
export async function orderEventsProcessor(event: EventGridEvent, context: InvocationContext): Promise<void> {
  const { orderId, messageId } = await acceptOrderEvent(event, hubServices().acceptOrderEvent);
  context.info(`order ${orderId} queued as ${messageId}`);
}

app.eventGrid('orderEventsProcessor', { handler: orderEventsProcessor });
